"""Every write of the review chain (docs/architecture.md: the one door). Each function locks the
application row, lets the state machine check the role, state and guards (`states.fire`),
writes its records and one audit event in one transaction, and notifies the next office and
the applicant (`applications.notifications.notify`, email after commit through Celery)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any, cast

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections, router
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.sql import UpdateQuery

from zhicheng.applications.commitment import COMMITMENT_TEXT
from zhicheng.applications.models import Application, Material, Submission, snapshot_hash
from zhicheng.applications.notifications import notify
from zhicheng.applications.profiles import decide_application
from zhicheng.applications.snapshots import build_snapshot
from zhicheng.applications.states import GuardContext, Role, State, actor_has_role, check, fire
from zhicheng.core import clock
from zhicheng.core.actors import Actor, person, person_or_none
from zhicheng.core.operations import (
    SYSTEM,
    NotPermitted,
    OperationError,
    StateConflict,
    operation,
    require_permission,
)
from zhicheng.documents.uploads import check_application_quota, inspect_upload, store
from zhicheng.orgs.models import Membership, Organisation, OrgKind
from zhicheng.orgs.models import Role as OrgRole
from zhicheng.orgs.queries import preliminary_reviewer_for
from zhicheng.publicity.models import Publicity
from zhicheng.publicity.operations import open_publicity
from zhicheng.seasons.models import CommitteePlan

from . import sampling as pure
from .diff import NEW_MATERIAL, SECTION_LABELS, diff_snapshots, material_target
from .exports import build_package
from .guards import committee_setting, latest_submission, open_correction
from .models import (
    CommitteeSetting,
    CorrectionRequest,
    CorrectionStatus,
    DossierView,
    FindingOutcome,
    ProvincialForward,
    ProvincialResult,
    ReviewStep,
    SampleFinding,
    SamplingDraw,
    UnitCheck,
)
from .permissions import SAMPLING_REFUSAL
from .scope import default_due_date

REVIEW_URL = "/review/{pk}/"
APPLICANT_URL = "/review/mine/{pk}/"


# --- helpers --------------------------------------------------------------------------------


class _Nothing(Exception):
    """Raised inside an operation that finds nothing to do: rolls back, no audit event."""


def _locked(op: Any) -> Application:
    app: Application = op.obj
    return app


def _step(
    app: Application,
    actor: Actor,
    step: str,
    *,
    organisation: Organisation | None = None,
    reasons: str = "",
    is_return: bool = False,
) -> ReviewStep:
    user = person_or_none(actor)
    return ReviewStep.objects.create(
        application=app, step=step, organisation=organisation, actor=user,
        actor_label=str(actor) if user else "系统", reasons=reasons, is_return=is_return,
        submission=latest_submission(app), created_at=clock.now(),
    )


def _members(org_id: int | None, role: str) -> list[Any]:
    if not org_id:
        return []
    return [
        m.user for m in Membership.objects.filter(
            organisation_id=org_id, role=role, active=True, user__is_active=True
        ).select_related("user")
    ]


def _notify_office(
    org_id: int | None, role: str, kind: str, title: str, body: str, app: Application
) -> None:
    for user in _members(org_id, role):
        notify(user, kind, title, body, application=app, url=REVIEW_URL.format(pk=app.pk))


def _notify_applicant(app: Application, kind: str, title: str, body: str,
                      due: dt.date | None = None) -> None:
    notify(app.applicant, kind, title, body, application=app,
           url=APPLICANT_URL.format(pk=app.pk), due=due)


def _what(app: Application) -> str:
    return f"{app.applicant}（{app.specialty}，{app.get_level_display()}）"


def _require_viewed(app: Application, actor: Actor) -> None:
    """No approval without each dossier opened (never bulk approval)."""
    submission = latest_submission(app)
    if submission is None or not DossierView.objects.filter(
        submission=submission, user=person(actor)
    ).exists():
        raise StateConflict(
            "请先打开并查阅该申报的全部材料，再作出审核决定（不得未经查阅批量通过）。"
        )


def _open_publicity(app: Application, kind: str, actor: Actor) -> Any:
    """Open the unit or pre-evaluation publicity through the publicity app (same transaction)."""
    return open_publicity(app, kind, actor)


def _reasons(reasons: str) -> str:
    return (reasons or "").strip()


# --- dossier views --------------------------------------------------------------------------


def record_dossier_view(application: Application, actor: Actor) -> DossierView | None:
    """Record that `actor` opened the dossier's current submission (once per submission)."""
    submission = latest_submission(application)
    if submission is None or not getattr(actor, "pk", None):
        return None
    existing = DossierView.objects.filter(submission=submission, user=person(actor)).first()
    if existing is not None:
        return existing
    with operation(actor, "review.dossier_view", target=application) as op:
        view, _ = DossierView.objects.get_or_create(
            submission=submission, user=person(actor), defaults={"application": application}
        )
        op.summary = f"查阅申报材料（第{submission.number}次提交）"
        op.data = {"submission": submission.pk}
    return view


# --- unit review (四（二）) ------------------------------------------------------------------


