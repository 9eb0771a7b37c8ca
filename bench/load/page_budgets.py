"""Page budgets in-process: for every page of the load mix (the 2 MB upload included), the
live pre-check and a submission, the CPU of the Django process and the time spent in SQL,
separately, as the median of `--runs` requests (after one warm-up), against the seeded load
database (the same environment as bench/load/run.sh). Writes a Markdown table
(bench/README.md, "Page budgets").

    DATABASE_URL=… ZHICHENG_TODAY=2024-07-15 .venv/bin/python bench/load/page_budgets.py \
        [--runs 7] [--out var/load/page-budgets.md]

CPU is `time.process_time()` around the request minus nothing: it includes the time the
process spends in the database driver, not PostgreSQL's own CPU. SQL is the wall time of
the queries (a connection execute wrapper), which includes PostgreSQL's work and the round
trips. The PostgreSQL backend's own CPU (from /proc, the server on this machine) is the mean
over a page's runs: the kernel counts it in 10 ms ticks. Not counted: the Celery worker's
tasks a request queues (a submission's deliveries) and the sequencer process. A submission
consumes a ready draft per run (the surge's drafts: run it before the surge or on a fresh
seed).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.client import encode_multipart  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdfs import pdf_of_size  # noqa: E402  (the mix's 2 MB upload)

MB = 1024 * 1024


class SqlClock:
    """Counts the queries of a request and their wall time."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
                 context: Any) -> Any:
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - t
            self.count += 1


