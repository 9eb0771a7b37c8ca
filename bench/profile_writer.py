"""What one audited operation costs, by part (bench/README.md, "What one operation costs").

One writer in this process runs the operation of `bench_writers.py` (`save_instance` of a
district by the system actor) N times after a warm-up and prints, per operation: wall time,
this process's CPU, the PostgreSQL backend's CPU (from /proc, so the server must run on this
machine), and the wall and CPU of the parts: the change's save, the event's INSERT, the
COMMITs and the after-commit sequencer. With `--queries`, each statement's count too.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhicheng_writers \\
        .venv/bin/python bench/profile_writer.py [N] [--queries]
"""

from __future__ import annotations

import collections
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")
os.environ.setdefault("ZHICHENG_AUDIT_CHAINING", "after_commit")


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from django.db import connection

    from zhicheng.core import audit, operations
    from zhicheng.core.operations import SYSTEM, save_instance
    from zhicheng.orgs.models import District

    if connection.vendor != "postgresql":
        print("profile_writer.py needs PostgreSQL (DATABASE_URL=postgres://…).", file=sys.stderr)
        return 2
    n = int(next((a for a in argv if a.isdigit()), "1000"))
    cpu: collections.Counter[str] = collections.Counter()
    wall: collections.Counter[str] = collections.Counter()
    statements: collections.Counter[str] = collections.Counter()

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def inner(*args: Any, **kwargs: Any) -> Any:
            t, c = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                wall[name] += time.perf_counter() - t
                cpu[name] += time.process_time() - c
        return inner

    operations.append_event = timed("the event (append_event, INSERT)", operations.append_event)
    audit._sequence_after_commit = timed("the after-commit sequencer",
                                         audit._sequence_after_commit)
    connection._commit = timed("the COMMITs", connection._commit)  # type: ignore[method-assign]
    District.save = timed("the change (instance.save, UPDATE)", District.save)  # type: ignore[method-assign]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[sql[:100]] += 1
        return execute(sql, params, many, context)

    district, _ = District.objects.get_or_create(
        code="bench-profile", defaults={"name": "压测区", "kind": "zone"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    def server_cpu() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    for i in range(20):
        district.name = f"压测区-{i}"
        save_instance(SYSTEM, district, changed=["name"])
    cpu.clear()
    wall.clear()
    s0, t0, c0 = server_cpu(), time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        for i in range(n):
            district.name = f"压测区-{i}"
            save_instance(SYSTEM, district, changed=["name"])
    w, c, s = time.perf_counter() - t0, time.process_time() - c0, server_cpu() - s0
    print(f"load {os.getloadavg()[0]:.2f}; per operation: wall {w / n * 1e3:.2f} ms, "
          f"Python CPU {c / n * 1e3:.2f} ms, PostgreSQL CPU {s / n * 1e3:.2f} ms, "
          f"{sum(statements.values()) / n:.1f} statements")
    for name in wall:
        print(f"  {name:40} wall {wall[name] / n * 1e3:.2f} ms, CPU {cpu[name] / n * 1e3:.2f} ms")
    if "--queries" in argv:
        for sql, k in statements.most_common():
            print(f"  {k / n:4.1f} × {sql}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