def unit_start_review(application: Application, actor: Actor) -> Application:
    with operation(actor, "review.unit_start_review", target=application) as op:
        app = _locked(op)
        t = fire(app, "unit_start_review", actor)
        _step(app, actor, t.name, organisation=app.employer)
        _notify_applicant(app, "review.unit_review", "单位已开始审核",
                          f"{app.employer}已开始审核您的职称申报，将核对原件（四（二））。")
        op.summary = "单位开始审核"
    return app


def save_unit_check(
    application: Application, actor: Actor, *, checked_ids: list[int], opinion: str
) -> UnitCheck:
    """Tick "已核对原件" per material and write the unit's opinion (draft, may be saved often)."""
    with operation(
        actor, "review.unit_check", target=application, allowed_states=[State.UNIT_REVIEW]
    ) as op:
        app = _locked(op)
        if not actor_has_role(actor, Role.UNIT_HR, app):
            raise NotPermitted("该申报不属于您所在单位，不能审核。")
        submission = latest_submission(app)
        if submission is None:
            raise StateConflict("该申报没有提交快照。")
        by_id = {int(m["id"]): m for m in submission.snapshot.get("materials", [])}
        unknown = [i for i in checked_ids if i not in by_id]
        if unknown:
            raise OperationError("所选材料不属于该申报的本次提交，请刷新后重试。")
        checked = {str(i): by_id[i]["sha256"] for i in sorted(set(checked_ids))}
        check, _ = UnitCheck.objects.get_or_create(
            submission=submission,
            defaults={"application": app, "updated_by": person(actor), "checked": {}},
        )
        check.checked, check.opinion, check.updated_by = checked, opinion.strip(), person(actor)
        check.save()
        op.summary = f"核对原件{len(checked)}份，{'已' if check.opinion else '未'}填写单位意见"
        op.data = {"submission": submission.pk, "checked": checked}
    return check


def unit_approve(application: Application, actor: Actor) -> Application:
    with operation(actor, "review.unit_approve", target=application) as op:
        app = _locked(op)
        _require_viewed(app, actor)
        t = fire(app, "unit_approve", actor)
        check = UnitCheck.objects.get(submission=latest_submission(app))
        _step(app, actor, t.name, organisation=app.employer, reasons=check.opinion)
        publicity = _open_publicity(app, "unit", actor)
        period = getattr(publicity, "date_range_full", "") or "不少于5个工作日"
        _notify_applicant(app, "review.unit_approved", "单位审核通过，进入单位公示",
                          f"{app.employer}审核通过您的申报并进行公示（{period}，四（二））。"
                          f"单位意见：{check.opinion}")
        op.summary = "单位审核通过，进入单位公示"
        op.data = {"opinion": check.opinion, "publicity": getattr(publicity, "pk", None)}
    return app


def unit_return(application: Application, actor: Actor, *, reasons: str) -> Application:
    with operation(actor, "review.unit_return", target=application) as op:
        app = _locked(op)
        t = fire(app, "unit_return", actor, GuardContext(reasons=_reasons(reasons)))
        _step(app, actor, t.name, organisation=app.employer, reasons=_reasons(reasons),
              is_return=True)
        _notify_applicant(app, "review.unit_returned", "单位退回修改",
                          f"{app.employer}退回了您的申报，请修改后重新提交。理由：{_reasons(reasons)}")
        op.summary = f"单位退回修改：{_reasons(reasons)}"
        op.data = {"reasons": _reasons(reasons)}
    return app


def unit_recommend(application: Application, actor: Actor) -> Application:
    with operation(actor, "review.unit_recommend", target=application) as op:
        app = _locked(op)
        t = fire(app, "unit_recommend", actor)
        _step(app, actor, t.name, organisation=app.employer)
        _notify_office(
            app.preliminary_reviewer_id, OrgRole.PRELIMINARY_REVIEWER, "review.to_preliminary",
            "新的申报待初审", f"{app.employer}推荐的{_what(app)}待初审（四（三））。", app,
        )
        _notify_applicant(app, "review.unit_recommended", "单位已推荐，进入初审",
                          f"单位公示期满，已推荐至{app.preliminary_reviewer}初审。")
        op.summary = f"公示期满，单位推荐至{app.preliminary_reviewer}"
    return app


def unit_objection_upheld(application: Application, actor: Actor, *, reasons: str) -> Application:
    """An objection to the unit publicity was upheld (resolved in writing in the publicity
    app): the unit does not recommend the application."""
    with operation(actor, "review.unit_objection_upheld", target=application) as op:
        app = _locked(op)
        t = fire(app, "unit_objection_upheld", actor, GuardContext(reasons=_reasons(reasons)))
        _step(app, actor, t.name, organisation=app.employer, reasons=_reasons(reasons))
        _notify_applicant(app, "review.unit_objection_upheld", "单位公示异议成立，不予推荐",
                          f"单位公示期间的异议经核查成立，单位不予推荐。理由：{_reasons(reasons)}")
        op.summary = f"单位公示异议成立，不予推荐：{_reasons(reasons)}"
        op.data = {"reasons": _reasons(reasons)}
    return app