def server_seconds() -> float | None:
    """The CPU seconds used so far by this connection's PostgreSQL backend (from /proc: the
    server runs on this machine), or None (another database, another machine). Clock ticks
    (10 ms): read over all of a page's runs, not per request."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client_for(session: str | None) -> Client:
    client = Client(enforce_csrf_checks=False)
    if session:
        client.cookies["sessionid"] = session
    return client


Hit = Callable[[int], Any] | tuple[Callable[[int], Any], Callable[[], None]]


def pages(fixtures: dict[str, Any]) -> list[tuple[str, Hit]]:
    applicant = fixtures["applicants"][0]
    app = applicant["application"]
    reviewer = client_for(fixtures["reviewer"]["session"])
    me = client_for(applicant["session"])
    anonymous = client_for(None)
    plan = fixtures["plan"]
    form = {"plan": plan["id"], "series": plan["series"], "specialty": plan["specialty"],
            "level": plan["level"], "route": "normal", "explanation": "", "version": ""}
    publicity = (fixtures["publicities"] or [0])[0]
    cert = fixtures["certificates"][0]
    # Only the drafts still to submit: an earlier run consumed the first ones, and
    # submitting one again would time the refusal instead of a submission.
    from zhicheng.applications.models import Application

    ready = set(Application.objects.filter(
        pk__in=[e["application"] for e in fixtures["surge"]], state="draft",
    ).values_list("pk", flat=True))
    drafts = [e for e in fixtures["surge"] if e["application"] in ready]

    submitter = client_for(None)

    # The mix's upload (locustfile.Applicant.upload) by the second load applicant, its body
    # encoded once: building a multipart body is the browser's work, not the server's.
    # Each run's material is deleted again after it is timed (through its operation), so
    # every run uploads into the same draft under the same quota. Two sizes: the mix's 2 MB
    # scan, and a 100 KB one (a typical certificate photo), whose difference is what the
    # upload's bytes cost (parse, hash, content checks, the file write) per megabyte.
    uploader_entry = fixtures["applicants"][1 if len(fixtures["applicants"]) > 1 else 0]
    uploader = client_for(uploader_entry["session"])
    boundary = "ZhichengBenchBoundary"
    upload_title = "负载测试扫描件（页面预算）"

    def upload_of(size: int) -> tuple[Callable[[int], Any], Callable[[], None]]:
        body = encode_multipart(boundary, {
            "kind": "achievement", "title": upload_title, "document_date": "2023-05-20",
            "proves": "", "file": SimpleUploadedFile("scan.pdf", pdf_of_size(size),
                                                     content_type="application/pdf"),
        })

        def upload(_run: int) -> Any:
            return uploader.post(f"/apply/{uploader_entry['application']}/materials/", body,
                                 content_type=f"multipart/form-data; boundary={boundary}")

        return upload, remove_uploads

    def remove_uploads() -> None:
        from zhicheng.applications.models import Material
        from zhicheng.applications.operations import delete_material

        for material in Material.objects.filter(application_id=uploader_entry["application"],
                                                title=upload_title).select_related(
                                                    "application__applicant"):
            delete_material(material, material.application.applicant)

    def submit(run: int) -> Any:
        entry = drafts[run % len(drafts)] if drafts else None
        if entry is None:
            raise SystemExit("no surge drafts in the fixtures: cannot time a submission")
        # One client for every draft, its cookies replaced by the draft's session (as a new
        # browser's): a new test client loads the middleware again on its first request
        # (WhiteNoise scans the static files), which a server process does once, not per
        # request.
        submitter.cookies.clear()
        submitter.cookies["sessionid"] = entry["session"]
        return submitter.post(f"/apply/{entry['application']}/submit/",
                      {"token": f"budget-{entry['application']}-{run}"})

    return [
        ("bare view `/healthz`", lambda _r: anonymous.get("/healthz")),
        ("applicant dashboard `/apply/`", lambda _r: me.get("/apply/")),
        ("live pre-check `POST /apply/<id>/precheck/`",
         lambda _r: me.post(f"/apply/{app}/precheck/", form, HTTP_HX_REQUEST="true")),
        ("material upload `POST /apply/<id>/materials/` (2 MB PDF)", upload_of(2 * MB)),
        ("material upload `POST /apply/<id>/materials/` (100 KB PDF)", upload_of(100 * 1024)),
        ("reviewer worklist `/review/` (500 waiting)", lambda _r: reviewer.get("/review/")),
        ("public plan table `/plans/`", lambda _r: anonymous.get("/plans/")),
        ("publicity list `/publicity/`", lambda _r: anonymous.get("/publicity/")),
        ("publicity entry `/publicity/<id>/`",
         lambda _r: anonymous.get(f"/publicity/{publicity}/")),
        ("certificate verification `POST /verify/`",
         lambda _r: anonymous.post("/verify/", {"number": cert["number"], "name": cert["name"]})),
        ("submission `POST /apply/<id>/submit/`", submit),
    ]


def measure(page: Hit, runs: int) -> dict[str, Any]:
    """`page` is a request, or (a request, what undoes it after each run, untimed)."""
    hit, undo = page if isinstance(page, tuple) else (page, lambda: None)
    status = hit(-1).status_code  # warm-up (caches, templates, the first connection)
    undo()
    cpu, sql, wall, queries = [], [], [], []
    server_before = server_seconds()
    for run in range(runs):
        clock = SqlClock()
        with connection.execute_wrapper(clock):
            t, c = time.perf_counter(), time.process_time()
            status = hit(run).status_code
            cpu.append(time.process_time() - c)
            wall.append(time.perf_counter() - t)
        undo()
        sql.append(clock.seconds)
        queries.append(clock.count)
    server_after = server_seconds()
    server_ms = (None if server_before is None or server_after is None
                 else (server_after - server_before) / runs * 1000)
    return {"status": status, "server_ms": server_ms, "cpu_ms": statistics.median(cpu) * 1000,
            "sql_ms": statistics.median(sql) * 1000, "wall_ms": statistics.median(wall) * 1000,
            "queries": int(statistics.median(queries))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--only", default="", help="measure the pages whose name contains this")
    ap.add_argument("--skip-submission", action="store_true",
                    help="keep the surge's drafts (the surge submits them later)")
    ap.add_argument("--fixtures", type=Path,
                    default=Path(os.environ.get("LOAD_FIXTURES", "var/load/fixtures.json")))
    ap.add_argument("--out", type=Path, default=Path("var/load/page-budgets.md"))
    args = ap.parse_args(argv)
    settings.ALLOWED_HOSTS = ["*"]
    settings.ZHICHENG_EMBEDDED_TICKER = False  # as in production: beat runs the tasks
    fixtures = json.loads(args.fixtures.read_text(encoding="utf-8"))
    load_before = os.getloadavg()
    lines = [
        f"Page budgets in-process, median of {args.runs} requests "
        f"(load average before: {load_before[0]:.2f} / {load_before[1]:.2f} / "
        f"{load_before[2]:.2f}; figures measured with the 1-minute load above 1.5 are not "
        "comparable).",
        "",
        "| page | HTTP | CPU ms (Django process) | SQL ms (queries' wall time) | queries "
        "| wall ms | PostgreSQL CPU ms (mean) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, hit in pages(fixtures):
        if (args.only and args.only not in name) or (
                args.skip_submission and name.startswith("submission")):
            continue
        m = measure(hit, args.runs)
        server = "—" if m["server_ms"] is None else f"{m['server_ms']:.1f}"
        lines.append(f"| {name} | {m['status']} | {m['cpu_ms']:.1f} | {m['sql_ms']:.1f} | "
                     f"{m['queries']} | {m['wall_ms']:.1f} | {server} |")
        print(lines[-1], flush=True)
    lines.append("")
    lines.append(f"Load average after: {os.getloadavg()[0]:.2f}.")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
