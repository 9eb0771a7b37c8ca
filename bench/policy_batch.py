"""Decisions per second of `zhicheng eligibility --batch` on one core.

    python bench/policy_batch.py [COUNT] [--keep] [--phases] [--workers N]

Generates COUNT (default 100,000) synthetic profiles (zhicheng.policy.sample, fixed seed) as
JSONL, then times the batch path end to end — parse and validate each line, evaluate, serialise
the decision as one JSON line and write it — in this single process (one core). Reports CPU time
(process_time, robust against other load on the machine), wall time and the peak resident memory
of the process (ru_maxrss: the batch streams, so it does not grow with COUNT).

--phases   also times validate / evaluate / serialise separately (CPU, inside the streaming loop,
           best of 3 passes over the first 10,000).
--workers  times `--batch --workers N` instead (N processes, not pinned): wall time only, since
           the work is spread over processes; CPU time of parent and workers is shown as well.
"""

from __future__ import annotations

import collections
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from zhicheng.policy import evaluate, load_season
from zhicheng.policy.cli import decide_lines, parse_profile
from zhicheng.policy.sample import write_jsonl


def _phases(source: Path, limit: int = 10_000) -> None:
    """CPU time of each phase, measured inside the streaming loop (as the batch runs them).

    Timing whole lists per phase instead keeps 10,000 profiles and decisions alive at once,
    which measured validation ~2x slower than the streaming batch pays for it.
    """
    with source.open("rb") as fh:
        lines = [line for _, line in zip(range(limit), fh, strict=False)]
    season = load_season()
    clock = time.process_time
    best: list[float] | None = None
    for _ in range(3):
        spent = [0.0, 0.0, 0.0]
        for line in lines:
            t0 = clock()
            profile = parse_profile(line)
            t1 = clock()
            decision = evaluate(profile, season)
            t2 = clock()
            decision.to_json_bytes()
            t3 = clock()
            spent[0] += t1 - t0
            spent[1] += t2 - t1
            spent[2] += t3 - t2
        if best is None or sum(spent) < sum(best):
            best = spent
    assert best is not None
    validate, decide, serialise = (x / len(lines) * 1e6 for x in best)
    print(
        f"phases ({len(lines)} profiles, CPU, streaming, best of 3 passes): "
        f"validate {validate:.1f} us, evaluate {decide:.1f} us, serialise {serialise:.1f} us"
    )


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv and argv[0].isdigit() else 100_000
    keep = "--keep" in argv
    workers = int(argv[argv.index("--workers") + 1]) if "--workers" in argv else 1
    if workers == 1 and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    workdir = Path(tempfile.mkdtemp(prefix="policy-bench-"))
    source, target = workdir / "profiles.jsonl", workdir / "decisions.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        write_jsonl(count, fh)
    size = source.stat().st_size
    # Warm up caches (season, catalogue, plans) outside the timed section.
    with source.open("rb") as fh:
        list(decide_lines([fh.readline()]))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu0, wall0 = time.process_time(), time.perf_counter()
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    decided = 0
    with source.open("rb", buffering=1 << 20) as src, target.open("wb", buffering=1 << 20) as out:
        if workers == 1:
            results = decide_lines(src)
        else:
            from zhicheng.policy.cli import decide_lines_parallel

            results = decide_lines_parallel(src, workers)
        for _number, data, problems in results:
            if data is None:
                raise SystemExit(f"generated profile invalid: {problems}")
            out.write(data)
            out.write(b"\n")
            decided += 1
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    verdicts: collections.Counter[str] = collections.Counter()
    with target.open("rb") as fh:
        for line in fh:
            verdicts[json.loads(line)["verdict"]] += 1
    out_size = target.stat().st_size
    print(f"profiles: {decided} ({size / decided:.0f} B each), out {out_size / decided:.0f} B each")
    print(f"verdicts: {dict(verdicts)}")
    if workers == 1:
        print(
            f"CPU  {cpu:.2f} s -> {decided / cpu:,.0f} decisions/s "
            f"({cpu / decided * 1e6:.1f} us each)"
        )
    else:
        worker_cpu = (children.ru_utime + children.ru_stime) - (
            children0.ru_utime + children0.ru_stime
        )
        print(f"workers {workers}: CPU parent {cpu:.2f} s + workers {worker_cpu:.2f} s")
    print(f"wall {wall:.2f} s -> {decided / wall:,.0f} decisions/s")
    print(
        "load average (1, 5, 15 min) after the run: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    )
    print(
        f"peak RSS {rss / 1024:.1f} MiB (after warm-up, before the batch: {rss_before / 1024:.1f})"
    )
    if "--phases" in argv:
        _phases(source)
    if keep:
        print(f"files kept in {workdir}")
    else:
        source.unlink()
        target.unlink()
        workdir.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