# --- preliminary review (四（三）) -----------------------------------------------------------


def preliminary_approve(application: Application, actor: Actor) -> Application:
    with operation(actor, "review.preliminary_approve", target=application) as op:
        app = _locked(op)
        _require_viewed(app, actor)
        t = fire(app, "preliminary_approve", actor)
        _step(app, actor, t.name, organisation=app.preliminary_reviewer)
        _notify_office(
            app.plan.office_id, OrgRole.COMMITTEE_OFFICE, "review.to_committee",
            "新的申报待复核",
            f"{app.preliminary_reviewer}报送的{_what(app)}待复核（四（四））。", app,
        )
        office = app.plan.office_name or app.plan.specialty
        _notify_applicant(app, "review.preliminary_approved", "初审通过",
                          f"初审通过，已报送{office}评委会办事机构复核。")
        op.summary = "初审通过，报送评委会办事机构"
    return app


def preliminary_reject(application: Application, actor: Actor, *, reasons: str) -> Application:
    with operation(actor, "review.preliminary_reject", target=application) as op:
        app = _locked(op)
        t = fire(app, "preliminary_reject", actor, GuardContext(reasons=_reasons(reasons)))
        _step(app, actor, t.name, organisation=app.preliminary_reviewer,
              reasons=_reasons(reasons))
        _notify_applicant(app, "review.preliminary_rejected", "初审不予通过",
                          f"您的申报初审不予通过。理由：{_reasons(reasons)}")
        op.summary = f"初审不予通过：{_reasons(reasons)}"
        op.data = {"reasons": _reasons(reasons)}
    return app


def correction_targets(submission: Submission) -> list[tuple[str, str]]:
    """(target, label) an item of a correction list may name: profile sections and materials."""
    out = [(f"section:{key}", f"资料：{label}") for key, label in SECTION_LABELS.items()]
    out.append(("field:explanation", "资料：情况说明"))
    for m in submission.snapshot.get("materials", []):
        out.append((material_target(m["id"]), f"材料：{m['title']}"))
    out.append((NEW_MATERIAL, "材料：补充上传缺少的材料"))
    return out


def request_corrections(
    application: Application,
    actor: Actor,
    *,
    items: list[dict[str, str]],
    due_date: dt.date | None = None,
) -> CorrectionRequest:
    """一次性告知: the complete list of items, each naming its field or material and what is
    wrong, with a due date (default: N working days, rules.correction_workdays)."""
    with operation(actor, "review.request_corrections", target=application) as op:
        app = _locked(op)
        submission = latest_submission(app)
        if submission is None:
            raise StateConflict("该申报没有提交快照。")
        labels = dict(correction_targets(submission))
        clean = []
        for item in items:
            target = str(item.get("target", "")).strip()
            problem = str(item.get("problem", "")).strip()
            if not target and not problem:
                continue
            if target not in labels:
                raise OperationError("补正事项须对应申报中的资料条目或材料，请重新选择。")
            clean.append({"target": target, "label": labels[target], "problem": problem})
        due = due_date or default_due_date(app.season, clock.today())
        t = fire(app, "request_corrections", actor, GuardContext(items=clean, due_date=due))
        number = app.correction_requests.count() + 1
        assert app.preliminary_reviewer is not None  # the state machine checked the role
        request = CorrectionRequest.objects.create(
            application=app, number=number, reviewer=app.preliminary_reviewer,
            requested_by=person(actor), items=clean, due_date=due, submission=submission,
        )
        lines = "\n".join(f"{i}. {c['label']}：{c['problem']}" for i, c in enumerate(clean, 1))
        _step(app, actor, t.name, organisation=app.preliminary_reviewer,
              reasons=lines, is_return=True)
        _notify_applicant(
            app, "review.corrections_requested", "请补正申报材料",
            f"{app.preliminary_reviewer}一次性告知需补正的全部内容（四（三））：\n{lines}\n"
            f"请于{due.isoformat()}前补正并重新提交；逾期未补正的，视为放弃申报。",
            due=due,
        )
        op.summary = f"一次性告知补正{len(clean)}项，期限{due.isoformat()}"
        op.data = {"items": clean, "due_date": due.isoformat(), "number": number}
    return request


def _correction_for_applicant(app: Application, actor: Actor) -> CorrectionRequest:
    if app.applicant_id != getattr(actor, "pk", None):
        raise NotPermitted("只能补正本人的申报。")
    request = open_correction(app)
    if request is None:
        raise StateConflict("没有待补正的告知。")
    if clock.today() > request.due_date:
        raise StateConflict(
            f"补正期限（{request.due_date.isoformat()}）已过，视为放弃申报（四（三））。"
        )
    return request


