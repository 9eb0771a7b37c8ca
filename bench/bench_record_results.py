"""Registering the results of a large meeting: `evaluation.operations.record_results` over a
meeting of COUNT cases (default 3,000), target under 5 s of server CPU, O(cases).

    python bench/bench_record_results.py [COUNT]
    ZHICHENG_BENCH_PROFILE=1 python bench/bench_record_results.py 300   # with a profile

Builds a test database (the fixtures of tests/conftest.py: the 2024 season and the demo
accounts), a committee, a 5-expert panel and COUNT applications ready for the meeting; the
opening report, draw and opening go through the operations; the votes are then written
directly as counted (setup only: the tally itself is not what is measured) and the meeting
marked signed. It reports the CPU time (`time.process_time`, the Django process with
SQLite in-process) and wall time of `record_results`, its number of SQL queries and the
queries per case.

Do not run it at scale on a shared machine; `python bench/bench_record_results.py 50` is a
smoke run. Not collected by `make bench` (its function is not named test_*).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]
TARGET_CPU_SECONDS = 5.0


def bench_record_results(world: Any, settings: Any, tmp_path: Any) -> None:
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhicheng.accounts.models import User
    from zhicheng.applications.models import Application
    from zhicheng.applications.states import State
    from zhicheng.demo.applications import DEMO_SPECIALTY
    from zhicheng.evaluation import operations as ops
    from zhicheng.evaluation.models import Case, Meeting, MeetingState

    n = int(os.environ.get("ZHICHENG_BENCH_CASES", "3000"))
    settings.ZHICHENG_TODAY = "2024-10-08"
    settings.ZHICHENG_BALLOT_KEY_DIR = str(tmp_path / "ballot-keys")
    world.pool(6)
    users = User.objects.bulk_create([
        User(username=f"bench{i}", full_name=f"申报人{i:05d}", email=f"bench{i}@private.invalid",
             phone=f"139{i:08d}")
        for i in range(n)])
    Application.objects.bulk_create([
        Application(applicant=u, season=world.season, plan=world.plan, series=world.engineering,
                    specialty=DEMO_SPECIALTY, level="intermediate",
                    state=State.READY_FOR_MEETING,  # setup only
                    employer=world.employer,
                    submitted_at=dt.datetime(2024, 8, 1, tzinfo=dt.UTC))
        for u in users])
    m = world.opened(count=5, reserve=0)
    voters = [s.pk for s in m.seats.filter(reserve=False)]
    # Setup only: every case counted 4 agree + 1 disagree of 5, the meeting signed.
    Case.objects.filter(meeting=m).update(
        ballot_closed=True, agree=4, disagree=1, abstain=0, not_voted=0, attending=5,
        eligible_seats=voters, passed=True)
    Meeting.objects.filter(pk=m.pk).update(state=MeetingState.SIGNED)
    m.refresh_from_db()
    cases = Case.objects.filter(meeting=m).count()
    profile = None
    if os.environ.get("ZHICHENG_BENCH_PROFILE"):
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    cpu, wall = time.process_time(), time.perf_counter()
    with CaptureQueriesContext(connection) as q:
        ops.record_results(m, world.office)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profile is not None:
        import pstats

        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    passed = Application.objects.filter(evaluation_cases__meeting=m, state=State.PASSED).count()
    assert passed == cases, (passed, cases)
    verdict = "under" if cpu < TARGET_CPU_SECONDS else "OVER"
    print(f"\nrecord_results: {cases} cases, CPU {cpu:.2f} s ({verdict} the "
          f"{TARGET_CPU_SECONDS:.0f} s target), wall {wall:.2f} s, {len(q)} SQL queries "
          f"({len(q) / cases:.2f} per case), {1000 * cpu / cases:.2f} ms CPU per case")


def main(argv: list[str]) -> int:
    if argv:
        os.environ["ZHICHENG_BENCH_CASES"] = str(int(argv[0]))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")
    import django

    django.setup()  # before the fixture modules below import the models
    return int(pytest.main([
        str(Path(__file__).relative_to(ROOT)), "-p", "tests.conftest",
        "-p", "tests.factories.evaluation", "-p", "no:cacheprovider", "-q", "-s",
        "-o", "python_files=bench_*.py",
        "-o", "python_functions=bench_*",
    ]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
