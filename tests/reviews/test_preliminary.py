"""Preliminary review (四（三））: approve, reject, one complete correction list with a due
date, resubmission of only the listed items with a diff, expiry as abandoned, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories.reviews import pdf_upload
from zhicheng.applications import operations as aops
from zhicheng.applications.models import Notification
from zhicheng.applications.states import State, TransitionRefused
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import OperationError, StateConflict
from zhicheng.core.workdays import office_calendar
from zhicheng.reviews import operations as rops
from zhicheng.reviews import tasks
from zhicheng.reviews.models import CorrectionRequest, CorrectionStatus
from zhicheng.reviews.queries import worklist

pytestmark = pytest.mark.django_db


def _material_ids(app):
    return [m["id"] for m in app.submissions.order_by("-number").first().snapshot["materials"]]


def _request(app, reviewer, due=None):
    mid = _material_ids(app)[0]
    return rops.request_corrections(app, reviewer, items=[
        {"target": "section:education", "problem": "毕业时间与学信网报告不一致"},
        {"target": f"material:{mid}", "problem": "证书扫描件不清晰，请重新上传"},
    ], due_date=due)


def test_approve_and_reject(chain, demo_users):
    reviewer = demo_users["haizhou_reviewer"]
    app = chain.at_preliminary()
    with pytest.raises(StateConflict, match="查阅"):
        rops.preliminary_approve(app, reviewer)
    rops.record_dossier_view(app, reviewer)
    rops.preliminary_approve(app, reviewer)
    app.refresh_from_db()
    assert app.state == State.COMMITTEE_RECHECK
    assert Notification.objects.filter(user=chain.committee, kind="review.to_committee").exists()

    other = chain.at_preliminary()
    with pytest.raises(TransitionRefused, match="理由"):
        rops.preliminary_reject(other, reviewer, reasons="")
    rops.preliminary_reject(other, reviewer, reasons="不符合申报条件：资历不足。")
    other.refresh_from_db()
    assert other.state == State.REJECTED


def test_wrong_reviewer_is_refused(chain, demo_users):
    app = chain.at_preliminary()
    with pytest.raises(OperationError):
        rops.preliminary_approve(app, demo_users["gongxin_reviewer"])


def test_correction_list_is_complete_and_dated_on_the_calendar(chain, demo_users, settings):
    reviewer = demo_users["haizhou_reviewer"]
    app = chain.at_preliminary()
    with pytest.raises(TransitionRefused, match="一次性"):
        rops.request_corrections(app, reviewer, items=[])
    with pytest.raises(OperationError, match="对应"):
        rops.request_corrections(app, reviewer, items=[{"target": "x", "problem": "y"}])
    request = _request(app, reviewer)
    today = dt.date.fromisoformat(settings.ZHICHENG_TODAY)
    assert request.due_date == office_calendar().add_workdays(today, 10)
    app.refresh_from_db()
    assert app.state == State.CORRECTION_REQUESTED
    note = Notification.objects.get(user=app.applicant, kind="review.corrections_requested")
    assert "学历学位" in note.body and "证书扫描件不清晰" in note.body
    assert request.due_date.isoformat() in note.body
    row = worklist(reviewer).get(pk=app.pk)
    assert row.due_date == request.due_date and row.returns == 1


def test_season_parameter_sets_the_default_period(chain, demo_users):
    from zhicheng.core.parameters import ParameterMissing
    from zhicheng.reviews.scope import correction_workdays

    app = chain.at_preliminary()
    assert correction_workdays(app.season) == 10
    periods = {**app.season.parameters["periods"], "correction_workdays": {"value": 3}}
    app.season.parameters = {**app.season.parameters, "periods": periods}
    assert correction_workdays(app.season) == 3
    with pytest.raises(ParameterMissing, match="periods.correction_workdays"):
        correction_workdays(type("S", (), {"parameters": {}})())


def test_resubmission_of_listed_items_with_diff(chain, demo_users, client):
    reviewer = demo_users["haizhou_reviewer"]
    app = chain.at_preliminary()
    request = _request(app, reviewer)
    user = app.applicant
    profile = user.applicant_profile
    row = dict(profile.facts["education"][0], date="2015-07-01")
    aops.save_fact(profile, user, "education", 0, row, version=profile.version)
    old_id = _material_ids(app)[0]
    with pytest.raises(OperationError, match="不在补正清单"):
        rops.replace_material(app, user, material_id=_material_ids(app)[1],
                              upload=pdf_upload(text="other"))
    new = rops.replace_material(app, user, material_id=old_id,
                                upload=pdf_upload(text="clearer scan"))
    sub = rops.resubmit_corrections(app, user)
    app.refresh_from_db()
    assert app.state == State.PRELIMINARY_REVIEW and sub.number == 2 and sub.verify()
    request.refresh_from_db()
    assert request.status == CorrectionStatus.ANSWERED and request.answered_submission == sub
    assert {m["id"] for m in sub.snapshot["materials"]} >= {new.pk}

    client.force_login(reviewer)
    html = client.get(f"/review/{app.pk}/").content.decode()
    assert "补正前后对照" in html and "2015-06-30" in html and "2015-07-01" in html
    assert "替换为" in html
    # the replaced file of the first snapshot stays viewable
    assert client.get(f"/review/{app.pk}/material/{old_id}/").status_code == 200


def test_changes_outside_the_list_are_refused(chain, demo_users):
    reviewer = demo_users["haizhou_reviewer"]
    app = chain.at_preliminary()
    _request(app, reviewer)
    user = app.applicant
    profile = user.applicant_profile
    row = dict(profile.facts["work_history"][0], position="质量部经理")
    aops.save_fact(profile, user, "work_history", 0, row, version=profile.version)
    with pytest.raises(TransitionRefused, match="工作经历"):
        rops.resubmit_corrections(app, user)
    app.refresh_from_db()
    assert app.state == State.CORRECTION_REQUESTED


def test_no_resubmission_after_the_due_date(chain, demo_users, today):
    app = chain.at_preliminary()
    request = _request(app, demo_users["haizhou_reviewer"])
    today(request.due_date + dt.timedelta(days=1))
    with pytest.raises(TransitionRefused, match="已过"):
        rops.resubmit_corrections(app, app.applicant)


def test_expiry_abandons_by_itself_once_and_audited(chain, demo_users, today):
    app = chain.at_preliminary()
    request = _request(app, demo_users["haizhou_reviewer"])
    today(request.due_date)
    assert tasks.expire_corrections() == 0  # the due date itself is still open
    today(request.due_date + dt.timedelta(days=1))
    assert tasks.expire_corrections() == 1
    assert tasks.expire_corrections() == 0  # idempotent
    app.refresh_from_db()
    request.refresh_from_db()
    assert app.state == State.ABANDONED and request.status == CorrectionStatus.EXPIRED
    event = AuditEvent.objects.get(action="review.expire_corrections", target_id=str(app.pk))
    assert event.actor_id is None and event.actor_label == "系统"
    assert Notification.objects.filter(user=app.applicant, kind="review.abandoned").count() == 1


def test_reminder_two_working_days_before_once(chain, demo_users, today):
    app = chain.at_preliminary()
    request = _request(app, demo_users["haizhou_reviewer"])
    cal = office_calendar()
    day = request.due_date
    for _ in range(3):  # three working days before: too early
        day -= dt.timedelta(days=1)
        while not cal.is_workday(day):
            day -= dt.timedelta(days=1)
    today(day)
    assert tasks.remind_corrections() == 0
    day += dt.timedelta(days=1)
    while not cal.is_workday(day):
        day += dt.timedelta(days=1)
    today(day)
    assert cal.add_workdays(day, 2) == request.due_date
    assert tasks.remind_corrections() == 1
    assert tasks.remind_corrections() == 0
    assert Notification.objects.filter(
        user=app.applicant, kind="review.correction_reminder"
    ).count() == 1
    request.refresh_from_db()
    assert request.reminded_at is not None


def test_time_machine_expiry_and_reminder(chain, demo_users, settings):
    """The same with the real clock moved (no pinned business date)."""
    with time_machine.travel(dt.datetime(2024, 7, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        app = chain.at_preliminary()
    settings.ZHICHENG_TODAY = ""
    with time_machine.travel(dt.datetime(2024, 7, 23, 9, 0, tzinfo=dt.UTC), tick=False):
        request = _request(app, demo_users["haizhou_reviewer"])
        assert request.due_date == dt.date(2024, 8, 6)  # 10 working days after 2024-07-23
    with time_machine.travel(dt.datetime(2024, 8, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        assert tasks.remind_corrections() == 1
        assert tasks.expire_corrections() == 0
    with time_machine.travel(dt.datetime(2024, 8, 7, 1, 0, tzinfo=dt.UTC), tick=False):
        assert tasks.expire_corrections() == 1
    app.refresh_from_db()
    assert app.state == State.ABANDONED
    assert CorrectionRequest.objects.get(pk=request.pk).status == CorrectionStatus.EXPIRED


def test_the_applicant_is_emailed_through_celery(chain, demo_users, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    app = chain.at_preliminary()
    with django_capture_on_commit_callbacks(execute=True):
        _request(app, demo_users["haizhou_reviewer"])
    mail = [m for m in mailoutbox if app.applicant.email in m.to]
    assert mail and mail[-1].subject == "[职称评审] 请补正申报材料"
    assert "视为放弃申报" in mail[-1].body and f"/review/mine/{app.pk}/" in mail[-1].body


def test_reminders_in_a_year_without_calendar_data_log_a_refusal_naming_it(
    chain, demo_users, today, caplog
):
    """The task runs in the ticker: a reminder day it cannot count is skipped with one clear
    warning naming the year, never an exception."""
    app = chain.at_preliminary()
    request = _request(app, demo_users["haizhou_reviewer"])
    CorrectionRequest.objects.filter(pk=request.pk).update(due_date=dt.date(2027, 1, 6))
    today("2026-12-30")
    with caplog.at_level("WARNING", logger="zhicheng.reviews.tasks"):
        assert tasks.remind_corrections() == 0
    assert "工作日历没有2027年的数据" in caplog.text
    assert not Notification.objects.filter(kind="review.correction_reminder").exists()


def test_the_correction_request_keeps_the_parameter_it_was_counted_with(chain, demo_users):
    app = chain.at_preliminary()
    request = _request(app, demo_users["haizhou_reviewer"])
    event = AuditEvent.objects.filter(action="review.request_corrections").latest("pk")
    assert event.data["parameters"]["periods.correction_workdays"] == {
        "value": 10, "source": "season", "clause": "四（三）", "confidence": "L"}
    from zhicheng.core import clock

    assert request.due_date == office_calendar().add_workdays(clock.today(), 10)