def replace_material(
    application: Application,
    actor: Actor,
    *,
    material_id: int | None,
    upload: Any,
    kind: str = "",
    title: str = "",
    document_date: dt.date | None = None,
) -> Material:
    """Upload a corrected material: a replacement of a listed one, or (when the list asks
    for it) a missing one. Files of earlier snapshots are kept."""
    checked = inspect_upload(upload)
    name = store(upload, checked)
    try:
        with operation(
            actor, "review.correction_material", target=application,
            allowed_states=[State.CORRECTION_REQUESTED],
        ) as op:
            app = _locked(op)
            request = _correction_for_applicant(app, actor)
            old = None
            if material_id is not None:
                if material_target(material_id) not in request.targets:
                    raise OperationError("该材料不在补正清单中，不能替换。")
                old = app.materials.filter(pk=material_id).first()
                if old is None:
                    raise StateConflict("该材料已被替换，请刷新。")
            elif NEW_MATERIAL not in request.targets:
                raise OperationError("补正清单没有要求补充新材料。")
            total = sum(m.size for m in app.materials.all()) - (old.size if old else 0)
            check_application_quota(total, checked.size)
            material = Material.objects.create(
                application=app,
                kind=old.kind if old else (kind or "other"),
                title=(title or (old.title if old else "") or "补正材料").strip(),
                file=name, original_name=str(getattr(upload, "name", ""))[:255],
                content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                original_sha256=checked.original_sha256, removed_content=list(checked.removed),
                document_date=document_date or (old.document_date if old else clock.today()),
                is_representative=old.is_representative if old else False,
                proves=old.proves if old else "", uploaded_by=person(actor),
            )
            if old is not None:
                replaced = dict(request.replacements)
                # a second replacement of the same material keeps pointing at the listed one
                original = replaced.pop(str(old.pk), str(old.pk))
                replaced[str(material.pk)] = original
                request.replacements = replaced
                request.save(update_fields=["replacements"])
                old.delete()  # the row only: the file stays, earlier snapshots refer to it
            op.summary = f"补正材料：{material.title}"
            op.data = {"material": material.pk, "sha256": checked.sha256,
                       "replaces": old.pk if old else None}
            if checked.removed:  # active content taken out of the PDF (documents.pdfclean)
                op.data |= {"original_sha256": checked.original_sha256,
                            "removed_content": list(checked.removed)}
    except BaseException:
        default_storage.delete(name)
        raise
    return material


def resubmit_corrections(application: Application, actor: Actor) -> Submission:
    """Freeze a new snapshot after correcting only the listed items (四（三））."""
    with operation(actor, "review.resubmit_corrections", target=application) as op:
        app = _locked(op)
        request = open_correction(app)
        previous = latest_submission(app)
        if request is None or previous is None:
            fire(app, "resubmit_corrections", actor)  # raises with the state machine's reason
            raise StateConflict("没有待补正的告知。")
        payload, decision = decide_application(app)
        number = previous.number + 1
        materials = list(app.materials.order_by("uploaded_at", "pk"))
        snapshot = build_snapshot(
            app, number=number, payload=payload, decision=decision, materials=materials,
            commitment_text=COMMITMENT_TEXT,
        )
        changes = diff_snapshots(previous.snapshot, snapshot, request.replacements)
        t = fire(app, "resubmit_corrections", actor, GuardContext(changes=changes))
        app.version += 1
        app.save(update_fields=["version", "updated_at"])
        submission = Submission.objects.create(
            application=app, number=number, snapshot=snapshot, sha256=snapshot_hash(snapshot),
            token=secrets.token_hex(16), created_by=person(actor),
        )
        request.status = CorrectionStatus.ANSWERED
        request.answered_submission = submission
        request.closed_at = clock.now()
        request.save(update_fields=["status", "answered_submission", "closed_at"])
        _step(app, actor, t.name, organisation=None, reasons=f"补正{len(changes)}处")
        _notify_office(
            app.preliminary_reviewer_id, OrgRole.PRELIMINARY_REVIEWER, "review.corrected",
            "申报人已补正", f"{_what(app)}已按补正告知修改并重新提交，请查看修改对照。", app,
        )
        _notify_applicant(app, "review.resubmitted", "补正已提交",
                          f"补正已提交（第{number}次快照），等待{app.preliminary_reviewer}初审。")
        op.summary = f"补正后重新提交（第{number}次快照，修改{len(changes)}处）"
        op.data = {"submission": submission.pk, "sha256": submission.sha256,
                   "changes": [c.where for c in changes]}
    return submission


def expire_correction(application: Application) -> bool:
    """A request not answered by its due date ends as abandoned (视为放弃), by the system."""
    try:
        _expire(application)
    except _Nothing:
        return False
    return True


def _expire(application: Application) -> None:
    with operation(SYSTEM, "review.expire_corrections", target=application) as op:
        app = _locked(op)
        if app.state != State.CORRECTION_REQUESTED:
            raise _Nothing
        request = open_correction(app)
        t = fire(app, "expire_corrections", SYSTEM)
        assert request is not None  # the guard correction_overdue found it
        request.status = CorrectionStatus.EXPIRED
        request.closed_at = clock.now()
        request.save(update_fields=["status", "closed_at"])
        _step(app, SYSTEM, t.name, reasons=f"补正期限{request.due_date.isoformat()}已过")
        _notify_applicant(app, "review.abandoned", "逾期未补正，视为放弃申报",
                          f"补正期限（{request.due_date.isoformat()}）已过，您的申报视为放弃（四（三））。")
        _notify_office(app.preliminary_reviewer_id, OrgRole.PRELIMINARY_REVIEWER,
                       "review.abandoned", "申报逾期未补正",
                       f"{_what(app)}逾期未补正，已视为放弃申报。", app)
        op.summary = f"补正期限{request.due_date.isoformat()}已过，视为放弃申报"
        op.data = {"correction": request.pk, "due_date": request.due_date.isoformat()}


