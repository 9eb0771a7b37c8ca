"""Guards of the applicant's own transitions, submit and withdraw (registered into states.GUARDS).

A guard returns None when it holds, or the Chinese reason it does not."""

from __future__ import annotations

from typing import Any

from zhicheng.core.actors import Actor

from .commitment import commitment_sha256
from .profiles import decide_application
from .states import NO_CONTEXT, GuardContext, State, guard


def _decision(application: Any, context: GuardContext) -> Any:
    """The decision the submit operation computed, or a fresh one when fired without it."""
    if context.decision is not None:
        return context.decision

    _payload, decision = decide_application(application)
    return decision


@guard("no_failing_finding")
def no_failing_finding(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    failing = _decision(application, context).failing()
    if failing:
        items = "；".join(f"[{f.clause}] {f.message}" for f in failing)
        return f"资格审查有不符合的条件，不能提交：{items}"
    return None


@guard("needs_review_explained")
def needs_review_explained(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    review = [f for f in _decision(application, context).findings if f.outcome == "needs_review"]
    if review and not application.explanation.strip():
        return "有需人工审核的事项，请在“情况说明”中逐项说明后再提交。"
    return None


@guard("commitment_accepted")
def commitment_accepted(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    if application.commitment_accepted_at is None:
        return "请先阅读并签署《专业技术资格评审申报承诺书》（五（四））。"
    if application.commitment_sha256 != commitment_sha256():
        return "承诺书内容已更新，请重新阅读并签署。"
    return None


@guard("materials_present")
def materials_present(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    if not application.materials.exists():
        return "请至少上传一份申报材料（PDF、JPEG或PNG）。"
    return None


@guard("employer_recorded")
def employer_recorded(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    profile = getattr(application.applicant, "applicant_profile", None)
    if profile is None or (profile.employer_id is None and not profile.freelancer):
        return "请先在个人资料的“工作单位”中选择用人单位（或选择自由职业），以确定审核渠道（四）。"
    return None


@guard("unit_not_acted")
def unit_not_acted(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT,
) -> str | None:
    if application.state not in (State.DRAFT, State.SUBMITTED):
        return "用人单位已开始审核，不能再撤回；如需撤回请联系用人单位。"
    return None
