"""The only writers of certificates: issue, revoke, and the one-vote veto (五（四）、五（五））.

Each runs through `core.operations.operation` (row lock, one audit event, one transaction)
and changes the application's state only through `states.fire`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse

from zhicheng.applications.models import Application, Route
from zhicheng.applications.notifications import notify
from zhicheng.applications.states import GuardContext, Role, State, actor_has_role, fire
from zhicheng.catalogue.models import Title
from zhicheng.core import clock
from zhicheng.core.actors import Actor
from zhicheng.core.operations import NotPermitted, OperationError, StateConflict, operation
from zhicheng.core.parameters import parameter
from zhicheng.evaluation.models import Case
from zhicheng.evaluation.queries import committee_name
from zhicheng.integrity.operations import write_record
from zhicheng.orgs.permissions import is_city_office
from zhicheng.reviews.models import ProvincialForward

from .models import (
    LEVEL_CODES,
    Certificate,
    CertificateCounter,
    CertificateStatus,
    RevocationCategory,
)
from .payload import PAYLOAD_VERSION, b64e, id_binding_hash
from .signing import sign_payload

ROUTE_LABELS = {
    Route.INITIAL_DETERMINATION: "初定",
    Route.ASSESSMENT_RECOGNITION: "考核认定",
}


# --- helpers --------------------------------------------------------------------------------


def next_number(year: int, series_code: str, level: str, prefix: str) -> str:
    """`<prefix>-<year>-<SERIES>-<LEVEL>-<000001>` (the prefix: the season parameter
    `certificates.number_prefix`); the counter row is locked (call in a transaction)."""
    CertificateCounter.objects.get_or_create(year=year, series_code=series_code, level=level)
    counter = CertificateCounter.objects.select_for_update(no_key=True).get(
        year=year, series_code=series_code, level=level
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    code = series_code.upper().replace("-", "")[:12]
    return f"{prefix}-{year}-{code}-{LEVEL_CODES.get(level, level.upper())}-{counter.last:06d}"


def round_months(season: Any) -> list[int]:
    months = list(getattr(season, "initial_determination_months", None) or [])
    return [int(m) for m in months] or [6, 11]


def initial_determination_round(season: Any, day: dt.date) -> str:
    """The 初定 round containing `day` (三（一）: June and November), or refuse."""
    months = round_months(season)
    if day.month not in months:
        rounds = "、".join(f"{m}月" for m in months)
        raise OperationError(
            f"职称初定每年分别于{rounds}进行（三（一）），{day.isoformat()}不在初定批次内，"
            "不能签发初定证书。"
        )
    return f"{day.year}年{day.month}月批次"


def _title_name(application: Application) -> str:
    title = Title.objects.filter(series=application.series, level=application.level).first()
    if title is not None:
        return title.name
    return f"{application.series.name}{application.get_level_display()}"


def _authority(season: Any) -> str:
    configured = getattr(settings, "ZHICHENG_CERTIFICATE_AUTHORITY", "")
    if configured:
        return str(configured)
    issuer = ((season.parameters or {}).get("season") or {}).get("issuer")
    if issuer:
        return str(issuer)
    # The season names no issuer: its city's title office (organisations.toml [city_office]).
    from zhicheng.orgs.models import Organisation, OrgKind

    office = Organisation.objects.filter(kind=OrgKind.CITY_OFFICE, city_id=season.owner_id) \
        .values_list("name", flat=True).first()
    return str(office or "")


def _evaluated_by(application: Application) -> Any:
    """The meeting that evaluated the application (its latest case), or None."""
    case = (Case.objects.filter(application=application)
            .select_related("meeting__committee").order_by("-meeting__date", "-pk").first())
    return case.meeting if case is not None else None


def filed_approval_number(application: Application) -> str:
    """The document number the result was approved under: the 核准备案文号 the evaluating
    meeting was filed under, or the provincial committee's 省级文号 for a forwarded senior
    dossier ("" if neither)."""

    meeting = _evaluated_by(application)
    if meeting is not None and meeting.approval_number:
        return str(meeting.approval_number)
    forward = ProvincialForward.objects.filter(application=application).first()
    return str(forward.document_number) if forward is not None else ""


def _committee(application: Application, meeting: Any = None) -> str:
    """The committee that evaluated, or the one formed for the plan row (evaluation.queries)."""

    return committee_name(application, meeting)


def build_payload(cert: Certificate, id_number: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "v": PAYLOAD_VERSION,
        "no": cert.number,
        "name": cert.holder_name,
        "idt": cert.id_type,
        "idm": cert.id_masked,
        "series": cert.series_name,
        "specialty": cert.specialty,
        "title": cert.title_name,
        "level": cert.level,
        "route": cert.route,
        "committee": cert.committee,
        "approval": cert.approval_number,
        "qualified": cert.qualification_date.isoformat(),
        **({"passed": cert.passed_on.isoformat()} if cert.passed_on else {}),
        "authority": cert.issuing_authority,
        "review": cert.review_number,
        "issued": cert.issue_date.isoformat(),
    }
    if id_number:
        data["idh"] = id_binding_hash(cert.number, id_number)
    if cert.round_label:
        data["round"] = cert.round_label
    return data


# --- issue ----------------------------------------------------------------------------------


def issue_certificate(
    application: Application,
    actor: Actor,
    *,
    approval_number: str = "",
    qualification_date: dt.date | None = None,
    review_number: str = "",
) -> Certificate:
    """Number, sign and store the certificate of an approved result, then fire
    `issue_certificate` (approved → certificate_issued). City title office only. Applications
    of the 初定 route are issued only inside a round month (三（一）). The approval number is
    the 核准备案文号 the meeting was filed under unless another one is given."""
    if not approval_number.strip():
        approval_number = filed_approval_number(application)
    if not approval_number.strip():
        raise OperationError("请填写批准文号（该申报的评审结果没有核准备案文号）。")
    with operation(actor, "certificate.issue", target=application) as op:
        app: Application = op.obj
        if app.state != State.APPROVED:
            raise StateConflict(
                f"当前状态“{app.state_label}”下不能签发证书（须已核准备案），可能已被他人处理。"
            )
        if not actor_has_role(actor, Role.CITY_OFFICE, app):
            raise NotPermitted("只有市职称办可以签发电子证书。")
        if Certificate.objects.filter(application=app).exists():
            raise StateConflict("该申报已签发证书。")
        today = clock.today()
        round_label = ""
        if app.route == Route.INITIAL_DETERMINATION:
            round_label = initial_determination_round(app.season, today)
        holder = app.applicant
        meeting = _evaluated_by(app)
        prefix = str(parameter(app.season, "certificates.number_prefix").value).strip().upper()
        number = next_number(app.season.year, app.series.code, app.level, prefix)
        cert = Certificate(
            application=app,
            holder=holder,
            number=number,
            holder_name=holder.full_name or holder.get_username(),
            id_type=str(holder.get_id_type_display()) if holder.id_type else "",
            id_masked=holder.masked_id_number,
            series_name=app.series.name,
            specialty=app.specialty,
            title_name=_title_name(app),
            level=str(app.get_level_display()),
            route=ROUTE_LABELS.get(app.route, "评审"),  # type: ignore[call-overload]
            committee=_committee(app, meeting),
            passed_on=meeting.date if meeting is not None else None,
            approval_number=approval_number.strip(),
            qualification_date=qualification_date or today,
            issuing_authority=_authority(app.season),
            review_number=review_number.strip()
            or f"{app.season.year}-{app.plan.row:02d}-{app.pk:06d}",
            round_label=round_label,
            issue_date=today,
        )
        body, signature, key_id = sign_payload(build_payload(cert, holder.id_number))
        cert.payload = body.decode("utf-8")
        cert.signature = b64e(signature)
        cert.key_id = key_id
        cert.save()
        fire(app, "issue_certificate", actor)
        op.obj = cert
        op.summary = f"签发电子证书 {number}（{cert.holder_name}，{cert.title_name}）"
        op.data = {"application": app.pk, "number": number, "key_id": key_id}
        notify(
            holder, "certificate.issued", f"您的电子职称证书已签发：{number}",
            f"{cert.title_name}（{cert.specialty}）。请在“我的证书”中下载。",
            application=app, url=reverse("certificates:mine"),
        )
    return cert


# --- revoke and veto --------------------------------------------------------------------------


def fraud_context(*, evidence: str, decision_number: str) -> GuardContext:
    """What the guards of `revoke` need: the evidence (also the reasons) and the decision."""
    return GuardContext(reasons=evidence, evidence=evidence, decision_number=decision_number)


def _check_inputs(actor: Actor, evidence: str, decision_number: str) -> None:
    if not is_city_office(actor):
        raise NotPermitted("只有市职称办可以认定弄虚作假并撤销职称。")
    if not evidence.strip():
        raise OperationError("请写明弄虚作假的事实与证据。")
    if not decision_number.strip():
        raise OperationError("请填写处理决定文号。")


def revoke_certificate(
    certificate: Certificate,
    actor: Actor,
    *,
    evidence: str,
    decision_number: str,
    category: str = RevocationCategory.FRAUD,
) -> Certificate:
    """Revoke a title obtained by fraud, at any time after issue (五（四）): the certificate
    turns revoked (public page, revocation list), the application is revoked, an integrity
    record runs for `integrity_record_years`, and the holder is told.

    RESULTS_VOID (the committee's results declared void, 五（三）) revokes the same way but
    writes no integrity record: the holder did nothing wrong."""
    _check_inputs(actor, evidence, decision_number)
    if category not in RevocationCategory.values:
        raise OperationError("撤销原因类别不正确。")
    with operation(actor, "certificate.revoke", target=certificate) as op:
        cert: Certificate = op.obj
        if cert.status == CertificateStatus.REVOKED:
            raise StateConflict("该证书已撤销。")
        app = Application.objects.select_for_update(no_key=True).get(pk=cert.application_id)
        fire(app, "revoke", actor,
             fraud_context(evidence=evidence.strip(), decision_number=decision_number))
        cert.status = CertificateStatus.REVOKED
        cert.revoked_on = clock.today()
        cert.revocation_category = category
        cert.revocation_decision_number = decision_number.strip()
        cert.revocation_evidence = evidence.strip()
        cert.save()
        holder_at_fault = category != RevocationCategory.RESULTS_VOID
        if holder_at_fault:
            reason = "false_pledge" if category == "false_pledge" else (
                "academic_misconduct" if category == "academic_misconduct" else "fraud"
            )
            write_record(
                actor, subject_kind="person", person=cert.holder, reason=reason,
                description=evidence, decision_number=decision_number, application=app,
            )
        op.summary = f"撤销电子证书 {cert.number}（{cert.get_revocation_category_display()}）"
        op.data = {"number": cert.number, "decision_number": cert.revocation_decision_number}
        notify(
            cert.holder, "certificate.revoked", f"您的职称证书 {cert.number} 已被撤销",
            f"撤销决定文号：{cert.revocation_decision_number}。原因类别："
            f"{cert.get_revocation_category_display()}。"
            + ("该情况已记入职称申报评审诚信档案。" if holder_at_fault
               else "本次撤销不记入您的诚信档案。"),
            application=app,
        )
    return cert


def veto_for_fraud(
    application: Application, actor: Actor, evidence: str, decision_number: str = ""
) -> Application:
    """One-vote veto (一票否决, 五（四））: an applicant found to have lied during review is
    stopped at once (revoke transition) and recorded in the integrity archive."""
    decision_number = decision_number or ""
    _check_inputs(actor, evidence, decision_number)
    existing = Certificate.objects.filter(application=application).first()
    if existing is not None:
        revoke_certificate(existing, actor, evidence=evidence, decision_number=decision_number)
        application.refresh_from_db()
        return application
    with operation(actor, "application.veto", target=application) as op:
        app: Application = op.obj
        fire(app, "revoke", actor,
             fraud_context(evidence=evidence.strip(), decision_number=decision_number))
        write_record(
            actor, subject_kind="person", person=app.applicant, reason="fraud",
            description=evidence, decision_number=decision_number, application=app,
        )
        op.summary = f"一票否决：{app}（{decision_number}）"
        op.data = {"decision_number": decision_number}
        notify(
            app.applicant, "application.vetoed", "您的职称申报因弄虚作假被一票否决",
            f"处理决定文号：{decision_number}。该情况已记入职称申报评审诚信档案。",
            application=app,
        )
    return app


def confirm_special_route(application: Application, actor: Actor) -> Application:
    """初定 / 考核认定: the city office confirms the result without a meeting
    (二（六）、二（十一）), inside a 初定 round (三（一））; the certificate is then issued
    as for any approved result."""
    with operation(actor, "application.confirm_special_route", target=application) as op:
        app: Application = op.obj
        fire(app, "confirm_special_route", actor)
        op.summary = f"{app.get_route_display()}核准：{app}"
        notify(
            app.applicant, "application.approved", f"您的{app.get_route_display()}已核准",
            "市职称办已核准，电子证书签发后可在“我的证书”中下载。", application=app,
        )
    return app
