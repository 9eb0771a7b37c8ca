"""Markdown report of a bench/load/run.sh run: `python bench/load/report.py OUT`.

Per endpoint of the mix: requests, failures, requests/s, p50/p95/p99 (locust's CSV), the
p95 target (< 300 ms, docs/performance.md); locust's saturation runs (the worklist's share of the
bare view under wrk, target ≥ 40 %, is judged in saturation.md); the load average before and
during each phase; the surge figures against their target (≥ 100 submissions/s, none lost or
duplicated, p95 < 5 s). A target is never reported as met when the 1-minute load before its
phase exceeded 1.5 (other work on the machine).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

P95_TARGET_MS = 300
RATIO_TARGET = 0.40
SURGE_RATE_TARGET = 100.0
SURGE_P95_TARGET_MS = 5000
LOAD_LIMIT = 1.5


def loads_before(out: Path) -> dict[str, float]:
    """The 1-minute load average when each judged phase started (run.sh's `settle`)."""
    path = out / "load-before.txt"
    found = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        parts = line.split()
        if len(parts) == 3:
            found[parts[1]] = float(parts[2])
    return found


def verdict(met: bool, load: float | None) -> str:
    if not met:
        return "**missed**"
    if load is None or load > LOAD_LIMIT:
        return "not judged (load before the phase above 1.5 or not recorded)"
    return "met"


def stats(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def loadavg(out: Path) -> dict[str, tuple[float, float]]:
    """(mean, max) of the 1-minute load average during each phase."""
    samples = []
    for line in (out / "loadavg.txt").read_text().splitlines() if (
            out / "loadavg.txt").exists() else []:
        parts = line.split()
        if len(parts) >= 2:
            samples.append((int(parts[0]), float(parts[1])))
    phases: dict[str, list[int]] = {}
    for line in (out / "phases.txt").read_text().splitlines() if (
            out / "phases.txt").exists() else []:
        ts, what, name = line.split()
        phases.setdefault(name, []).append(int(ts))
    result = {}
    for name, (start, end, *_rest) in ((n, v) for n, v in phases.items() if len(v) >= 2):
        during = [v for t, v in samples if start <= t <= end]
        if during:
            result[name] = (sum(during) / len(during), max(during))
    return result


def main(out: Path) -> int:
    lines = ["# Load benchmark report", ""]
    fixtures = json.loads((out / "fixtures.json").read_text(encoding="utf-8"))
    counts = fixtures.get("counts", {})
    lines.append(f"Database: {counts.get('applications', '?'):,} applications, "
                 f"{counts.get('submissions', '?'):,} submissions, "
                 f"{counts.get('users', '?'):,} users; worklist of "
                 f"{fixtures['reviewer']['worklist']} items at "
                 f"{fixtures['reviewer']['organisation']}.")
    settings_path = out / "settings.txt"
    if settings_path.exists():
        mode = settings_path.read_text().split()[-1]
        lines.append(f"Audit chaining: `{mode}` (docs/trust.md).")
    loads = loadavg(out)
    before = loads_before(out)
    lines += ["", "## Mix (50 users, think time 0.5–1.5 s)", "",
              f"1-minute load before the phase: {before.get('mix', float('nan')):.2f}.", "",
              "| endpoint | requests | failures | req/s | p50 ms | p95 ms | p99 ms "
              f"| p95 < {P95_TARGET_MS} ms |",
              "|---|---:|---:|---:|---:|---:|---:|---|"]
    worst = 0.0
    for row in stats(out / "mix_stats.csv"):
        name = row["Name"]
        p95 = float(row["95%"] or 0)
        ok = "yes" if p95 < P95_TARGET_MS else "**no**"
        if name == "Aggregated":
            ok = ""
        else:
            worst = max(worst, p95)
        lines.append(f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
                     f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | "
                     f"{row['99%']} | {ok} |")
    if worst:
        lines += ["", f"Every endpoint's p95 < {P95_TARGET_MS} ms (worst {worst:.0f} ms): "
                      f"{verdict(worst < P95_TARGET_MS, before.get('mix'))}."]
    rps = {}
    for phase in ("ceiling", "worklist"):
        for row in stats(out / f"{phase}_stats.csv"):
            if row["Name"] == "Aggregated":
                rps[phase] = (float(row["Requests/s"]), row["50%"], row["95%"], row["99%"])
    if rps:
        lines += ["", "## Saturation (no think time, 50 users, 20 s each)", "",
                  "| run | req/s | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|"]
        for phase, (r, p50, p95, p99) in rps.items():
            lines.append(f"| {phase} | {r:.1f} | {p50} | {p95} | {p99} |")
        if "ceiling" in rps and "worklist" in rps and rps["ceiling"][0]:
            ratio = rps["worklist"][0] / rps["ceiling"][0]
            lines += ["", f"locust's worklist / bare-view ratio: {ratio:.1%} (locust's own "
                          "client is the limit here; the target is judged under wrk, "
                          "saturation.md)."]
    if loads:
        lines += ["", "## Load average (1 min) during each phase (2 cores)", "",
                  "| phase | mean | max |", "|---|---:|---:|"]
        for name, (mean, peak) in loads.items():
            lines.append(f"| {name} | {mean:.2f} | {peak:.2f} |")
    surge_path = out / "surge.json"
    if surge_path.exists():
        s = json.loads(surge_path.read_text())
        db = s["database"]
        rate = float(s["applications"]) / float(s["wall_seconds"] or 1)
        lines += ["", "## Deadline surge", "",
                  f"{s['applications']} drafts (+{s['double_clicks']} double clicks = "
                  f"{s['requests']} POSTs) released together on the window's last day: "
                  f"{s['wall_seconds']} s wall, {s['requests_per_second']} req/s; "
                  f"latency p50 {s['latency_ms']['p50']} ms, p95 {s['latency_ms']['p95']} ms, "
                  f"p99 {s['latency_ms']['p99']} ms, max {s['latency_ms']['max']} ms.",
                  f"Statuses: {s['statuses']}. Database: {db['submitted']} submitted, "
                  f"{db['lost']} lost, {db['duplicated']} duplicated, {db['audit_events']} "
                  f"`application.submit` audit events "
                  f"({db['apps_without_one_audit_event']} applications without exactly one). "
                  f"Verdict: {'OK' if s['ok'] else '**FAILED**'}.",
                  "",
                  f"{rate:.1f} submissions/s. "
                  f"Target (≥ {SURGE_RATE_TARGET:.0f} submissions/s, 0 lost, 0 duplicated, "
                  f"p95 < {SURGE_P95_TARGET_MS / 1000:.0f} s): " + verdict(
                      bool(s["ok"]) and rate >= SURGE_RATE_TARGET
                      and float(s["latency_ms"]["p95"]) < SURGE_P95_TARGET_MS
                      and db["lost"] == 0 and db["duplicated"] == 0, before.get("surge"))
                  + f" (load before the surge {before.get('surge', float('nan')):.2f})."]
    audit = out / "audit.txt"
    if audit.exists():
        lines += ["", f"Audit chain after the run: `{audit.read_text().strip()}`"]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