def remind_correction(request: CorrectionRequest) -> bool:
    """One deadline reminder per request, 2 working days before its due date."""
    try:
        _remind(request)
    except _Nothing:
        return False
    return True


def _remind(request: CorrectionRequest) -> None:
    with operation(SYSTEM, "review.correction_reminder", target=request.application) as op:
        locked = CorrectionRequest.objects.select_for_update(no_key=True).get(pk=request.pk)
        if locked.reminded_at is not None or locked.status != CorrectionStatus.OPEN:
            raise _Nothing
        locked.reminded_at = clock.now()
        locked.save(update_fields=["reminded_at"])
        app = _locked(op)
        _notify_applicant(app, "review.correction_reminder", "补正期限即将届满",
                          f"请于{locked.due_date.isoformat()}前完成补正并重新提交；"
                          "逾期未补正的，视为放弃申报（四（三））。", due=locked.due_date)
        op.summary = f"补正期限提醒（期限{locked.due_date.isoformat()}）"
        op.data = {"correction": locked.pk}


# --- committee re-check (四（四）) -----------------------------------------------------------


def expected_reviewer(app: Application) -> Organisation | None:
    if app.freelancer:
        return Organisation.objects.filter(kind=OrgKind.TALENT_CENTRE).first()
    return preliminary_reviewer_for(app.employer) if app.employer is not None else None


def scope_problems(app: Application) -> list[str]:
    """Why the committee must refuse this dossier (out of scope, wrong channel), if at all."""
    problems = []
    series = list(app.plan.series.all())
    if series and app.series_id not in {s.pk for s in series}:
        problems.append(f"系列“{app.series}”不在“{app.plan.specialty}”评委会受理范围内")
    setting = committee_setting(app.plan)
    if app.level not in (*setting.city_levels, *setting.provincial_levels):
        problems.append(f"层级“{app.get_level_display()}”不在本评委会受理范围内")
    expected = expected_reviewer(app)
    if expected is None or app.preliminary_reviewer_id != expected.pk:
        problems.append(
            f"初审单位“{app.preliminary_reviewer}”不是该单位的规定报送渠道"
            f"（应为“{expected or '无法确定'}”）"
        )
    sent = (
        ReviewStep.objects.filter(application=app, step="preliminary_approve")
        .order_by("-created_at", "-pk").first()
    )
    if sent is None or sent.organisation_id != app.preliminary_reviewer_id:
        problems.append("申报材料不是由规定的初审单位报送的")
    return problems


def committee_accept(application: Application, actor: Actor) -> Application:
    with operation(actor, "review.committee_accept", target=application) as op:
        app = _locked(op)
        if app.state == State.COMMITTEE_RECHECK and actor_has_role(
            actor, Role.COMMITTEE_OFFICE, app
        ):
            problems = scope_problems(app)
            if problems:
                raise StateConflict(
                    "不能复核通过：" + "；".join(problems)
                    + "。请按原报送渠道退回或不予受理（四（四））。"
                )
            _require_viewed(app, actor)
        t = fire(app, "committee_accept", actor)
        _step(app, actor, t.name, organisation=app.plan.office)
        publicity = _open_publicity(app, "pre_evaluation", actor)
        period = getattr(publicity, "date_range_full", "") or "不少于5个工作日"
        _notify_applicant(app, "review.committee_accepted", "复核通过，进入评前公示",
                          f"评委会办事机构复核通过，您的基本信息将进行评前公示（{period}，四（四））。")
        op.summary = "复核通过，进入评前公示"
        op.data = {"publicity": getattr(publicity, "pk", None)}
    return app


def committee_return(application: Application, actor: Actor, *, reasons: str) -> Application:
    """Back through the channel it came from: to the same preliminary reviewer."""
    with operation(actor, "review.committee_return", target=application) as op:
        app = _locked(op)
        t = fire(app, "committee_return", actor, GuardContext(reasons=_reasons(reasons)))
        _step(app, actor, t.name, organisation=app.plan.office, reasons=_reasons(reasons),
              is_return=True)
        _notify_office(
            app.preliminary_reviewer_id, OrgRole.PRELIMINARY_REVIEWER, "review.committee_returned",
            "评委会办事机构退回", f"{_what(app)}被复核退回。理由：{_reasons(reasons)}", app,
        )
        _notify_applicant(app, "review.committee_returned", "复核退回初审单位",
                          f"评委会办事机构按原报送渠道退回了您的申报。理由：{_reasons(reasons)}")
        op.summary = f"复核退回{app.preliminary_reviewer}：{_reasons(reasons)}"
        op.data = {"reasons": _reasons(reasons)}
    return app


