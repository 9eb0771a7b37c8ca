"""Profile one page of the load benchmark in-process: SQL queries (count, time, the slowest)
and a pyinstrument call tree, against the seeded database (same env as bench/load/run.sh).

    DATABASE_URL=… ZHICHENG_TODAY=2024-07-15 .venv/bin/python bench/load/profile.py \
        /review/ --as reviewer [--post k=v …] [--repeat 5] [--tree]

`--as` is `reviewer`, `applicant` (the first load applicant) or `anonymous`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--as", dest="who", default="anonymous",
                    choices=["reviewer", "applicant", "anonymous"])
    ap.add_argument("--post", nargs="*", default=None, help="POST these k=v pairs")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--tree", action="store_true", help="print the pyinstrument tree")
    ap.add_argument("--fixtures", type=Path,
                    default=Path(os.environ.get("LOAD_FIXTURES", "var/load/fixtures.json")))
    args = ap.parse_args(argv)
    settings.DEBUG = True  # record queries
    settings.ALLOWED_HOSTS = ["*"]
    settings.ZHICHENG_EMBEDDED_TICKER = False  # as in production: beat runs the tasks
    fixtures = json.loads(args.fixtures.read_text(encoding="utf-8"))
    client = Client(enforce_csrf_checks=False)
    if args.who == "reviewer":
        client.cookies["sessionid"] = fixtures["reviewer"]["session"]
    elif args.who == "applicant":
        client.cookies["sessionid"] = fixtures["applicants"][0]["session"]
    url = args.url.replace("{app}", str(fixtures["applicants"][0]["application"]))

    def hit() -> int:
        if args.post is not None:
            data = dict(kv.split("=", 1) for kv in args.post)
            return client.post(url, data, HTTP_HX_REQUEST="true").status_code
        return client.get(url).status_code

    status = hit()  # warm-up
    times, cpu = [], []
    for _ in range(args.repeat):
        reset_queries()
        t, c = time.perf_counter(), time.process_time()
        status = hit()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    queries = list(connection.queries)
    sql_time = sum(float(q["time"]) for q in queries)
    print(f"{url}: HTTP {status}, best {min(times) * 1000:.1f} ms, "
          f"median {sorted(times)[len(times) // 2] * 1000:.1f} ms, "
          f"CPU best {min(cpu) * 1000:.1f} ms (this process; the database's is apart), "
          f"{len(queries)} queries, {sql_time * 1000:.1f} ms in SQL (last run)")
    for q in sorted(queries, key=lambda q: -float(q["time"]))[:5]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
    if args.tree:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.repeat):
            hit()
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
