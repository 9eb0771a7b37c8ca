"""The only writers of sanctions (五（三）). Each runs through `core.operations.operation`
(row lock, one audit event, one transaction); only the city title office decides, the
committee office only reports its correction.

    order_correction → report_correction → close_correction   (overdue: flag_overdue)
    suspend_evaluation → lift_suspension
    declare_results_void        (revokes the meeting's results and certificates at once)
    withdraw_right              (permanent; a newly authorised committee is not affected)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse

from zhicheng.applications.models import Application
from zhicheng.applications.notifications import notify
from zhicheng.applications.states import State, fire
from zhicheng.certificates.models import Certificate, CertificateStatus, RevocationCategory
from zhicheng.certificates.operations import fraud_context, revoke_certificate
from zhicheng.core import clock
from zhicheng.core.actors import Actor, person
from zhicheng.core.operations import (
    SYSTEM,
    NotPermitted,
    OperationError,
    StateConflict,
    operation,
    require_permission,
)
from zhicheng.evaluation.models import Committee, Meeting, MeetingState
from zhicheng.orgs.models import Membership, Organisation
from zhicheng.orgs.models import Role as OrgRole
from zhicheng.orgs.permissions import has_role_in
from zhicheng.policy.dates import cn_date

from .models import Kind, Sanction, Status
from .permissions import REFUSAL


class SanctionError(OperationError):
    code = "sanction_refused"


# Results exist once the tally is signed and recorded; earlier there is nothing to void.
VOIDABLE_MEETING_STATES = (MeetingState.SIGNED, MeetingState.PUBLISHED, MeetingState.FILED)
# Applications whose pass the void decision takes back (certificate holders: via revocation).
VOIDED_APPLICATION_STATES = (State.PASSED, State.RESULT_PUBLICITY, State.APPROVED)


def is_office_member(actor: Actor, office_id: int) -> bool:
    return has_role_in(actor, OrgRole.COMMITTEE_OFFICE, office_id)


def _clean_decision(decision_number: str, reason: str, evidence: str) -> tuple[str, str, str]:
    decision_number, reason, evidence = decision_number.strip(), reason.strip(), evidence.strip()
    missing = [label for label, value in (("处理决定文号", decision_number), ("处理理由", reason),
                                          ("事实与证据", evidence)) if not value]
    if missing:
        raise SanctionError(f"请填写{'、'.join(missing)}。")
    if Sanction.objects.filter(decision_number=decision_number).exists():
        raise SanctionError(f"处理决定文号“{decision_number}”已被使用，请核对文号。")
    return decision_number, reason, evidence


def _check_target(office: Organisation, committee: Committee | None) -> None:
    if committee is not None and committee.office_id != office.pk:
        raise SanctionError(f"评委会“{committee}”不属于{office}，请核对处理对象。")
    if committee is None and not Committee.objects.filter(office=office).exists():
        raise SanctionError(f"{office}没有组建评委会，不是评委会办事机构。")


def _tell_office(sanction: Sanction, title: str, body: str) -> None:
    url = reverse("sanctions:detail", args=[sanction.pk])
    members = Membership.objects.filter(
        organisation_id=sanction.office_id, role=OrgRole.COMMITTEE_OFFICE, active=True
    ).select_related("user")
    for m in members:
        notify(m.user, f"sanction.{sanction.kind}", title, body, url=url)


def _tell_city(sanction: Sanction, title: str, body: str) -> None:
    url = reverse("sanctions:detail", args=[sanction.pk])
    city = sanction.office.city_id  # the offices of the sanctioned office's city
    offices = Membership.objects.filter(role=OrgRole.CITY_OFFICE, active=True)
    if city is not None:
        offices = offices.filter(Q(organisation__city_id=city) | Q(organisation__city__isnull=True))
    for m in offices.select_related("user"):
        notify(m.user, f"sanction.{sanction.kind}", title, body, url=url)


def _decide(
    actor: Actor, kind: str, office: Organisation, *, committee: Committee | None = None,
    meeting: Meeting | None = None, decision_number: str, reason: str, evidence: str,
    due_on: dt.date | None = None,
) -> Sanction:
    decision_number, reason, evidence = _clean_decision(decision_number, reason, evidence)
    return Sanction.objects.create(
        kind=kind, office=office, committee=committee, meeting=meeting,
        decision_number=decision_number, reason=reason, evidence=evidence,
        decided_on=clock.today(), decided_by=person(actor), due_on=due_on,
    )


def _audit_data(s: Sanction) -> dict[str, Any]:
    return {
        "kind": s.kind, "office": s.office_id, "committee": s.committee_id,
        "meeting": s.meeting_id, "decision_number": s.decision_number, "reason": s.reason,
        "evidence": s.evidence, "due_on": s.due_on,
    }


# --- 1. ordered correction (限期整改) -------------------------------------------------------


def order_correction(
    actor: Actor, office: Organisation, *, committee: Committee | None = None,
    decision_number: str, reason: str, evidence: str, due_on: dt.date | None,
) -> Sanction:
    require_permission(actor, "sanctions.decide", office, REFUSAL)
    _check_target(office, committee)
    today = clock.today()
    if due_on is None:
        raise SanctionError("请填写整改期限。")
    if due_on < today:
        raise SanctionError(f"整改期限（{cn_date(due_on)}）不能早于今天（{cn_date(today)}）。")
    with operation(actor, "sanction.correction.order") as op:
        s = _decide(actor, Kind.CORRECTION, office, committee=committee,
                    decision_number=decision_number, reason=reason, evidence=evidence,
                    due_on=due_on)
        op.obj = s
        op.summary = f"责令{s.target_label}限期整改（{s.decision_number}），期限{cn_date(due_on)}"
        op.data = _audit_data(s)
        _tell_office(s, f"市职称办责令限期整改：{s.decision_number}",
                     f"处理对象：{s.target_label}。理由：{s.reason}。请于{cn_date(due_on)}前完成整改"
                     "并在系统中报送整改报告。")
    return s


def report_correction(sanction: Sanction, actor: Actor, report: str) -> Sanction:
    """The committee office records what it corrected (before or after the due date)."""
    with operation(actor, "sanction.correction.report", target=sanction) as op:
        s: Sanction = op.obj
        if not is_office_member(actor, s.office_id):
            raise NotPermitted(f"只有{s.office}（评委会办事机构）可以报送整改报告。")
        if s.kind != Kind.CORRECTION:
            raise StateConflict("只有限期整改需要报送整改报告。")
        if s.status != Status.IN_FORCE:
            raise StateConflict(
                f"当前状态“{s.get_status_display()}”下不能报送整改报告，请刷新后查看。"
            )
        if not report.strip():
            raise SanctionError("请填写整改报告（整改了什么、如何整改、相关材料）。")
        today = clock.today()
        s.report, s.reported_on, s.reported_by = report.strip(), today, person(actor)
        s.status = Status.REPORTED
        s.save()
        late = s.due_on is not None and today > s.due_on
        op.summary = f"报送整改报告：{s.decision_number}{'（逾期）' if late else ''}"
        op.data = {"report": s.report, "late": late}
        _tell_city(s, f"{s.office}报送整改报告：{s.decision_number}",
                   f"{'逾期报送。' if late else ''}请审核并销号。")
    return s


def close_correction(sanction: Sanction, actor: Actor, note: str) -> Sanction:
    with operation(actor, "sanction.correction.close", target=sanction,
            permission="sanctions.decide", refusal=REFUSAL) as op:
        s: Sanction = op.obj
        if s.kind != Kind.CORRECTION:
            raise StateConflict("只有限期整改可以销号。")
        if s.status != Status.REPORTED:
            raise StateConflict("办事机构尚未报送整改报告，不能销号。")
        if not note.strip():
            raise SanctionError("请填写销号意见。")
        s.status, s.ended_on, s.ended_by, s.end_note = (
            Status.CLOSED, clock.today(), person(actor), note.strip())
        s.save()
        op.summary = f"整改销号：{s.decision_number}"
        op.data = {"note": s.end_note}
        _tell_office(s, f"整改已销号：{s.decision_number}", s.end_note)
    return s


def flag_overdue(sanction: Sanction) -> bool:
    """Tell the committee office and the city office once that a correction is overdue
    (periodic task; idempotent)."""
    today = clock.today()
    with operation(SYSTEM, "sanction.correction.overdue", target=sanction) as op:
        s: Sanction = op.obj
        if not s.is_overdue(today) or s.overdue_notified_on is not None:
            # Nothing to do: roll back by raising would lose nothing, but an empty event is
            # noise; the caller filters, so this is only reached in a race.
            raise StateConflict("该整改未逾期或已提醒。")
        s.overdue_notified_on = today
        s.save(update_fields=["overdue_notified_on"])
        assert s.due_on is not None
        op.summary = f"整改逾期：{s.decision_number}（期限{cn_date(s.due_on)}）"
        body = f"处理对象：{s.target_label}。整改期限{cn_date(s.due_on)}已过，尚未报送整改报告。"
        _tell_office(s, f"整改已逾期：{s.decision_number}", body)
        _tell_city(s, f"整改逾期未报告：{s.office}（{s.decision_number}）", body)
    return True


# --- 2. suspension (暂停评审) ---------------------------------------------------------------


def suspend_evaluation(
    actor: Actor, office: Organisation, *, committee: Committee | None = None,
    decision_number: str, reason: str, evidence: str,
) -> Sanction:
    require_permission(actor, "sanctions.decide", office, REFUSAL)
    _check_target(office, committee)
    with operation(actor, "sanction.suspension.order") as op:
        s = _decide(actor, Kind.SUSPENSION, office, committee=committee,
                    decision_number=decision_number, reason=reason, evidence=evidence)
        op.obj = s
        op.summary = f"暂停{s.target_label}评审（{s.decision_number}）"
        op.data = _audit_data(s)
        _tell_office(s, f"市职称办决定暂停评审：{s.decision_number}",
                     f"处理对象：{s.target_label}。理由：{s.reason}。暂停期间不能报送开评报告、"
                     "抽取评委或召开评审会议。")
    return s


def lift_suspension(sanction: Sanction, actor: Actor, *, decision_number: str,
                    note: str) -> Sanction:
    with operation(actor, "sanction.suspension.lift", target=sanction,
            permission="sanctions.decide", refusal=REFUSAL) as op:
        s: Sanction = op.obj
        if s.kind != Kind.SUSPENSION:
            raise StateConflict("只有暂停评审可以解除。")
        if s.status != Status.IN_FORCE:
            raise StateConflict("该暂停评审已解除。")
        if not decision_number.strip() or not note.strip():
            raise SanctionError("请填写解除决定文号和解除理由。")
        s.status, s.ended_on, s.ended_by = Status.LIFTED, clock.today(), person(actor)
        s.end_decision_number, s.end_note = decision_number.strip(), note.strip()
        s.save()
        op.summary = f"解除暂停评审：{s.decision_number}（{s.end_decision_number}）"
        op.data = {"end_decision_number": s.end_decision_number, "note": s.end_note}
        _tell_office(s, f"暂停评审已解除：{s.decision_number}",
                     f"解除决定文号：{s.end_decision_number}。{s.end_note}")
    return s


# --- 3. results declared void (宣布评审结果无效) ---------------------------------------------


def _void_application(app: Application, actor: Actor, s: Sanction) -> str:
    """Take back one applicant's pass; returns what happened (for the record)."""
    evidence = f"{s.office}评审结果经市职称办宣布无效（五（三））：{s.reason}。{s.evidence}"
    cert = Certificate.objects.filter(application_id=app.pk).first()
    if cert is not None:
        if cert.status == CertificateStatus.REVOKED:
            return "already_revoked"
        revoke_certificate(cert, actor, evidence=evidence, decision_number=s.decision_number,
                           category=RevocationCategory.RESULTS_VOID)
        return f"certificate_revoked:{cert.number}"
    if app.state in VOIDED_APPLICATION_STATES:
        # The state machine's only exit from a pass is `revoke`; its guards want the
        # evidence and the decision number, as for a revocation.
        fire(app, "revoke", actor,
             fraud_context(evidence=evidence, decision_number=s.decision_number))
        return "result_revoked"
    return "unchanged"


