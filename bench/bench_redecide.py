"""Re-deciding a whole season: 300,000 profiles with `--workers 2`, target under 60 s.

    python bench/bench_redecide.py [COUNT] [--workers N] [--season-dir DIR] [--per-core N] [--keep]

What users need from batch speed is re-deciding every profile of a season when a draft or
corrected season version is tried. This generates COUNT (default 300,000) synthetic profiles
(zhicheng.policy.sample, fixed seed) as JSONL and decides them all the way `zhicheng eligibility
--batch IN.jsonl --workers N` does (strict parse, evaluate, one JSON line per decision, input
order), against the bundled season or, with --season-dir, a season folder read with
`read_season` (a draft or corrected version of the same season's TOML files).

It reports:
- the wall time of the whole re-decision with N workers (default 2) and whether it is under the
  60 s target;
- the per-core figure: CPU time per decision of one process pinned to one core, over the first
  --per-core profiles (default 20,000), and what one core would need for COUNT;
- the machine's load average before and after, and the number of CPUs. Run it alone on the
  machine: with other work running the wall time says little (a warning is printed when the
  1-minute load average is above 0.5 before the run).

Do not run it at scale on a shared machine; `python bench/bench_redecide.py 600` is a smoke run.
"""

from __future__ import annotations

import collections
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any

from zhicheng.policy import evaluate, load_season
from zhicheng.policy.cli import decide_chunk, line_chunks, parse_profile
from zhicheng.policy.sample import write_jsonl
from zhicheng.policy.season import DEFAULT_SEASON, Season, read_season

TARGET_SECONDS = 60.0
Result = tuple[int, bytes | None, list[dict[str, str]]]

_SEASON: Season | None = None


def _season(directory: str | None) -> Season:
    if directory is None:
        return load_season()
    return read_season(DEFAULT_SEASON, Path(directory))


def _init_worker(directory: str | None) -> None:
    global _SEASON
    _SEASON = _season(directory)


def _decide_chunk(chunk: list[tuple[int, bytes]]) -> list[Result]:
    """cli.decide_chunk against the season the worker was started with."""
    return decide_chunk(chunk, _SEASON or load_season())


def redecide(source: Path, target: Path, workers: int, directory: str | None) -> int:
    """Decide every line of `source` into `target` with `workers` processes; returns the count.

    The same scheme as cli.decide_lines_parallel (chunks of CHUNK_LINES, at most 4 per worker in
    flight, results in input order), with the season given to each worker once.
    """
    decided = 0
    with (
        source.open("rb", buffering=1 << 20) as src,
        target.open("wb", buffering=1 << 20) as out,
        multiprocessing.get_context().Pool(
            workers, initializer=_init_worker, initargs=(directory,)
        ) as pool,
    ):
        pending: deque[Any] = deque()

        def drain(result: Any) -> None:
            nonlocal decided
            for number, data, problems in result.get():
                if data is None:
                    raise SystemExit(f"line {number}: generated profile invalid: {problems}")
                out.write(data)
                out.write(b"\n")
                decided += 1

        for chunk in line_chunks(src):
            pending.append(pool.apply_async(_decide_chunk, (chunk,)))
            if len(pending) >= 4 * workers:
                drain(pending.popleft())
        while pending:
            drain(pending.popleft())
    return decided


def per_core(source: Path, limit: int, directory: str | None) -> tuple[int, float]:
    """(profiles, CPU seconds) of one process pinned to one core over the first `limit` lines."""
    season = _season(directory)
    with source.open("rb") as fh:
        lines = [line for _, line in zip(range(limit), fh, strict=False)]
    evaluate(parse_profile(lines[0]), season)  # warm caches outside the timed part
    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    if affinity:
        os.sched_setaffinity(0, {min(affinity)})
    try:
        cpu0 = time.process_time()
        for line in lines:
            evaluate(parse_profile(line), season).to_json_bytes()
        return len(lines), time.process_time() - cpu0
    finally:
        if affinity:
            os.sched_setaffinity(0, affinity)


def _option(argv: list[str], name: str, default: str | None) -> str | None:
    return argv[argv.index(name) + 1] if name in argv else default


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv and argv[0].isdigit() else 300_000
    workers = int(_option(argv, "--workers", "2") or 2)
    directory = _option(argv, "--season-dir", None)
    sample_size = min(int(_option(argv, "--per-core", "20000") or 20000), count)
    load_before = os.getloadavg()
    cpus = os.cpu_count()
    print(
        f"machine: {cpus} CPUs, load average (1, 5, 15 min) before: {load_before[0]:.2f} "
        f"{load_before[1]:.2f} {load_before[2]:.2f}"
    )
    if load_before[0] > 0.5:
        print("warning: the machine is not idle; wall times are not representative")
    season = _season(directory)
    print(f"season: {season.code} ({directory or 'bundled data'})")
    workdir = Path(tempfile.mkdtemp(prefix="policy-redecide-"))
    source, target = workdir / "profiles.jsonl", workdir / "decisions.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        write_jsonl(count, fh)
    wall0 = time.perf_counter()
    decided = redecide(source, target, workers, directory)
    wall = time.perf_counter() - wall0
    load_after = os.getloadavg()
    verdicts: collections.Counter[str] = collections.Counter()
    with target.open("rb") as fh:
        for line in fh:
            verdicts[json.loads(line)["verdict"]] += 1
    measured, cpu = per_core(source, sample_size, directory)
    each = cpu / measured
    print(f"profiles: {decided}, verdicts: {dict(verdicts)}")
    verdict = "under" if wall < TARGET_SECONDS else "OVER"
    print(
        f"re-decision, {workers} workers: wall {wall:.2f} s -> {decided / wall:,.0f} decisions/s "
        f"({verdict} the {TARGET_SECONDS:.0f} s target for {decided:,})"
    )
    print(
        f"per core: {each * 1e6:.1f} us CPU per decision over {measured:,} profiles -> "
        f"{1 / each:,.0f} decisions/s; one core would need {each * decided:.1f} s for {decided:,}"
    )
    print(
        f"load average (1, 5, 15 min) after: {load_after[0]:.2f} {load_after[1]:.2f} "
        f"{load_after[2]:.2f}"
    )
    if "--keep" in argv:
        print(f"files kept in {workdir}")
    else:
        source.unlink()
        target.unlink()
        workdir.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
