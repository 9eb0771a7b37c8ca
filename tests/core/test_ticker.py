"""The embedded ticker (no beat: tasks run eagerly inside web requests) keeps running the
periodic tasks after concurrent requests ran eager tasks in other threads. Celery keeps its
"no blocking join inside a task" flag in one process-wide variable; eager runs in several
threads at once can leave it set, and the ticker used to read each result with .get(), which
then raised for every task, so a threaded server stopped closing publicities and chaining."""

from __future__ import annotations

import pytest
from celery.result import denied_join_result

from zhicheng.core.ticker import run_periodic_tasks

pytestmark = pytest.mark.django_db


def test_the_ticker_runs_its_tasks_even_with_celerys_join_flag_left_set() -> None:
    with denied_join_result():  # the state the concurrent eager runs left behind
        results = run_periodic_tasks()
    assert results and "failed" not in results.values(), results
    assert results["audit.sequence"].startswith("chained")
