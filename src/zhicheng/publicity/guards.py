"""Guards of the state machine (registered into applications.states.GUARDS).

`publicity_closed`: the current publicity of the kind implied by the application's state
(unit_publicity → unit, pre_evaluation_publicity → pre_evaluation, result_publicity → result)
has been closed by the close task. `objections_resolved`: it has no open objection.
A guard returns None when it holds, or the Chinese reason it does not."""

from __future__ import annotations

from typing import Any

from zhicheng.applications.states import NO_CONTEXT, GuardContext, guard, state_label
from zhicheng.core import clock
from zhicheng.core.actors import Actor
from zhicheng.policy.dates import cn_date

from .models import KIND_FOR_STATE, Kind, ObjectionState, Publicity


def _current(application: Any) -> tuple[str | None, Publicity | None]:
    kind = KIND_FOR_STATE.get(application.state)
    if kind is None:
        return None, None
    publicity = (
        Publicity.objects.filter(application_id=application.pk, kind=kind)
        .order_by("-round")
        .first()
    )
    return kind, publicity


def _no_publicity(application: Any, kind: str | None) -> str:
    if kind is None:
        return f"当前状态“{state_label(application.state)}”下没有进行中的公示。"
    return f"该申报尚未发布{Kind(kind).label}。"


@guard("publicity_closed")
def publicity_closed(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    kind, p = _current(application)
    if p is None:
        return _no_publicity(application, kind)
    if p.closed_at is not None:
        return None
    label = p.get_kind_display()
    today = clock.today()
    if today < p.first_day:
        return f"{label}期为{p.date_range_full}，尚未开始。"
    if today <= p.last_day:
        return f"{label}期至{cn_date(p.last_day)}，尚未期满（{p.date_range_full}）。"
    return (
        f"{label}期已于{cn_date(p.last_day)}届满，系统正在自动结束公示，请稍后再试。"
    )


@guard("objections_resolved")
def objections_resolved(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    kind, p = _current(application)
    if p is None:
        return _no_publicity(application, kind)
    still_open = p.objections.filter(state=ObjectionState.OPEN).count()
    if still_open:
        return (
            f"{p.get_kind_display()}（{p.date_range}）有{still_open}件异议尚未处理，"
            "请书面处理全部异议后再进入下一环节。"
        )
    return None
