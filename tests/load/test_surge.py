"""The deadline surge in small (bench/load/surge.py runs it with 1,000 over HTTP): 20
applicants of several employers submit at the same moment on the last day of the window,
some of them twice with the same form token. Nothing is lost, nothing is doubled, every
submission has one audit event and the chain stays intact. Needs PostgreSQL's row locks
(SQLite serialises whole transactions and its test database lives in one connection)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from zhicheng.applications import operations as ops
from zhicheng.applications.models import Application, Submission
from zhicheng.applications.states import State
from zhicheng.core.audit import verify_chain
from zhicheng.core.models import AuditEvent

THREADS = 20
OTHER_EMPLOYER = "连云港港湾新材料科技有限公司"


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submissions_on_the_last_day(
    applicant: Any, draft: Any, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent row locks need PostgreSQL (make test-postgres runs this)")
    from zhicheng.applications.models import ApplicantProfile
    from zhicheng.orgs.models import Organisation

    drafts = [draft(applicant()) for _ in range(THREADS)]
    # Two employers, so both the per-employer lock (四: one committee per unit) and
    # independent submissions are exercised.
    other = Organisation.objects.get(name=OTHER_EMPLOYER)
    ApplicantProfile.objects.filter(user_id__in=[d.applicant_id for d in drafts[::2]]).update(
        employer=other)
    settings.ZHICHENG_TODAY = "2024-07-31"  # plan 41 accepts in 5–7月: the last day
    events_before = AuditEvent.objects.filter(action="application.submit").count()

    jobs = [(d, f"surge-{d.pk}") for d in drafts]
    jobs += [(d, f"surge-{d.pk}") for d in drafts[::4]]  # double clicks: same token again
    barrier = threading.Barrier(len(jobs))
    outcomes: list[Any] = []

    def submit(app: Application, token: str) -> None:
        try:
            barrier.wait()
            outcomes.append(ops.submit_application(app, app.applicant, token=token).pk)
        except Exception as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert errors == []
    ids = [d.pk for d in drafts]
    assert set(Application.objects.filter(pk__in=ids).values_list("state", flat=True)) == {
        State.SUBMITTED}
    per_app = [Submission.objects.filter(application_id=i).count() for i in ids]
    assert per_app == [1] * THREADS  # none lost, none doubled
    # A double click answers with the submission the first click made.
    assert len(set(outcomes)) == THREADS
    events = AuditEvent.objects.filter(action="application.submit")
    assert events.count() - events_before == THREADS
    assert sorted(int(t) for t in events.filter(target_id__in=[str(i) for i in ids])
                  .values_list("target_id", flat=True)) == sorted(ids)
    result = verify_chain()
    assert result.ok, str(result)