def declare_results_void(
    actor: Actor, meeting: Meeting, *, decision_number: str, reason: str, evidence: str,
) -> Sanction:
    require_permission(actor, "sanctions.decide", meeting, REFUSAL)
    with operation(actor, "sanction.void_results.order", target=meeting) as op:
        m: Meeting = op.obj
        if m.state not in VOIDABLE_MEETING_STATES:
            raise StateConflict(
                f"会议当前状态为“{m.get_state_display()}”，尚无评审结果可宣布无效。"
            )
        if Sanction.objects.filter(kind=Kind.VOID_RESULTS, meeting=m).exists():
            raise StateConflict("该会议的评审结果已被宣布无效。")
        s = _decide(actor, Kind.VOID_RESULTS, m.committee.office, committee=m.committee,
                    meeting=m, decision_number=decision_number, reason=reason,
                    evidence=evidence)
        outcomes: dict[str, str] = {}
        for case in m.cases.select_related("application__applicant").order_by("pk"):
            app = Application.objects.select_for_update(no_key=True).get(pk=case.application_id)
            outcomes[str(app.pk)] = _void_application(app, actor, s)
            notify(app.applicant, "sanction.void_results",
                   f"{m.committee}{cn_date(m.date)}评审会议的评审结果已被宣布无效",
                   f"市职称办处理决定文号：{s.decision_number}（五（三））。"
                   "该次会议的评审结果（包括通过、未通过）均无效；已签发的证书予以撤销。",
                   application=app)
        s.effects = {"applications": outcomes}
        s.save(update_fields=["effects"])
        op.obj = s
        op.summary = (f"宣布评审结果无效：{m}（{s.decision_number}），"
                      f"撤销{sum(v != 'unchanged' for v in outcomes.values())}人的评审结果")
        op.data = {**_audit_data(s), "applications": outcomes}
        _tell_office(s, f"市职称办宣布评审结果无效：{s.decision_number}",
                     f"评审会议：{m}。理由：{s.reason}。")
    return s


# --- 4. withdrawal of the right to evaluate (收回评审权) --------------------------------------


def withdraw_right(
    actor: Actor, committee: Committee, *, decision_number: str, reason: str, evidence: str,
) -> Sanction:
    require_permission(actor, "sanctions.decide", committee, REFUSAL)
    with operation(actor, "sanction.withdrawal.order", target=committee) as op:
        c: Committee = op.obj
        if Sanction.objects.filter(kind=Kind.WITHDRAWAL, committee=c).exists():
            raise StateConflict(f"“{c}”的评审权已被收回。")
        s = _decide(actor, Kind.WITHDRAWAL, c.office, committee=c,
                    decision_number=decision_number, reason=reason, evidence=evidence)
        s.effects = {"plans": [p.row for p in c.plans.all()]}
        s.save(update_fields=["effects"])
        op.obj = s
        op.summary = f"收回“{c}”的评审权（{s.decision_number}）"
        op.data = {**_audit_data(s), "plans": s.effects["plans"]}
        _tell_office(s, f"市职称办收回评审权：{s.decision_number}",
                     f"评委会：{c}。理由：{s.reason}。该评委会不能再开展评审，其评审计划停止受理申报。")
    return s