def committee_refuse(application: Application, actor: Actor, *, reasons: str) -> Application:
    with operation(actor, "review.committee_refuse", target=application) as op:
        app = _locked(op)
        t = fire(app, "committee_refuse", actor, GuardContext(reasons=_reasons(reasons)))
        _step(app, actor, t.name, organisation=app.plan.office, reasons=_reasons(reasons))
        _notify_applicant(app, "review.committee_refused", "评委会不予受理",
                          f"评委会办事机构不予受理您的申报。理由：{_reasons(reasons)}")
        _notify_office(app.preliminary_reviewer_id, OrgRole.PRELIMINARY_REVIEWER,
                       "review.committee_refused", "评委会不予受理",
                       f"{_what(app)}不予受理。理由：{_reasons(reasons)}", app)
        op.summary = f"不予受理：{_reasons(reasons)}"
        op.data = {"reasons": _reasons(reasons)}
    return app


def pre_evaluation_objection_upheld(
    application: Application, actor: Actor, *, reasons: str
) -> Application:
    with operation(actor, "review.pre_evaluation_objection_upheld", target=application) as op:
        app = _locked(op)
        t = fire(app, "pre_evaluation_objection_upheld", actor,
                 GuardContext(reasons=_reasons(reasons)))
        _step(app, actor, t.name, organisation=app.plan.office, reasons=_reasons(reasons))
        _notify_applicant(app, "review.pre_evaluation_objection_upheld", "评前公示异议成立",
                          f"评前公示期间的异议经核查成立，不提交评审。理由：{_reasons(reasons)}")
        op.summary = f"评前公示异议成立：{_reasons(reasons)}"
        op.data = {"reasons": _reasons(reasons)}
    return app


def close_pre_evaluation(application: Application) -> bool:
    """After the pre-evaluation publicity closed with every objection resolved, the dossier is
    ready for the meeting (SYSTEM; called when the publicity closes and by the hourly task).
    False, with nothing written, while that is not (yet) the case."""
    try:
        _close_pre_evaluation(application)
    except _Nothing:
        return False
    return True


def _close_pre_evaluation(application: Application) -> None:
    with operation(SYSTEM, "review.close_pre_evaluation_publicity", target=application) as op:
        app = _locked(op)
        if app.state != State.PRE_EVALUATION_PUBLICITY:
            raise _Nothing
        try:
            check(app, "close_pre_evaluation_publicity", SYSTEM)
        except OperationError:
            raise _Nothing from None
        t = fire(app, "close_pre_evaluation_publicity", SYSTEM)
        _step(app, SYSTEM, t.name, organisation=app.plan.office)
        _notify_applicant(app, "review.ready_for_meeting", "评前公示期满，列入评审",
                          "评前公示期满，异议均已处理，您的申报已列入评审会议。")
        _notify_office(app.plan.office_id, OrgRole.COMMITTEE_OFFICE, "review.ready_for_meeting",
                       "申报待评审", f"{_what(app)}评前公示期满，已列入评审。", app)
        op.summary = "评前公示期满，列入评审"


# --- senior dossiers and the province ------------------------------------------------------


def city_office_review(application: Application, actor: Actor, *, opinion: str) -> ReviewStep:
    """The city title office's review of a senior dossier before it goes to the province."""
    with operation(
        actor, "review.city_office_review", target=application,
        allowed_states=[State.COMMITTEE_RECHECK],
    ) as op:
        app = _locked(op)
        if not actor_has_role(actor, Role.CITY_OFFICE, app):
            raise NotPermitted("只有市职称办可以审核高级申报材料。")
        if app.level not in committee_setting(app.plan).provincial_levels:
            raise OperationError("该申报由本市评委会评审，无需市职称办报省审核。")
        if not opinion.strip():
            raise OperationError("请填写审核意见。")
        org = Membership.objects.filter(
            user=person(actor), role=OrgRole.CITY_OFFICE, active=True
        ).select_related("organisation").first()
        step = _step(app, actor, "city_office_review",
                     organisation=org.organisation if org else None, reasons=opinion.strip())
        _notify_office(app.plan.office_id, OrgRole.COMMITTEE_OFFICE, "review.city_reviewed",
                       "市职称办已审核", f"{_what(app)}已经市职称办审核，可报送省高评委。", app)
        op.summary = "市职称办审核高级申报材料"
        op.data = {"opinion": opinion.strip()}
    return step


def forward_to_province(application: Application, actor: Actor) -> ProvincialForward:
    with operation(actor, "review.forward_to_province", target=application) as op:
        app = _locked(op)
        _require_viewed(app, actor)
        t = fire(app, "forward_to_province", actor)
        submission = latest_submission(app)
        step = _step(app, actor, t.name, organisation=app.plan.office)
        data, digest = build_package(app, submission, forwarded_at=step.created_at)
        name = default_storage.save(
            f"reviews/packages/{app.pk}-{digest[:16]}.zip", ContentFile(data)
        )
        forward = ProvincialForward.objects.create(
            application=app, submission=submission, forwarded_by=person(actor), package=name,
            package_sha256=digest, forwarded_at=step.created_at,
        )
        _notify_applicant(app, "review.forwarded", "已报送省级高评委",
                          "您的高级申报材料已经市职称办审核，报送省级高评委会评审（四（四））。")
        op.summary = "报送省级高评委"
        op.data = {"package_sha256": digest, "submission": submission.pk if submission else None}
    return forward


