"""The demo clock (demo mode only, `ZHICHENG_DEMO_CLOCK=1`): the city office of the demo,
or `zhicheng demo_clock`, moves the business date forward so a meeting can reach its day
and a publicity its end. Each move is one audit event; time never goes backwards; the
periodic tasks run right after a move (publicities that ended close at once)."""

from __future__ import annotations

import datetime as dt

from zhicheng.core import clock
from zhicheng.core.actors import Actor, person_or_none
from zhicheng.core.operations import SYSTEM, NotPermitted, OperationError, operation
from zhicheng.core.ticker import run_periodic_tasks
from zhicheng.orgs.models import Membership, Role

MAX_STEP_DAYS = 366


class DemoClockError(OperationError):
    code = "demo_clock"


def may_move(actor: Actor | None) -> bool:
    if actor is SYSTEM:
        return True
    return bool(getattr(actor, "is_authenticated", False) and Membership.objects.filter(
        user=person_or_none(actor), active=True, role=Role.CITY_OFFICE).exists())


def set_day(actor: Actor, day: dt.date) -> dt.date:
    """Move the demo's business date to `day` (later than today); audited as demo.clock.set."""
    if not clock.demo_clock_enabled():
        raise DemoClockError("演示时钟未启用（仅演示模式 ZHICHENG_DEMO_CLOCK=1 可用）。")
    if not may_move(actor):
        raise NotPermitted("只有市职称办可以调整演示日期。")
    before = clock.today()
    if day <= before:
        raise DemoClockError(
            f"演示日期只能向后调整：当前为{before.isoformat()}，所填为{day.isoformat()}。")
    if (day - before).days > MAX_STEP_DAYS:
        raise DemoClockError(f"一次最多向后调整{MAX_STEP_DAYS}天。")
    with operation(actor, "demo.clock.set") as op:
        path = clock.demo_clock_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(day.isoformat() + "\n", encoding="utf-8")
        tmp.replace(path)  # atomic: a reader sees the old date or the new one
        op.summary = f"演示日期由{before.isoformat()}调整为{day.isoformat()}（仅演示模式）"
        op.data = {"from": before, "to": day}
    run_periodic_tasks()
    return day


def advance(actor: Actor, days: int) -> dt.date:
    if days < 1:
        raise DemoClockError("请填写要向后推进的天数（至少1天）。")
    if days > MAX_STEP_DAYS:
        raise DemoClockError(f"一次最多向后调整{MAX_STEP_DAYS}天。")
    return set_day(actor, clock.today() + dt.timedelta(days=days))
