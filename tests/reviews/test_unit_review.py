"""Unit review (四（二）): checklist per material, opinion, approval opens the unit publicity,
return with reasons, recommendation after the publicity closed."""

from __future__ import annotations

import pytest

from zhicheng.applications.models import Notification
from zhicheng.applications.states import State, TransitionRefused
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import NotPermitted, StateConflict
from zhicheng.publicity.models import Publicity
from zhicheng.reviews import operations as rops
from zhicheng.reviews.models import ReviewStep

pytestmark = pytest.mark.django_db


def test_unit_approval_needs_view_originals_and_opinion(chain, demo_users):
    app = chain.submitted()
    hr = demo_users["unit_hr"]
    rops.unit_start_review(app, hr)
    app.refresh_from_db()
    assert app.state == State.UNIT_REVIEW
    with pytest.raises(StateConflict, match="查阅"):
        rops.unit_approve(app, hr)
    rops.record_dossier_view(app, hr)
    with pytest.raises(TransitionRefused, match="尚未核对原件"):
        rops.unit_approve(app, hr)
    sub = app.submissions.get()
    ids = [m["id"] for m in sub.snapshot["materials"]]
    rops.save_unit_check(app, hr, checked_ids=ids[:1], opinion="")
    with pytest.raises(TransitionRefused, match="劳动合同"):
        rops.unit_approve(app, hr)
    rops.save_unit_check(app, hr, checked_ids=ids, opinion="")
    with pytest.raises(TransitionRefused, match="单位审核意见"):
        rops.unit_approve(app, hr)
    rops.save_unit_check(app, hr, checked_ids=ids, opinion="经核对原件，情况属实。")
    rops.unit_approve(app, hr)
    app.refresh_from_db()
    assert app.state == State.UNIT_PUBLICITY
    publicity = Publicity.objects.get(application=app, kind="unit")
    assert publicity.closed_at is None
    events = AuditEvent.objects.filter(action="review.unit_approve", target_id=str(app.pk))
    assert events.count() == 1
    assert Notification.objects.filter(user=app.applicant, kind="review.unit_approved").exists()


def test_unit_return_goes_back_to_draft_with_reasons_for_the_applicant(chain, demo_users):
    app = chain.submitted()
    hr = demo_users["unit_hr"]
    rops.unit_start_review(app, hr)
    with pytest.raises(TransitionRefused, match="理由"):
        rops.unit_return(app, hr, reasons="  ")
    rops.unit_return(app, hr, reasons="劳动合同缺少签字页。")
    app.refresh_from_db()
    assert app.state == State.DRAFT
    note = Notification.objects.get(user=app.applicant, kind="review.unit_returned")
    assert "劳动合同缺少签字页" in note.body
    step = ReviewStep.objects.get(application=app, step="unit_return")
    assert step.is_return and step.organisation == app.employer


def test_recommend_only_after_the_publicity_closed(chain, demo_users, haizhou_reviewer_user):
    app = chain.unit_approved(chain.submitted())
    hr = demo_users["unit_hr"]
    with pytest.raises(TransitionRefused, match="尚未期满"):
        rops.unit_recommend(app, hr)
    chain.close_publicity(app)
    rops.unit_recommend(app, hr)
    app.refresh_from_db()
    assert app.state == State.PRELIMINARY_REVIEW
    assert Notification.objects.filter(
        user=haizhou_reviewer_user, kind="review.to_preliminary", application=app
    ).exists()


def test_another_unit_cannot_act(chain, official):
    app = chain.submitted()
    other_hr = official("unit_hr", "连云港港湾新材料科技有限公司")
    with pytest.raises(NotPermitted):
        rops.unit_start_review(app, other_hr)
    rops.unit_start_review(app, chain.unit_hr_for(app))
    with pytest.raises(NotPermitted):
        rops.save_unit_check(app, other_hr, checked_ids=[], opinion="x")


def test_online_verified_education_needs_no_original(chain, demo_users):
    from zhicheng.reviews.guards import exempt_from_originals

    snapshot = {"verified_online": {"education": [True], "social_insurance": False}}
    assert exempt_from_originals(snapshot, {"kind": "education"})
    assert not exempt_from_originals(snapshot, {"kind": "social_insurance"})
    assert not exempt_from_originals(snapshot, {"kind": "title"})
