"""Each sanction takes effect in the system (五（三）), is audited, and only the city office
decides."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.sanctions import decision, results
from zhicheng.applications.models import Notification
from zhicheng.applications.states import State
from zhicheng.core.audit import verify_chain
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import NotPermitted, StateConflict
from zhicheng.evaluation import operations as ev
from zhicheng.evaluation.models import MeetingState
from zhicheng.integrity.models import IntegrityRecord
from zhicheng.sanctions import operations as ops
from zhicheng.sanctions.checks import SanctionInForce
from zhicheng.sanctions.models import Kind, Status
from zhicheng.sanctions.tasks import flag_overdue_corrections

pytestmark = pytest.mark.django_db


# --- who decides ----------------------------------------------------------------------------


def test_only_the_city_office_decides(world) -> None:
    for actor in (world.office, world.user("路人")):
        with pytest.raises(NotPermitted, match="只有市职称办"):
            ops.suspend_evaluation(actor, world.gongxin, **decision())
        with pytest.raises(NotPermitted):
            ops.withdraw_right(actor, world.committee, **decision())
    assert not world.committee.sanctions.exists()


def test_a_decision_needs_number_reason_and_evidence_and_a_unique_number(world) -> None:
    with pytest.raises(ops.SanctionError, match="处理决定文号、事实与证据"):
        ops.suspend_evaluation(world.city, world.gongxin, decision_number=" ", reason="理由",
                               evidence="")
    ops.suspend_evaluation(world.city, world.gongxin, **decision(1))
    with pytest.raises(ops.SanctionError, match="已被使用"):
        ops.order_correction(world.city, world.gongxin, due_on=dt.date(2024, 10, 31),
                             **decision(1))


# --- 1. ordered correction ------------------------------------------------------------------


def test_correction_report_overdue_flag_and_close(world) -> None:
    s = ops.order_correction(world.city, world.gongxin, committee=world.committee,
                             due_on=dt.date(2024, 10, 15), **decision())
    note = Notification.objects.get(user=world.office, kind="sanction.correction")
    assert "2024年10月15日" in note.body and note.url.endswith(f"/supervision/sanctions/{s.pk}/")
    ev_ = AuditEvent.objects.get(action="sanction.correction.order")
    assert ev_.target_id == str(s.pk) and ev_.data["decision_number"] == s.decision_number

    # before the due date nothing is overdue; after it, the task flags it once
    assert flag_overdue_corrections.apply().get() == 0
    world.today("2024-10-16")
    assert flag_overdue_corrections.apply().get() == 1
    assert flag_overdue_corrections.apply().get() == 0
    s.refresh_from_db()
    assert s.is_overdue(dt.date(2024, 10, 16)) and s.overdue_notified_on == dt.date(2024, 10, 16)
    assert Notification.objects.filter(user=world.city, title__contains="整改逾期").count() == 1
    assert Notification.objects.filter(user=world.office, title__contains="整改已逾期").exists()

    # the city office cannot close before the report; other offices cannot report
    with pytest.raises(StateConflict, match="尚未报送整改报告"):
        ops.close_correction(s, world.city, "同意")
    with pytest.raises(NotPermitted):
        ops.report_correction(s, world.city, "报告")
    ops.report_correction(s, world.office, "已重新制定评委抽取保密制度，责任人已调离。")
    s.refresh_from_db()
    assert s.status == Status.REPORTED and not s.is_overdue(dt.date(2024, 10, 16))
    assert "逾期" in AuditEvent.objects.get(action="sanction.correction.report").summary
    with pytest.raises(NotPermitted):
        ops.close_correction(s, world.office, "自行销号")
    ops.close_correction(s, world.city, "整改到位，予以销号。")
    s.refresh_from_db()
    assert s.status == Status.CLOSED and s.ended_by == world.city
    assert verify_chain().ok


def test_a_correction_due_date_cannot_lie_in_the_past(world) -> None:
    with pytest.raises(ops.SanctionError, match="不能早于今天"):
        ops.order_correction(world.city, world.gongxin, due_on=dt.date(2024, 10, 1),
                             **decision())


# --- 2. suspension --------------------------------------------------------------------------


def test_suspension_stops_opening_report_draw_and_meeting_until_lifted(world) -> None:
    world.pool(7)
    world.application("丙")
    approved = world.approved(count=5, reserve=0)
    draft = world.meeting(date=dt.date(2024, 10, 30))
    s = ops.suspend_evaluation(world.city, world.gongxin, **decision())  # whole office
    with pytest.raises(SanctionInForce, match=f"暂停评审.*{s.decision_number}"):
        ev.submit_opening_report(draft, world.office)
    with pytest.raises(SanctionInForce, match="暂停评审"):
        ev.commit_draw(approved, world.office)
    with pytest.raises(SanctionInForce):
        world.meeting(date=dt.date(2024, 11, 1))
    approved.refresh_from_db()
    assert approved.state == MeetingState.APPROVED and not approved.seed_hash

    with pytest.raises(ops.SanctionError, match="解除决定文号"):
        ops.lift_suspension(s, world.city, decision_number="", note="")
    ops.lift_suspension(s, world.city, decision_number="连职称办〔2024〕40号", note="已整改")
    ev.commit_draw(approved, world.office)
    ev.run_draw(approved, world.office)
    approved.refresh_from_db()
    assert approved.state == MeetingState.DRAWN
    with pytest.raises(StateConflict, match="已解除"):
        ops.lift_suspension(s, world.city, decision_number="x", note="y")


def test_a_suspended_committee_cannot_open_its_drawn_meeting(world) -> None:
    world.pool(7)
    world.application("丁")
    m = world.drawn(count=5, reserve=0)
    ev.record_attendance(m, world.office, [x.pk for x in m.seats.all()])
    ops.suspend_evaluation(world.city, world.gongxin, committee=world.committee, **decision())
    with pytest.raises(SanctionInForce, match=world.committee.name):
        ev.open_meeting(m, world.office)
    m.refresh_from_db()
    assert m.state == MeetingState.DRAWN


def test_suspending_one_committee_leaves_the_office_s_other_committees_working(world) -> None:
    from zhicheng.evaluation.models import Committee

    other = Committee.objects.create(
        name="连云港市工程技术另一中级评委会", office=world.gongxin, levels=["intermediate"],
        term_start=dt.date(2023, 1, 1), term_end=dt.date(2025, 12, 31),
    )
    ops.suspend_evaluation(world.city, world.gongxin, committee=world.committee, **decision())
    with pytest.raises(SanctionInForce):
        world.meeting()
    ev.create_meeting(world.office, other, world.season, date=dt.date(2024, 10, 25),
                      place="会议室", draw_spec=[{"specialty": "x", "level": "intermediate",
                                                  "count": 5, "reserve": 0}])


# --- 3. results declared void ---------------------------------------------------------------


def test_void_results_revokes_certificates_and_passes_and_notifies(world, client) -> None:
    from zhicheng.certificates.models import CertificateStatus
    from zhicheng.certificates.operations import issue_certificate

    m, passed_app, failed_app = results(world, stage="filed")
    assert passed_app.state == State.APPROVED
    cert = issue_certificate(passed_app, world.city, approval_number="连职称办〔2024〕12号")
    lookup = {"number": cert.number, "name": cert.holder_name}
    assert 'id="result-label">有效<' in client.post("/verify/", lookup).content.decode()

    with pytest.raises(NotPermitted):
        ops.declare_results_void(world.office, m, **decision())
    s = ops.declare_results_void(world.city, m, **decision())

    cert.refresh_from_db()
    passed_app.refresh_from_db()
    failed_app.refresh_from_db()
    assert cert.status == CertificateStatus.REVOKED
    assert cert.revocation_decision_number == s.decision_number
    # the committee's misconduct is not the holder's: revoked, but no integrity record
    assert cert.revocation_category == "results_void"
    assert not IntegrityRecord.objects.filter(person=cert.holder).exists()
    assert passed_app.state == State.REVOKED
    assert failed_app.state == State.NOT_PASSED
    assert s.effects["applications"] == {str(passed_app.pk): f"certificate_revoked:{cert.number}",
                                         str(failed_app.pk): "unchanged"}
    # the revocation went through the certificates' own operation (its audit event)
    assert AuditEvent.objects.filter(action="certificate.revoke", target_id=str(cert.pk)).exists()
    for app in (passed_app, failed_app):
        assert Notification.objects.filter(application=app, kind="sanction.void_results").exists()
    # the public verification page shows it revoked
    verdict = client.post("/verify/", lookup).content.decode()
    assert 'id="result-label">已撤销<' in verdict and "评审结果被宣布无效" in verdict
    with pytest.raises(StateConflict, match="已被宣布无效"):
        ops.declare_results_void(world.city, m, **decision(2))
    assert verify_chain().ok


def test_void_results_before_certificates_revokes_the_passes(world) -> None:
    m, passed_app, failed_app = results(world, stage="published")
    assert passed_app.state == State.RESULT_PUBLICITY
    ops.declare_results_void(world.city, m, **decision())
    passed_app.refresh_from_db()
    assert passed_app.state == State.REVOKED
    # filing the void meeting approves nobody
    from zhicheng.publicity.operations import close_due_publicities

    close_due_publicities(dt.date(2024, 11, 4))
    world.today("2024-11-04")
    ev.file_results(m, world.city, approval_number="测试〔2024〕1号")
    passed_app.refresh_from_db()
    assert passed_app.state == State.REVOKED


def test_nothing_to_void_before_the_tally_is_signed(world) -> None:
    world.pool(7)
    world.application("戊")
    m = world.drawn(count=5, reserve=0)
    with pytest.raises(StateConflict, match="尚无评审结果"):
        ops.declare_results_void(world.city, m, **decision())


# --- 4. withdrawal of the right to evaluate -------------------------------------------------


def open_plan(world):
    """A plan accepting on 2024-07-15 (row 41, 5–7月), evaluated by the world's committee."""
    from zhicheng.demo.applications import DEMO_PLAN_ROW
    from zhicheng.seasons.models import CommitteePlan

    world.today("2024-07-15")
    plan = CommitteePlan.objects.get(season=world.season, row=DEMO_PLAN_ROW)
    world.committee.plans.add(plan)
    return plan