def record_provincial_result(
    application: Application, actor: Actor, *, passed: bool, document_number: str
) -> ProvincialForward:
    name = "record_provincial_pass" if passed else "record_provincial_fail"
    with operation(actor, f"review.{name}", target=application) as op:
        app = _locked(op)
        fire(app, name, actor, GuardContext(document_number=document_number.strip()))
        forward = ProvincialForward.objects.select_for_update(no_key=True).get(application=app)
        forward.result = ProvincialResult.PASSED if passed else ProvincialResult.FAILED
        forward.document_number = document_number.strip()
        forward.result_recorded_at = clock.now()
        forward.save(update_fields=["result", "document_number", "result_recorded_at"])
        _step(app, actor, name, organisation=app.plan.office, reasons=document_number.strip())
        verdict = "通过" if passed else "未通过"
        _notify_applicant(app, f"review.provincial_{'pass' if passed else 'fail'}",
                          f"省高评委评审{verdict}",
                          f"省级高评委会评审结果：{verdict}（文号：{document_number.strip()}）。")
        op.summary = f"登记省高评委评审结果：{verdict}（{document_number.strip()}）"
        op.data = {"passed": passed, "document_number": document_number.strip()}
    return forward


# --- city sampling (四（四）) ----------------------------------------------------------------


def sample_population(plan: CommitteePlan) -> list[int]:
    """Ids of the plan's dossiers accepted by its committee office, in order."""
    return sorted(
        ReviewStep.objects.filter(application__plan=plan, step="committee_accept")
        .values_list("application_id", flat=True).distinct()
    )


def sampling_result(record: SamplingDraw, seed: str) -> list[int]:
    """The sample (application ids, in draw order) of the committed codes with this seed."""
    back = {code: int(pk) for pk, code in record.codes.items()}
    return [back[c] for c in pure.sampling_draw(sorted(back), record.share, seed)]


def commit_sampling(plan: CommitteePlan, actor: Actor) -> SamplingDraw:
    """Fix the plan's accepted dossiers (by this sampling's pseudonymous codes) and publish
    the seed's hash BEFORE the draw; the seed stays hidden (docs/trust.md §Sampling draw)."""
    require_permission(actor, "reviews.sample", plan, SAMPLING_REFUSAL)
    with operation(actor, "review.sampling.commit", target=(CommitteePlan, plan.pk)) as op:
        locked: CommitteePlan = op.obj
        if SamplingDraw.objects.filter(plan=locked, drawn_at__isnull=True).exists():
            raise StateConflict("该评审计划已有公布种子哈希、尚未抽取的抽查，请先完成那次抽取。")
        share = committee_setting(locked).sample_share
        population = sample_population(locked)
        if not population:
            raise OperationError("该评委会尚无复核通过的申报，无需抽查。")
        seed = pure.new_seed()
        record = SamplingDraw.objects.create(
            plan=locked, drawn_by=person(actor), seed=seed,
            seed_sha256=pure.seed_hash(seed), share=share, population=population,
            sample=[], codes={str(pk): code
                              for pk, code in pure.population_codes(population).items()},
        )
        op.summary = (f"抽查{locked}：公布种子哈希{record.seed_sha256}；"
                      f"抽查范围{len(population)}份，比例{share}")
        op.data = {"sampling": record.pk, "seed_sha256": record.seed_sha256,
                   "share": str(share), "population": population}
    return record


def run_sampling(record: SamplingDraw, actor: Actor) -> SamplingDraw:
    """Draw with the committed seed over the committed codes and reveal the seed."""
    require_permission(actor, "reviews.sample", record.plan, SAMPLING_REFUSAL)
    with operation(actor, "review.sampling.run", target=record) as op:
        locked: SamplingDraw = op.obj
        if locked.drawn:
            raise StateConflict("本次抽查已经抽取，不能重新抽取。")
        locked.sample = sampling_result(locked, locked.seed)
        locked.drawn_at = clock.now()
        locked.drawn_by = person(actor)
        locked.save(update_fields=["sample", "drawn_at", "drawn_by"])
        op.summary = (f"抽查{locked.plan}：{len(locked.population)}份中抽取"
                      f"{len(locked.sample)}份；种子{locked.seed}")
        op.data = {"sampling": locked.pk, "seed": locked.seed,
                   "seed_sha256": locked.seed_sha256, "sample": locked.sample}
    return locked


