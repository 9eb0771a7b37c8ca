"""The guards `publicity_closed` and `objections_resolved` hold an application in its
publicity state until the period has ended and every objection is answered in writing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from zhicheng.applications.states import GUARDS, State, TransitionRefused, check, fire
from zhicheng.core.operations import SYSTEM
from zhicheng.publicity.operations import (
    close_due_publicities,
    file_objection,
    open_publicity,
    resolve_objection,
)

pytestmark = pytest.mark.django_db


def refused(application: Any, name: str, actor: Any) -> str:
    with pytest.raises(TransitionRefused) as info:
        check(application, name, actor)
    return str(info.value)


def test_guards_are_registered_by_the_app() -> None:
    assert {"publicity_closed", "objections_resolved"} <= set(GUARDS)


def test_pre_evaluation_publicity_blocks_until_closed_and_resolved(
    make_application: Any, committee_office: Any, today: Any
) -> None:
    today("2024-09-27")
    app = make_application(State.PRE_EVALUATION_PUBLICITY)
    assert "尚未发布评前公示" in refused(app, "close_pre_evaluation_publicity", SYSTEM)
    p = open_publicity(app, "pre_evaluation", committee_office)
    objection = file_objection(
        p, name="", contact="13912345678", text="业绩不实", ip="10.1.1.1"
    )
    assert refused(app, "close_pre_evaluation_publicity", SYSTEM) == (
        "评前公示期至2024年10月9日，尚未期满（2024年9月27日至2024年10月9日（5个工作日））。"
    )
    today("2024-10-10")  # period over, the task has not run yet
    assert "系统正在自动结束公示" in refused(app, "close_pre_evaluation_publicity", SYSTEM)
    close_due_publicities()
    reason = refused(app, "close_pre_evaluation_publicity", SYSTEM)
    assert "2024年9月27日至2024年10月9日" in reason and "有1件异议尚未处理" in reason
    resolve_objection(
        objection, committee_office, resolution="经核实业绩真实。", outcome="dismissed"
    )
    with transaction.atomic():
        fire(app, "close_pre_evaluation_publicity", SYSTEM)
    app.refresh_from_db()
    assert app.state == State.READY_FOR_MEETING


def test_unit_recommendation_waits_for_the_unit_publicity(
    make_application: Any, unit_hr: Any, today: Any
) -> None:
    today("2024-09-27")
    app = make_application(State.UNIT_PUBLICITY)
    p = open_publicity(app, "unit", unit_hr)
    assert GUARDS["publicity_closed"](app, unit_hr) == (
        "单位公示期至2024年10月9日，尚未期满（2024年9月27日至2024年10月9日（5个工作日））。"
    )
    assert GUARDS["objections_resolved"](app, unit_hr) is None
    o = file_objection(p, name="李某", contact="li@example.com", text="未满年限", ip=None)
    assert "有1件异议尚未处理" in (GUARDS["objections_resolved"](app, unit_hr) or "")
    close_due_publicities(dt.date(2024, 10, 10))
    assert GUARDS["publicity_closed"](app, unit_hr) is None
    if "in_unit_jurisdiction" in GUARDS:  # the review chain's guard (reviews app)
        assert "异议尚未处理" in refused(app, "unit_recommend", unit_hr)
    resolve_objection(o, unit_hr, resolution="核实后异议不成立。", outcome="dismissed")
    assert GUARDS["objections_resolved"](app, unit_hr) is None
    if "in_unit_jurisdiction" in GUARDS:
        check(app, "unit_recommend", unit_hr)


def test_the_current_round_is_the_one_that_counts(
    make_application: Any, unit_hr: Any, today: Any
) -> None:
    today("2024-09-27")
    app = make_application(State.UNIT_PUBLICITY)
    first = open_publicity(app, "unit", unit_hr)
    file_objection(first, name="", contact="13912345678", text="旧异议", ip="10.2.2.2")
    close_due_publicities(dt.date(2024, 10, 10))
    today("2024-10-14")
    open_publicity(app, "unit", unit_hr)  # second round (after a return and resubmission)
    assert "2024年10月18日" in (GUARDS["publicity_closed"](app, unit_hr) or "")
    assert GUARDS["objections_resolved"](app, unit_hr) is None  # the old round is not current


def test_result_publicity_guards_the_city_office_approval(
    make_application: Any, committee_office: Any, demo_users: Any, today: Any, season: Any
) -> None:
    import copy

    params = copy.deepcopy(season.parameters)
    params["periods"]["result_publicity_workdays"] = {"value": 5, "clause": "五（二）"}
    season.parameters = params
    season.save()
    today("2024-11-04")
    app = make_application(State.RESULT_PUBLICITY)
    open_publicity(app, "result", committee_office)
    assert "结果公示期至2024年11月8日，尚未期满" in refused(
        app, "approve_result", demo_users["city_office"]
    )
    close_due_publicities(dt.date(2024, 11, 9))
    check(app, "approve_result", demo_users["city_office"])


def test_a_state_without_publicity_is_named(make_application: Any, unit_hr: Any) -> None:
    app = make_application(State.PRELIMINARY_REVIEW)
    assert "初审中" in (GUARDS["publicity_closed"](app, unit_hr) or "")
