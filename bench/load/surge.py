"""Deadline surge: N ready-to-submit drafts submitted at once against the running server.

Run by bench/load/run.sh after the locust runs, with the server's business date set to the
last day of plan 41's window (2024-07-31: acceptance 5–7月). Every draft gets its own thread
and connection; a barrier releases them together; 1 in 10 applicants "double-clicks" (the
same form token posted twice at once), as people do when a page is slow near a deadline.

Then it checks, in the database: each draft submitted exactly once (one Submission, state
`submitted`), one `application.submit` audit event per application, no response ≥ 500;
and prints the figures as JSON (also written to OUT/surge.json).

    LOAD_FIXTURES=var/load/fixtures.json DATABASE_URL=… \
        .venv/bin/python bench/load/surge.py --host http://127.0.0.1:8108 --out var/load
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import requests


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def fire(host: str, entries: list[dict[str, Any]], double_every: int) -> dict[str, Any]:
    csrf = secrets.token_hex(16)
    jobs: list[tuple[dict[str, Any], str]] = []
    for i, entry in enumerate(entries):
        token = secrets.token_urlsafe(24)
        jobs.append((entry, token))
        if double_every and i % double_every == 0:
            jobs.append((entry, token))  # the double click: same token, same moment
    barrier = threading.Barrier(len(jobs))
    results: list[tuple[int, float, int]] = [(0, 0.0, 0)] * len(jobs)

    def run(k: int, entry: dict[str, Any], token: str) -> None:
        s = requests.Session()
        # Sent as a header: the production server's cookies are `Secure` (see locustfile).
        s.headers["Cookie"] = f"sessionid={entry['session']}; csrftoken={csrf}"
        url = f"{host}/apply/{entry['application']}/submit/"
        barrier.wait()
        t = time.perf_counter()
        try:
            r = s.post(url, data={"token": token}, headers={"X-CSRFToken": csrf},
                       allow_redirects=False, timeout=600)
            status = r.status_code
        except requests.RequestException:
            status = -1
        results[k] = (status, time.perf_counter() - t, entry["application"])
        s.close()

    threads = [threading.Thread(target=run, args=(k, e, tok), daemon=True)
               for k, (e, tok) in enumerate(jobs)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    latencies = [d for _s, d, _a in results]
    statuses = Counter(s for s, _d, _a in results)
    return {
        "requests": len(jobs),
        "applications": len(entries),
        "double_clicks": len(jobs) - len(entries),
        "wall_seconds": round(wall, 2),
        "requests_per_second": round(len(jobs) / wall, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "latency_ms": {
            "p50": round(percentile(latencies, 50) * 1000),
            "p95": round(percentile(latencies, 95) * 1000),
            "p99": round(percentile(latencies, 99) * 1000),
            "max": round(max(latencies) * 1000),
            "mean": round(statistics.fmean(latencies) * 1000),
        },
    }


def check(app_ids: list[int]) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")
    import django

    django.setup()
    from django.db.models import Count

    from zhicheng.applications.models import Application, Submission
    from zhicheng.core.models import AuditEvent

    states = Counter(Application.objects.filter(pk__in=app_ids).values_list("state", flat=True))
    per_app = dict(
        Submission.objects.filter(application_id__in=app_ids).values_list("application_id")
        .annotate(n=Count("pk")).values_list("application_id", "n")
    )
    events = Counter(
        AuditEvent.objects.filter(action="application.submit",
                                  target_id__in=[str(a) for a in app_ids])
        .values_list("target_id", flat=True)
    )
    return {
        "states": dict(states),
        "submitted": states.get("submitted", 0),
        "lost": sum(1 for a in app_ids if per_app.get(a, 0) == 0),
        "duplicated": sum(1 for a in app_ids if per_app.get(a, 0) > 1),
        "audit_events": sum(events.values()),
        "apps_without_one_audit_event": sum(1 for a in app_ids if events.get(str(a), 0) != 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="deadline surge: concurrent submissions")
    ap.add_argument("--host", default="http://127.0.0.1:8108")
    ap.add_argument("--fixtures", type=Path,
                    default=Path(os.environ.get("LOAD_FIXTURES", "var/load/fixtures.json")))
    ap.add_argument("--count", type=int, default=0, help="default: every surge draft")
    ap.add_argument("--double-every", type=int, default=10)
    ap.add_argument("--out", type=Path, default=Path("var/load"))
    args = ap.parse_args(argv)
    fixtures = json.loads(args.fixtures.read_text(encoding="utf-8"))
    entries = fixtures["surge"][: args.count or None]
    figures = fire(args.host.rstrip("/"), entries, args.double_every)
    figures["database"] = check([e["application"] for e in entries])
    db = figures["database"]
    figures["ok"] = (
        db["submitted"] == len(entries) and db["lost"] == 0 and db["duplicated"] == 0
        and db["apps_without_one_audit_event"] == 0
        and not any(int(s) >= 500 or int(s) < 0 for s in figures["statuses"])
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "surge.json").write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures, indent=1))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