def record_finding(
    sampling: SamplingDraw, application: Application, actor: Actor, *, outcome: str, finding: str
) -> SampleFinding:
    require_permission(actor, "reviews.sample", application, SAMPLING_REFUSAL)
    if not sampling.drawn or application.pk not in sampling.sample:
        raise OperationError("该申报不在本次抽查样本中。")
    if outcome not in FindingOutcome.values or not finding.strip():
        raise OperationError("请选择抽查结论并填写抽查意见。")
    with operation(actor, "review.sampling_finding", target=application) as op:
        record, _ = SampleFinding.objects.update_or_create(
            draw=sampling, application=application,
            defaults={"outcome": outcome, "finding": finding.strip(), "recorded_by": person(actor),
                      "recorded_at": clock.now()},
        )
        # On the dossier's trail, and the committee office hears of a problem found.
        org = Membership.objects.filter(
            user=person(actor), role=OrgRole.CITY_OFFICE, active=True
        ).select_related("organisation").first()
        _step(application, actor, "sampling_finding",
              organisation=org.organisation if org else None,
              reasons=f"{record.get_outcome_display()}：{finding.strip()}")
        if outcome == FindingOutcome.PROBLEM:
            _notify_office(
                application.plan.office_id, OrgRole.COMMITTEE_OFFICE, "review.sampling_problem",
                "市职称办抽查发现问题",
                f"市职称办抽查{_what(application)}的申报材料，发现问题：{finding.strip()}",
                application,
            )
        op.summary = f"抽查意见：{record.get_outcome_display()}"
        op.data = {"draw": sampling.pk, "outcome": outcome, "finding": finding.strip()}
    return record


def update_committee_setting(
    plan: CommitteePlan,
    actor: Actor,
    *,
    sample_share: Decimal | None = None,
    city_levels: list[str] | None = None,
    provincial_levels: list[str] | None = None,
    note: str | None = None,
) -> CommitteeSetting:
    require_permission(actor, "reviews.sample", plan, SAMPLING_REFUSAL)
    with operation(actor, "review.committee_setting", target=(CommitteePlan, plan.pk)) as op:
        current = committee_setting(op.obj)
        if sample_share is not None:
            if not Decimal(0) <= sample_share <= Decimal(1):
                raise OperationError("抽查比例须在0到1之间。")
            current.sample_share = sample_share
        if city_levels is not None:
            current.city_levels = city_levels
        if provincial_levels is not None:
            current.provincial_levels = provincial_levels
        if note is not None:
            current.note = note
        current.save()
        op.summary = f"设置{plan}的受理范围与抽查比例"
        op.data = {"sample_share": str(current.sample_share),
                   "city_levels": current.city_levels,
                   "provincial_levels": current.provincial_levels}
    return current


# --- the worklist's stored order (Application.due_on, Application.received_at) -------------


def worklist_keys() -> dict[str, Any]:
    """The expressions of the worklist's order for an UPDATE of applications: the nearest
    deadline (an open correction's due date, else the last day of the latest running
    publicity) and when the dossier last moved (its latest review step, else submission)."""
    open_due = CorrectionRequest.objects.filter(
        application=OuterRef("pk"), status=CorrectionStatus.OPEN
    ).values("due_date")[:1]
    publicity_end = Publicity.objects.filter(
        application=OuterRef("pk"), closed_at__isnull=True
    ).order_by("-round").values("last_day")[:1]
    last_step = ReviewStep.objects.filter(application=OuterRef("pk")).order_by(
        "-created_at", "-pk").values("created_at")[:1]
    return {
        "due_on": Coalesce(Subquery(open_due), Subquery(publicity_end)),
        "received_at": Coalesce(Subquery(last_step), F("submitted_at")),
    }


# Per database alias: the UPDATE of one application's worklist keys and its parameters, the
# application's id at `index`. Compiling its three subqueries cost more CPU than running it
# (about 2 ms, on every submission and review step), and only the id changes between runs.
_WORKLIST_UPDATE: dict[str, tuple[str, list[Any], int]] = {}
_ID_MARKER = -7_010_203  # no application has it: it marks the id's place in the parameters


def _worklist_update(alias: str) -> tuple[str, list[Any], int]:
    cached = _WORKLIST_UPDATE.get(alias)
    if cached is None:
        query = cast("UpdateQuery", Application.objects.filter(pk=_ID_MARKER).query.chain(
            UpdateQuery))
        query.add_update_values(worklist_keys())
        sql, params = query.get_compiler(alias).as_sql()
        if list(params).count(_ID_MARKER) != 1:  # never expected: no cache, the ORM runs it
            raise LookupError("the worklist UPDATE's id parameter was not found")
        cached = _WORKLIST_UPDATE[alias] = (sql, list(params), list(params).index(_ID_MARKER))
    return cached


def refresh_worklist_keys(application_id: int | None) -> None:
    """Recompute one application's stored worklist order: one UPDATE, in the transaction of
    the write that changed a step, a correction, a publicity or the submission (connected to
    those models' saves in ReviewsConfig.ready, so no operation can forget it). The statement
    is the ORM's `update(**worklist_keys())`, compiled once per process."""
    if application_id is None:
        return
    alias = router.db_for_write(Application)
    try:
        sql, params, index = _worklist_update(alias)
    except LookupError:
        Application.objects.filter(pk=application_id).update(**worklist_keys())
        return
    params = list(params)
    params[index] = application_id
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)


def refresh_all_worklist_keys() -> int:
    """Every application's stored worklist order at once (bulk loads such as the benchmark
    seeder, which copies rows without their saves)."""
    return Application.objects.update(**worklist_keys())
