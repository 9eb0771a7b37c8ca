"""Audited writes per second with 1, 2, 4, 8 writer processes on PostgreSQL (bench/README.md,
"Writers"; docs/performance.md, "The write ceiling").

Each writer is its own process with its own connection; all start together (a barrier) and
run audited operations for `--seconds`: each locks its own row (a district of the writer's
own), changes it through the one door (`core.operations.save_instance`: the row lock, the
permission, one audit event, the after-commit chaining) and commits. After each run the
chain is sequenced and verified: a run whose chain is broken, or that leaves events
unchained, reports failure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhicheng_writers \\
        .venv/bin/python bench/bench_writers.py [--writers 1,2,4,8] [--seconds 10] \\
        [--chaining after_commit|sequencer|in_transaction|both|all] [--create-db]

`--create-db` (re)creates the database named in DATABASE_URL and migrates it. The load
average is recorded before each run and sampled during it; when the 1-minute load before a
run exceeded 1.5 (other work on the machine) the runner refuses to call the target met: the
figures are printed, marked as not comparable.

`sequencer` runs one sequencer process beside the writers (`core.audit.follow_sequence`,
every 0.1 s, as `zhicheng audit sequence --follow` does): the writers' requests do no chaining
at all. `both` is `after_commit` and `in_transaction`; `all` (the default) adds `sequencer`.

Target (docs/performance.md): with `after_commit` or `sequencer` chaining, 2 writers reach at
least 1.5× the operations/s of 1 writer, and 4 writers do not fall below 2 (writes no longer
serialise on the chain head for the length of their transaction).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")

LOAD_LIMIT = 1.5


def _setup(chaining: str) -> None:
    os.environ["ZHICHENG_AUDIT_CHAINING"] = chaining
    import django

    django.setup()


def writer(index: int, chaining: str, seconds: float, start: Any, ready: Any,
           results: Any) -> None:
    """One writer process: audited changes of its own district until the time is up."""
    _setup(chaining)
    from zhicheng.core.operations import SYSTEM, save_instance
    from zhicheng.orgs.models import District

    district, _ = District.objects.get_or_create(
        code=f"bench-w{index}", defaults={"name": f"压测区{index}", "kind": "zone"})
    ready.release()
    start.wait()
    done, n = time.monotonic() + seconds, 0
    t0 = time.monotonic()
    while time.monotonic() < done:
        district.name = f"压测区{index}-{n}"
        save_instance(SYSTEM, district, changed=["name"])
        n += 1
    results.put((index, n, time.monotonic() - t0))


def sequencer(stop: Any) -> None:
    """The sequencer process of `sequencer` chaining, until the run is over."""
    _setup("sequencer")
    from zhicheng.core.audit import follow_sequence

    follow_sequence(0.1, keep_going=lambda: not stop.is_set(), sleep=stop.wait)


class LoadSampler:
    """The 1-minute load average every second while a run goes on."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run(writers: int, chaining: str, seconds: float) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    start, ready, results = ctx.Event(), ctx.Semaphore(0), ctx.Queue()
    procs = [ctx.Process(target=writer, args=(i, chaining, seconds, start, ready, results))
             for i in range(writers)]
    stop = ctx.Event()
    chainer = ctx.Process(target=sequencer, args=(stop,)) if chaining == "sequencer" else None
    for p in procs:
        p.start()
    for _ in procs:
        ready.acquire()
    if chainer is not None:
        chainer.start()
    before = os.getloadavg()
    with LoadSampler() as sampler:
        start.set()
        counts = [results.get() for _ in procs]
    stop.set()
    for p in [*procs, *([chainer] if chainer is not None else [])]:
        p.join()
    ops = sum(n for _, n, _ in counts)
    wall = max(t for _, _, t in counts)
    return {"writers": writers, "chaining": chaining, "ops": ops, "wall": wall,
            "ops_per_s": ops / wall if wall else 0.0, "load_before": before,
            "load_during": max(sampler.samples, default=os.getloadavg()[0])}


def check_chain() -> tuple[bool, str]:
    from zhicheng.core.audit import pending_count, sequence_events, verify_chain

    sequence_events()
    result = verify_chain()
    left = pending_count()
    return result.ok and left == 0, f"{result}; unchained after sequencing: {left}"


def create_db(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    subprocess.run([sys.executable, "-m", "zhicheng", "migrate", "-v0"], check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT / "src")})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--writers", default="1,2,4,8")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--chaining", default="all",
                    choices=["after_commit", "sequencer", "in_transaction", "both", "all"])
    ap.add_argument("--create-db", action="store_true")
    args = ap.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("bench_writers.py needs PostgreSQL (DATABASE_URL=postgres://…).", file=sys.stderr)
        return 2
    if args.create_db:
        create_db(url)
    _setup("after_commit")
    counts = [int(n) for n in args.writers.split(",")]
    modes = {"both": ["after_commit", "in_transaction"],
             "all": ["after_commit", "sequencer", "in_transaction"]}.get(
                 args.chaining, [args.chaining])
    rows = []
    chain_ok = True
    for mode in modes:
        for n in counts:
            row = run(n, mode, args.seconds)
            ok, message = check_chain()
            chain_ok &= ok
            row["chain"] = message
            rows.append(row)
            print(f"{mode:15} {n} writers: {row['ops']:7d} ops in {row['wall']:.1f} s = "
                  f"{row['ops_per_s']:8.1f} ops/s; load before "
                  f"{row['load_before'][0]:.2f}, during max {row['load_during']:.2f}; "
                  f"{message}", flush=True)
    print()
    print("| chaining | writers | ops/s | load before (1 min) | load during (max) |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['chaining']} | {r['writers']} | {r['ops_per_s']:.0f} | "
              f"{r['load_before'][0]:.2f} | {r['load_during']:.2f} |")
    busy = [r for r in rows if r["load_before"][0] > LOAD_LIMIT]
    if busy:
        print(f"\nNOT COMPARABLE: the load before {len(busy)} run(s) exceeded {LOAD_LIMIT} "
              f"(max {max(r['load_before'][0] for r in busy):.2f}); no target is reported "
              "as met. Run it alone on the machine.")
    by = {(r["chaining"], r["writers"]): r["ops_per_s"] for r in rows}
    for mode in ("after_commit", "sequencer"):
        if not all((mode, n) in by for n in (1, 2, 4)):
            continue
        one, two, four = (by[(mode, n)] for n in (1, 2, 4))
        met = two >= 1.5 * one and four >= two
        verdict = "met" if met and not busy else ("missed" if not met else "not judged")
        print(f"target (2 writers ≥ 1.5 × 1 writer, 4 ≥ 2; {mode}): {verdict} "
              f"({two / one if one else 0:.2f} ×, 4/2 = {four / two if two else 0:.2f})")
    if not chain_ok:
        print("FAILED: the audit chain did not verify after a run.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
