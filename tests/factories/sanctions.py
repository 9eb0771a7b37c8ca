"""Sanctions: a sanction decision's fields, and a meeting of the evaluation World driven
through the real operations up to signed, published or filed results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.factories.evaluation import World
from zhicheng.evaluation import operations as ev


def decision(n: int = 1) -> dict[str, str]:
    return {"decision_number": f"连职称办〔2024〕{30 + n}号",
            "reason": "未按规定程序组织评审，评委抽取前泄露名单",
            "evidence": "现场督查记录（2024年10月9日）；评委会工作人员询问笔录"}


def results(world: World, *, stage: str = "signed") -> tuple[Any, Any, Any]:
    """A meeting with one applicant passed and one failed, up to `stage`
    (signed with results recorded, published, or filed)."""
    from zhicheng.publicity.operations import close_due_publicities

    world.pool(7)
    passed_app = world.application("甲通过")
    failed_app = world.application("乙未过")
    m = world.opened(count=5, reserve=0)
    world.vote_all(m, {passed_app.pk: ["agree"] * 5, failed_app.pk: ["disagree"] * 5})
    seats = list(m.seats.all())
    ev.assign_tally_roles(m, world.office, seats[0], seats[1])
    ev.sign_tally(m, seats[0].expert.user)
    ev.sign_tally(m, seats[1].expert.user)
    ev.record_results(m, world.office)
    if stage in ("published", "filed"):
        world.today("2024-10-28")
        ev.publish_results(m, world.office)
    if stage == "filed":
        close_due_publicities(dt.date(2024, 11, 4))
        world.today("2024-11-04")
        ev.file_results(m, world.city, approval_number="测试〔2024〕1号")
    m.refresh_from_db()
    passed_app.refresh_from_db()
    failed_app.refresh_from_db()
    return m, passed_app, failed_app
