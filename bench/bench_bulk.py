"""Bulk paths: time and peak memory of each, in its own process.

    .venv/bin/python bench/bench_bulk.py                 # full sizes: 20,000 / 10,000 / 300,000
    .venv/bin/python bench/bench_bulk.py --scale 0.1     # a tenth of each
    make bench                                            # runs test_bulk_paths below (--scale 0.1)

1. roster export: `reviews.exports.worklist_xlsx` (openpyxl write-only, streamed) over N
   applications with their related rows already loaded (the page feeds it
   `queryset.iterator(chunk_size=500)`; the database read is not part of this figure);
2. certificate PDFs: `simulation.bulk.certificates_zip` (the body of the Celery task
   `bulk.certificates_zip`) renders N signed certificates one at a time into a zip file;
3. policy batch: `zhicheng eligibility --batch` (`policy.cli.decide_lines`) over N generated
   profiles read from a JSONL file and written to another.

Each path runs in a fresh interpreter (`--one PATH N`) so its peak RSS (`ru_maxrss`) is its
own; the Python heap peak comes from tracemalloc (run separately: it slows the code down).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"export": 20_000, "certificates": 10_000, "policy": 300_000}


def _django(tmp: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")
    os.environ.setdefault("ZHICHENG_VAR_DIR", tmp)
    os.environ.setdefault("ZHICHENG_KEY_DIR", str(Path(tmp) / "keys"))
    import django

    django.setup()


def _applications(n: int) -> Iterator[Any]:
    """Unsaved applications with their related rows (what select_related gives the page)."""
    from zhicheng.accounts.models import User
    from zhicheng.applications.models import Application
    from zhicheng.catalogue.models import Series
    from zhicheng.orgs.models import Organisation
    from zhicheng.seasons.models import CommitteePlan

    series = Series(name="工程技术", code="engineering")
    reviewer = Organisation(name="连云港市海州区人力资源和社会保障局")
    plans = [CommitteePlan(row=r, specialty=f"专业{r}") for r in range(40, 61)]
    submitted = dt.datetime(2024, 7, 15, 9, 30, tzinfo=dt.UTC)
    for i in range(n):
        yield Application(
            pk=i + 1, applicant=User(full_name=f"申报人{i:05d}"),
            employer=Organisation(name=f"连云港模拟{i % 500:03d}科技有限公司"),
            preliminary_reviewer=reviewer, plan=plans[i % len(plans)], series=series,
            specialty="质量工程", level="intermediate", state="preliminary_review",
            submitted_at=submitted,
        )


def run_export(n: int, tmp: str) -> dict[str, Any]:
    from zhicheng.reviews.exports import worklist_xlsx

    size = 0
    with (Path(tmp) / "roster.xlsx").open("wb") as out:
        for chunk in worklist_xlsx(_applications(n)):
            out.write(chunk)
            size += len(chunk)
    return {"bytes": size}


def _certificates(n: int) -> Iterator[Any]:
    from zhicheng.certificates.models import Certificate
    from zhicheng.certificates.operations import build_payload
    from zhicheng.certificates.payload import b64e
    from zhicheng.certificates.signing import sign_payload

    day = dt.date(2024, 11, 29)
    for i in range(n):
        cert = Certificate(
            number=f"LYG2024-ENG-M-{i:06d}", holder_name=f"申报人{i:05d}", id_type="居民身份证",
            id_masked="3207**********001X", series_name="工程技术", specialty="质量工程",
            title_name="工程师", level="中级", route="评审", committee="连云港市工程技术中级评委会",
            approval_number="连职称〔2024〕41号", qualification_date=day,
            issuing_authority="连云港市人力资源和社会保障局", review_number=f"2024-41-{i:06d}",
            issue_date=day,
        )
        body, signature, key_id = sign_payload(build_payload(cert, ""))
        cert.payload, cert.signature, cert.key_id = body.decode(), b64e(signature), key_id
        yield cert


def prepare_certificates(n: int, tmp: str) -> None:
    _django(tmp)
    from zhicheng.certificates.keys import ensure_key

    ensure_key()
    next(_certificates(1))  # fonts, key and QR code loaded before the clock starts


def run_certificates(n: int, tmp: str) -> dict[str, Any]:
    from zhicheng.simulation.bulk import certificates_zip

    path = Path(tmp) / "certificates.zip"
    with path.open("wb") as out:
        count = certificates_zip(_certificates(n), out)
    return {"bytes": path.stat().st_size, "count": count}


def prepare_policy(n: int, tmp: str) -> None:
    from zhicheng.policy.sample import write_jsonl

    with (Path(tmp) / "profiles.jsonl").open("w", encoding="utf-8") as fh:
        write_jsonl(n, fh)  # one profile at a time: the RSS before the batch stays small


def run_policy(n: int, tmp: str) -> dict[str, Any]:
    from zhicheng.policy.cli import decide_lines

    source = Path(tmp) / "profiles.jsonl"
    with source.open("rb") as src, (Path(tmp) / "decisions.jsonl").open("wb") as out:
        for _number, decision, problems in decide_lines(src):
            out.write(decision if decision is not None else json.dumps(problems).encode())
            out.write(b"\n")
    return {}


def prepare_export(n: int, tmp: str) -> None:
    _django(tmp)
    from zhicheng.reviews.exports import worklist_xlsx

    for _chunk in worklist_xlsx(_applications(1)):  # openpyxl loaded before the clock starts
        pass


# path -> (set-up outside the measurement, the measured run)
PATHS: dict[str, tuple[Callable[[int, str], None], Callable[[int, str], dict[str, Any]]]] = {
    "export": (prepare_export, run_export),
    "certificates": (prepare_certificates, run_certificates),
    "policy": (prepare_policy, run_policy),
}


def one(path: str, n: int, traced: bool) -> dict[str, Any]:
    prepare, run = PATHS[path]
    with tempfile.TemporaryDirectory() as tmp:
        prepare(n, tmp)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if traced:
            tracemalloc.start()
        wall, cpu = time.perf_counter(), time.process_time()
        extra = run(n, tmp)
        result = {"path": path, "n": n, "seconds": time.perf_counter() - wall,
                  "cpu_seconds": time.process_time() - cpu, "rss_before_mib": before,
                  "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **extra}
        if traced:
            result["python_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    return result


def measure(path: str, n: int, traced: bool = False) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--one", path, str(n)] + (["--traced"] if traced else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", choices=sorted(PATHS), action="append")
    parser.add_argument("--one", nargs=2, metavar=("PATH", "N"))
    parser.add_argument("--traced", action="store_true")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]), args.traced)))
        return
    print("| path | items | wall s | CPU s | RSS before MiB | peak RSS MiB | heap peak MiB |")
    print("|---|---|---|---|---|---|---|")
    for path in args.only or list(PATHS):
        n = max(1, int(SIZES[path] * args.scale))
        r = measure(path, n)
        heap = measure(path, max(1, n // 10), traced=True)["python_peak_mib"]
        print(f"| {path} | {n:,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | "
              f"{r['rss_before_mib']:.1f} | {r['maxrss_mib']:.1f} | "
              f"{heap:.1f} (at {max(1, n // 10):,}) |", flush=True)


def test_bulk_paths(benchmark: Any) -> None:
    """`make bench`: each path at a tenth of its size, once (time and peak RSS reported)."""
    results = benchmark.pedantic(
        lambda: [measure(p, max(1, SIZES[p] // 10)) for p in PATHS], rounds=1, iterations=1)
    benchmark.extra_info["bulk"] = results
    assert all(r["seconds"] > 0 for r in results)


if __name__ == "__main__":
    main()