def test_withdrawal_stops_meetings_and_the_plan_until_a_new_committee(world) -> None:
    from zhicheng.applications.operations import check_plan_open
    from zhicheng.evaluation.models import Committee

    plan = open_plan(world)
    check_plan_open(plan)
    world.pool(7)
    world.application("己")
    m = world.approved(count=5, reserve=0)
    s = ops.withdraw_right(world.city, world.committee, **decision())
    assert sorted(s.effects["plans"]) == sorted([world.plan.row, plan.row])
    with pytest.raises(SanctionInForce, match="收回.*评审权"):
        ev.commit_draw(m, world.office)
    with pytest.raises(SanctionInForce, match="收回"):
        world.meeting()
    with pytest.raises(SanctionInForce, match="停止受理申报") as refused:
        check_plan_open(plan)
    assert s.decision_number in str(refused.value)
    with pytest.raises(StateConflict, match="已被收回"):
        ops.withdraw_right(world.city, world.committee, **decision(2))
    # there is no way to lift it: the office authorises a new committee instead
    assert not hasattr(ops, "restore_right")
    new = Committee.objects.create(
        name="连云港市工程技术中级评委会（重组）", office=world.gongxin, levels=["intermediate"],
        term_start=dt.date(2024, 7, 1), term_end=dt.date(2026, 12, 31),
    )
    new.series.add(world.engineering)
    new.plans.add(plan)
    check_plan_open(plan)
    with pytest.raises(SanctionInForce):
        ev.commit_draw(m, world.office)  # the old committee's meeting stays stopped


def test_an_applicant_cannot_start_an_application_on_a_withdrawn_plan(world) -> None:
    from zhicheng.applications.operations import start_application

    plan = open_plan(world)
    applicant = world.user("庚")
    ops.withdraw_right(world.city, world.committee, **decision())
    with pytest.raises(SanctionInForce, match="停止受理申报"):
        start_application(applicant, season=world.season, plan=plan,
                          series_id=world.engineering.pk, specialty="机械", level="intermediate",
                          route="normal")


def test_each_decision_writes_one_audit_event_naming_the_sanction(world) -> None:
    before = AuditEvent.objects.count()
    s = ops.suspend_evaluation(world.city, world.gongxin, **decision())
    assert AuditEvent.objects.count() == before + 1
    e = AuditEvent.objects.order_by("-seq").first()
    assert (e.action, e.target_type, e.target_id) == (
        "sanction.suspension.order", "sanctions.sanction", str(s.pk))
    assert s.decision_number in e.summary and e.actor_id == world.city.pk
    assert s.kind == Kind.SUSPENSION
