"""What a sanction in force forbids, asked by the operations of other apps:

- `ensure_may_evaluate(committee)`: the evaluation operations (meeting, opening report, draw,
  opening the meeting) refuse while a suspension or a withdrawal covers the committee;
- `ensure_plan_accepting(plan)`: the application operations refuse a plan all of whose
  committees have lost the right to evaluate (a newly authorised committee reopens it).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhicheng.core.operations import OperationError
from zhicheng.policy.dates import cn_date

from .models import Kind, Sanction, Status


class SanctionInForce(OperationError):
    code = "sanction_in_force"


def blocking_sanction(committee: Any) -> Sanction | None:
    """The first suspension or withdrawal in force over this committee (or its whole office)."""
    return (
        Sanction.objects.filter(
            Q(committee_id=committee.pk) | Q(committee__isnull=True, office_id=committee.office_id),
            kind__in=[Kind.SUSPENSION, Kind.WITHDRAWAL],
            status=Status.IN_FORCE,
        )
        .order_by("-kind", "decided_on", "pk")  # a withdrawal outranks a suspension
        .first()
    )


def refusal_message(sanction: Sanction, committee: Any) -> str:
    if sanction.kind == Kind.WITHDRAWAL:
        return (
            f"市职称办已收回“{committee}”的评审权（{sanction.decision_number}，"
            f"{cn_date(sanction.decided_on)}，五（三）），该评委会不能再开展评审活动；"
            "须经核准组建新的评委会后方可评审。"
        )
    return (
        f"市职称办已对“{committee}”作出暂停评审的处理（{sanction.decision_number}，"
        f"{cn_date(sanction.decided_on)}，五（三））。暂停期间不能拟定或报送开评报告、抽取评委或召开"
        "评审会议，待市职称办解除后方可继续。"
    )


def ensure_may_evaluate(committee: Any) -> None:
    sanction = blocking_sanction(committee)
    if sanction is not None:
        raise SanctionInForce(refusal_message(sanction, committee))


# Set on a plan read `with_withdrawal_flag`: whether a withdrawal in force covers one of its
# committees (read with the plan, so the common case, nothing withdrawn, costs no query).
WITHDRAWAL_FLAG = "withdrawal_in_force"


def plan_withdrawal_in_force(plan_ref: str = "pk") -> Exists:
    """Whether a withdrawal in force covers a committee of the plan `plan_ref` names (an
    annotation; set it on the plan as `WITHDRAWAL_FLAG`)."""
    return Exists(Sanction.objects.filter(
        kind=Kind.WITHDRAWAL, status=Status.IN_FORCE, committee__plans=OuterRef(plan_ref)))


def with_withdrawal_flag(plans: QuerySet[Any]) -> QuerySet[Any]:
    """`plans` with `WITHDRAWAL_FLAG` annotated, read by `ensure_plan_accepting`."""
    return plans.annotate(**{WITHDRAWAL_FLAG: plan_withdrawal_in_force()})


def ensure_plan_accepting(plan: Any) -> None:
    """One query when nothing was withdrawn (the common case); none when the plan was read
    `with_withdrawal_flag` and nothing was."""
    if getattr(plan, WITHDRAWAL_FLAG, None) is False:
        return
    sanction = (
        Sanction.objects.filter(
            kind=Kind.WITHDRAWAL, status=Status.IN_FORCE, committee__plans=plan
        ).order_by("decided_on", "pk").first()
    )
    if sanction is None:
        return
    still_authorised = plan.committees.exclude(
        sanctions__kind=Kind.WITHDRAWAL, sanctions__status=Status.IN_FORCE
    )
    if still_authorised.exists():
        return
    raise SanctionInForce(
        f"“{plan.specialty}”评委会的评审权已被市职称办收回（{sanction.decision_number}，"
        f"五（三）），该评审计划停止受理申报。请关注市职称办关于新评委会的通知，"
        "或选择其他评委会。"
    )
