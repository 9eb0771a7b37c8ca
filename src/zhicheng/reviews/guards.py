"""Guards of the review chain's transitions (registered into applications.states.GUARDS).

A guard returns None when it holds, or the Chinese reason it does not. What an operation
was asked to do (reasons, items, due date, the diff) reaches the guards as the
`GuardContext` the operation passes to `fire()`."""

from __future__ import annotations

from typing import Any

from zhicheng.applications.states import NO_CONTEXT, GuardContext, Role, actor_has_role, guard
from zhicheng.core import clock
from zhicheng.core.actors import Actor
from zhicheng.core.operations import SYSTEM

from .diff import unlisted_changes
from .models import CommitteeSetting, CorrectionRequest, CorrectionStatus, ReviewStep, UnitCheck
from .scope import default_scope


def latest_submission(application: Any) -> Any:
    return application.submissions.order_by("-number").first()


def committee_setting(plan: Any) -> CommitteeSetting:
    """The plan's stored setting, or the defaults inferred from its name (not saved)."""
    setting = CommitteeSetting.objects.filter(plan=plan).first()
    if setting is None:
        city, provincial, note = default_scope(plan.specialty)
        setting = CommitteeSetting(
            plan=plan, city_levels=city, provincial_levels=provincial, note=note
        )
    return setting


def open_correction(application: Any) -> CorrectionRequest | None:
    return (
        CorrectionRequest.objects.filter(application=application, status=CorrectionStatus.OPEN)
        .order_by("-number")
        .first()
    )


def exempt_from_originals(snapshot: dict[str, Any], material: dict[str, Any]) -> bool:
    """五（五）: facts verifiable online (学历学位 via 学信网, 社保) need no original."""
    verified = snapshot.get("verified_online", {})
    if material.get("kind") == "education":
        return any(verified.get("education") or [])
    if material.get("kind") == "social_insurance":
        return bool(verified.get("social_insurance"))
    return False


def materials_needing_originals(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in snapshot.get("materials", []) if not exempt_from_originals(snapshot, m)]


# --- jurisdiction ---------------------------------------------------------------------------


@guard("in_unit_jurisdiction")
def in_unit_jurisdiction(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    if not actor_has_role(actor, Role.UNIT_HR, application):
        return "该申报不属于您所在单位，不能审核。"
    return None


@guard("in_reviewer_jurisdiction")
def in_reviewer_jurisdiction(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    if not actor_has_role(actor, Role.PRELIMINARY_REVIEWER, application):
        return "该申报的初审单位不是您所在的机构，不能初审。"
    return None


@guard("in_committee_scope")
def in_committee_scope(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    """The dossier is addressed to a plan whose committee office the actor belongs to (or the
    system acts). Whether its series and level are in the committee's scope is checked by
    `committee_accept` (a dossier outside it can only be refused, 四（四）)."""
    if actor is SYSTEM or actor_has_role(actor, Role.COMMITTEE_OFFICE, application):
        return None
    return "该申报不是报送您所在评委会办事机构的，不能处理。"


# --- unit review ----------------------------------------------------------------------------


@guard("reasons_given")
def reasons_given(application: Any, actor: Actor, context: GuardContext = NO_CONTEXT) -> str | None:
    if not context.reasons.strip():
        return "请填写理由（将告知申报人）。"
    return None


@guard("originals_checked")
def originals_checked(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    submission = latest_submission(application)
    if submission is None:
        return "该申报没有提交快照。"
    check = UnitCheck.objects.filter(submission=submission).first()
    checked = check.checked if check else {}
    missing = [
        m["title"] for m in materials_needing_originals(submission.snapshot)
        if checked.get(str(m["id"])) != m["sha256"]
    ]
    if missing:
        return "以下材料尚未核对原件：" + "、".join(missing) + "（四（二））。"
    return None


@guard("opinion_written")
def opinion_written(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT,
) -> str | None:
    submission = latest_submission(application)
    check = UnitCheck.objects.filter(submission=submission).first() if submission else None
    if check is None or not check.opinion.strip():
        return "请先填写单位审核意见。"
    return None


# --- preliminary review and corrections -----------------------------------------------------


@guard("items_listed")
def items_listed(application: Any, actor: Actor, context: GuardContext = NO_CONTEXT) -> str | None:
    items = context.items
    if not items:
        return "请一次性列出需要补正的全部事项（四（三））。"
    for item in items:
        if not str(item.get("target", "")).strip() or not str(item.get("problem", "")).strip():
            return "每一项补正都须写明对应的资料条目或材料，以及存在的问题。"
    return None


@guard("due_date_set")
def due_date_set(application: Any, actor: Actor, context: GuardContext = NO_CONTEXT) -> str | None:
    due = context.due_date
    if due is None:
        return "请设定补正期限。"
    if due <= clock.today():
        return "补正期限须晚于今天。"
    return None


@guard("before_due_date")
def before_due_date(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT,
) -> str | None:
    request = open_correction(application)
    if request is None:
        return "没有待补正的告知。"
    if clock.today() > request.due_date:
        return f"补正期限（{request.due_date.isoformat()}）已过，视为放弃申报（四（三））。"
    return None


@guard("only_listed_items_changed")
def only_listed_items_changed(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    request = open_correction(application)
    if request is None:
        return "没有待补正的告知。"
    changes = context.changes
    if changes is None:
        return "未能比较补正前后的内容。"
    extra = unlisted_changes(changes, request.targets)
    if extra:
        where = "、".join(dict.fromkeys(c.where for c in extra))
        return f"只能修改告知补正的事项；以下内容不在补正清单中：{where}。请恢复后再提交。"
    return None


@guard("correction_overdue")
def correction_overdue(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    request = open_correction(application)
    if request is None:
        return "没有待补正的告知。"
    if clock.today() <= request.due_date:
        return f"补正期限（{request.due_date.isoformat()}）未到。"
    return None


# --- committee re-check and the province ----------------------------------------------------


@guard("evaluated_in_city")
def evaluated_in_city(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    setting = committee_setting(application.plan)
    if application.level not in setting.city_levels:
        if application.level in setting.provincial_levels:
            return "该层级由省级高评委会评审，请经市职称办审核后报送省高评委（四（四））。"
        return "该层级不在本评委会受理范围内。"
    return None


@guard("senior_provincial")
def senior_provincial(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    setting = committee_setting(application.plan)
    if application.level not in setting.provincial_levels:
        return "该层级由本市评委会评审，不报送省高评委。"
    return None


@guard("city_office_reviewed")
def city_office_reviewed(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    last_sent = (
        ReviewStep.objects.filter(application=application, step="preliminary_approve")
        .order_by("-created_at", "-pk").first()
    )
    reviews = ReviewStep.objects.filter(application=application, step="city_office_review")
    if last_sent is not None:
        reviews = reviews.filter(created_at__gte=last_sent.created_at)
    if not reviews.exists():
        return "高级申报材料须经市职称办审核后才能报送省高评委（四（四））。"
    return None


@guard("provincial_result_received")
def provincial_result_received(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    if not context.document_number.strip():
        return "请填写省高评委评审结果的文号。"
    return None
