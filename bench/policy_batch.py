"""Decisions per second of `zhicheng eligibility --batch` on one core.

    python bench/policy_batch.py [COUNT] [--keep]

Generates COUNT (default 100,000) synthetic profiles (zhicheng.policy.sample, fixed seed) as
JSONL, then times the batch path end to end — parse and validate each line, evaluate, serialise
the decision as one JSON line and write it — in this single process (one core). Reports CPU time
(process_time, robust against other load on the machine) and wall time.
"""

from __future__ import annotations

import collections
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from zhicheng.policy.cli import decide_lines
from zhicheng.policy.sample import write_jsonl


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv and argv[0].isdigit() else 100_000
    keep = "--keep" in argv
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    workdir = Path(tempfile.mkdtemp(prefix="policy-bench-"))
    source, target = workdir / "profiles.jsonl", workdir / "decisions.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        write_jsonl(count, fh)
    size = source.stat().st_size
    # Warm up caches (season, catalogue, plans) outside the timed section.
    list(decide_lines([source.open("rb").readline()]))
    cpu0, wall0 = time.process_time(), time.perf_counter()
    decided = 0
    with source.open("rb") as src, target.open("wb") as out:
        for _number, data, problems in decide_lines(src):
            if data is None:
                raise SystemExit(f"generated profile invalid: {problems}")
            out.write(data + b"\n")
            decided += 1
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    verdicts: collections.Counter[str] = collections.Counter()
    with target.open("rb") as fh:
        for line in fh:
            verdicts[json.loads(line)["verdict"]] += 1
    out_size = target.stat().st_size
    print(f"profiles: {decided} ({size / decided:.0f} B each), out {out_size / decided:.0f} B each")
    print(f"verdicts: {dict(verdicts)}")
    print(
        f"CPU  {cpu:.2f} s -> {decided / cpu:,.0f} decisions/s ({cpu / decided * 1e6:.1f} us each)"
    )
    print(f"wall {wall:.2f} s -> {decided / wall:,.0f} decisions/s")
    if keep:
        print(f"files kept in {workdir}")
    else:
        source.unlink()
        target.unlink()
        workdir.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
