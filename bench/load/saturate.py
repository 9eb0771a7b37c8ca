"""Signed-in saturation with wrk: every page of the mix at full speed, one after the other,
each against the bare view `/healthz` measured in the same run (before the first page and
after the last; the ratio uses their mean), so a page's figure is read as a share of the
ceiling of this machine at this moment (bench/README.md, "Load"; run by bench/load/run.sh).

    .venv/bin/python bench/load/saturate.py --host http://127.0.0.1:8765 \
        [--connections 50] [--threads 2] [--seconds 20] [--out var/load]

Needs `wrk` (Debian package wrk) and the seeder's fixtures (LOAD_FIXTURES). Writes
`saturation.json` and `saturation.md` into --out. Also prints the load average before and
during each run: with the 1-minute load above 1.5 before the run, the table says the figures
are not comparable and no target is called met.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "wrk" / "page.lua"
LOAD_LIMIT = 1.5
# The worklist's target share of the ceiling (docs/performance.md, "Budgets").
WORKLIST_TARGET = 0.40


def pages(fixtures: dict[str, Any]) -> list[dict[str, Any]]:
    applicant = fixtures["applicants"][0]
    plan = fixtures["plan"]
    form = {"plan": plan["id"], "series": plan["series"], "specialty": plan["specialty"],
            "level": plan["level"], "route": "normal", "explanation": "", "version": ""}
    cert = fixtures["certificates"][0]
    publicity = (fixtures["publicities"] or [0])[0]
    return [
        {"name": "applicant dashboard", "path": "/apply/", "session": applicant["session"]},
        {"name": "live pre-check (htmx)", "path": f"/apply/{applicant['application']}/precheck/",
         "session": applicant["session"], "method": "POST", "body": urlencode(form),
         "htmx": True},
        {"name": "reviewer worklist (500)", "path": "/review/",
         "session": fixtures["reviewer"]["session"]},
        {"name": "public plan table", "path": "/plans/"},
        {"name": "publicity list", "path": "/publicity/"},
        {"name": "publicity entry", "path": f"/publicity/{publicity}/"},
        {"name": "certificate verification", "path": "/verify/", "method": "POST",
         "body": urlencode({"number": cert["number"], "name": cert["name"]})},
    ]


def wrk(host: str, page: dict[str, Any], args: argparse.Namespace, csrf: str) -> dict[str, Any]:
    cookie = f"csrftoken={csrf}" + (f"; sessionid={page['session']}" if page.get("session")
                                    else "")
    env = {**os.environ, "WRK_COOKIE": cookie, "WRK_CSRF": csrf,
           "WRK_METHOD": page.get("method", "GET"), "WRK_BODY": page.get("body", ""),
           "WRK_HTMX": "1" if page.get("htmx") else "0"}
    before = os.getloadavg()
    out = subprocess.run(
        ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.seconds}s",
         "--timeout", "10s", "-s", str(SCRIPT), host + page["path"]],
        env=env, capture_output=True, text=True, check=False, timeout=args.seconds + 60)
    during = os.getloadavg()  # the 1-minute average right at the end: mostly the run
    found = re.search(r"^wrk-result (\{.*\})$", out.stdout, re.M)
    if found is None:
        raise SystemExit(f"wrk gave no result for {page['path']}:\n{out.stdout}{out.stderr}")
    result = json.loads(found.group(1))
    ok = sum(v for k, v in result["statuses"].items() if k.startswith("2"))
    return {**result, "name": page["name"], "path": page["path"], "ok": ok,
            "load_before": before[0], "load_during": during[0]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="http://127.0.0.1:8765")
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--fixtures", type=Path,
                    default=Path(os.environ.get("LOAD_FIXTURES", "var/load/fixtures.json")))
    ap.add_argument("--out", type=Path, default=Path("var/load"))
    args = ap.parse_args(argv)
    if shutil.which("wrk") is None:
        print("saturate.py needs wrk (apt-get install wrk)", file=sys.stderr)
        return 2
    fixtures = json.loads(args.fixtures.read_text(encoding="utf-8"))
    csrf = secrets.token_hex(16)  # a 32-character secret, accepted as cookie and as token
    bare = {"name": "bare view /healthz", "path": "/healthz"}
    runs = [wrk(args.host, bare, args, csrf)]
    for page in pages(fixtures):
        runs.append(wrk(args.host, page, args, csrf))
        print(f"{page['name']}: {runs[-1]['rps']:.1f} req/s", flush=True)
    runs.append(wrk(args.host, bare, args, csrf))
    ceiling = (runs[0]["rps"] + runs[-1]["rps"]) / 2
    busy = runs[0]["load_before"] > LOAD_LIMIT
    lines = [
        f"Saturation with wrk: {args.connections} connections, {args.threads} threads, "
        f"{args.seconds} s per page, no think time. Ceiling `/healthz` = mean of the runs "
        f"before and after the pages: {runs[0]['rps']:.1f} and {runs[-1]['rps']:.1f} req/s.",
        "",
        "| page | req/s | 2xx | errors | p50 ms | p99 ms | ratio to /healthz | load before "
        "| load at end |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r['name']} | {r['rps']:.1f} | {r['ok']} | {r['errors'] + r['timeouts']} | "
            f"{r['p50_ms']:.0f} | {r['p99_ms']:.0f} | {r['rps'] / ceiling:.0%} | "
            f"{r['load_before']:.2f} | {r['load_during']:.2f} |")
    worklist = next(r for r in runs if r["name"].startswith("reviewer worklist"))
    share = worklist["rps"] / ceiling if ceiling else 0.0
    lines.append("")
    if busy:
        lines.append(f"NOT COMPARABLE: the 1-minute load before the run was "
                     f"{runs[0]['load_before']:.2f} (> {LOAD_LIMIT}); no target is judged.")
    else:
        verdict = "met" if share >= WORKLIST_TARGET else "missed"
        lines.append(f"Worklist / ceiling = {share:.0%} (target ≥ {WORKLIST_TARGET:.0%}: "
                     f"{verdict}).")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "saturation.json").write_text(json.dumps(runs, indent=1), encoding="utf-8")
    (args.out / "saturation.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
