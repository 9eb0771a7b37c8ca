"""Guards of `record_pass` / `record_fail` (registered into applications.states.GUARDS).

`quorum_present`: the sitting of the application's current meeting that voted on it had at
least 2/3 of the drawn committee present. `two_thirds_yes`: its counted vote has
3·agree ≥ 2·(present experts not recused from it), and the office did not hold it back
under the pass-rate ceiling.
`in_committee_scope` is registered by the review chain (reviews/guards.py); this module
registers it only if nobody has.

`results_batch(meeting, cases, quorums)`: while `record_results` registers a whole meeting, the
guards read each sitting's quorum and each case from facts loaded once (a constant number of
queries for the meeting, not a few per case); they still decide every applicant."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from zhicheng.applications.states import (
    GUARDS,
    NO_CONTEXT,
    GuardContext,
    Role,
    actor_has_role,
    guard,
)
from zhicheng.core.actors import Actor
from zhicheng.core.operations import SYSTEM

from . import arithmetic
from .models import Case, MeetingState
from .operations import quorum
from .queries import quorum_refusal, sitting_of

_BATCH: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "zhicheng_results_batch", default=None)


@contextmanager
def results_batch(meeting: Any, cases: list[Case],
                  quorums: dict[int, tuple[bool, int, int]]) -> Iterator[None]:
    """`quorums`: each sitting's (holds, present, size) by sitting id, in sitting order (the
    first key is sitting 1, the sitting of a case never assigned)."""
    first = next(iter(quorums), None)
    token = _BATCH.set({"meeting": meeting.pk, "quorums": quorums, "first": first,
                        "cases": {c.application_id: c for c in cases}})
    try:
        yield
    finally:
        _BATCH.reset(token)


def current_case(application: Any) -> Case | None:
    batch = _BATCH.get()
    if batch is not None and application.pk in batch["cases"]:
        case: Case = batch["cases"][application.pk]
        return case
    return (
        Case.objects.filter(application_id=application.pk)
        .exclude(meeting__state__in=[MeetingState.DRAFT, MeetingState.RETURNED])
        .select_related("meeting")
        .order_by("-meeting__date", "-pk")
        .first()
    )


@guard("quorum_present")
def quorum_present(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT,
) -> str | None:
    case = current_case(application)
    if case is None:
        return "该申报未列入任何评审会议。"
    batch = _BATCH.get()
    day = case.sitting_id if case.sitting_id is not None else (batch or {}).get("first")
    if batch is not None and batch["meeting"] == case.meeting_id and day in batch["quorums"]:
        holds, present, size = batch["quorums"][day]
    else:
        holds, present, size = quorum(case.meeting, sitting_of(case))
    if not holds:

        return f"{quorum_refusal(case.meeting, present, size)}。"
    return None


@guard("two_thirds_yes")
def two_thirds_yes(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT,
) -> str | None:
    case = current_case(application)
    if case is None or case.passed is None or case.attending is None or case.agree is None:
        return "该申报尚未完成表决计票。"
    if not arithmetic.passes(case.agree, case.attending):
        return f"同意{case.agree}票，未达到参加表决评委{case.attending}人的三分之二。"
    if case.held_back:
        return "办事机构已决定因通过率上限不予通过。"
    return None


if "in_committee_scope" not in GUARDS:  # pragma: no cover - reviews app registers it

    @guard("in_committee_scope")
    def in_committee_scope(
        application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
    ) -> str | None:
        if actor is SYSTEM or actor_has_role(actor, Role.COMMITTEE_OFFICE, application):
            return None
        return "该申报不是报送您所在评委会办事机构的，不能处理。"
