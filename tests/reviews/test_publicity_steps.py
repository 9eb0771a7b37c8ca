"""The steps around the publicity app: objections upheld, and the pre-evaluation publicity
closing by itself into "ready for the meeting" (time travel)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from zhicheng.applications.states import State
from zhicheng.core.models import AuditEvent
from zhicheng.publicity.models import Publicity
from zhicheng.publicity.operations import file_objection, resolve_objection
from zhicheng.reviews import operations as rops
from zhicheng.reviews import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle():
    cache.clear()
    yield
    cache.clear()


def test_pre_evaluation_publicity_closing_makes_it_ready_for_the_meeting(
    chain, django_capture_on_commit_callbacks
):
    app = chain.accepted()
    assert app.state == State.PRE_EVALUATION_PUBLICITY
    assert tasks.advance_pre_evaluation() == 0  # still running
    with django_capture_on_commit_callbacks(execute=True):  # the close signal, after commit
        chain.close_publicity(app)
    app.refresh_from_db()
    assert app.state == State.READY_FOR_MEETING
    assert AuditEvent.objects.filter(
        action="review.close_pre_evaluation_publicity", target_id=str(app.pk), actor__isnull=True
    ).count() == 1


def test_an_open_objection_holds_it_until_resolved(chain):
    app = chain.accepted()
    p = Publicity.objects.get(application=app, kind="pre_evaluation")
    objection = file_objection(p, name="", contact="13900000000", text="论文非本人独立完成。",
                               ip="10.0.0.1")
    chain.close_publicity(app)
    app.refresh_from_db()
    assert app.state == State.PRE_EVALUATION_PUBLICITY
    events = AuditEvent.objects.count()
    assert tasks.advance_pre_evaluation() == 0
    assert AuditEvent.objects.count() == events  # nothing to do writes nothing
    resolve_objection(objection, chain.committee, resolution="经核查，论文为本人独立完成。",
                      outcome="dismissed")
    assert tasks.advance_pre_evaluation() == 1
    app.refresh_from_db()
    assert app.state == State.READY_FOR_MEETING


def test_upheld_objections_end_the_application(chain, demo_users):
    app = chain.unit_approved(chain.submitted())
    rops.unit_objection_upheld(app, demo_users["unit_hr"], reasons="经核查，业绩材料不实。")
    app.refresh_from_db()
    assert app.state == State.REJECTED

    other = chain.accepted()
    rops.pre_evaluation_objection_upheld(other, chain.committee, reasons="学历造假。")
    other.refresh_from_db()
    assert other.state == State.REJECTED


def test_idle_system_steps_write_no_audit_event(chain, demo_users):
    app = chain.submitted()
    before = AuditEvent.objects.count()
    assert rops.expire_correction(app) is False
    assert rops.close_pre_evaluation(app) is False
    assert AuditEvent.objects.count() == before
