"""Opening a publicity: the period on the official calendar, from the season parameter."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from zhicheng.applications.states import State
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import SYSTEM, NotPermitted, StateConflict
from zhicheng.publicity.models import Kind, Publicity
from zhicheng.publicity.operations import (
    CalendarMissing,
    PublicityError,
    close_due_publicities,
    open_publicity,
)

pytestmark = pytest.mark.django_db


def test_posted_friday_before_national_day_ends_2024_10_09(
    make_application: Any, unit_hr: Any, today: Any
) -> None:
    today("2024-09-27")
    app = make_application()
    p = open_publicity(app, "unit", unit_hr)
    assert (p.first_day, p.last_day) == (dt.date(2024, 9, 27), dt.date(2024, 10, 9))
    assert p.required_workdays == 5
    assert p.date_range_full == "2024年9月27日至2024年10月9日（5个工作日）"
    assert (p.clause, p.parameter) == ("四（二）", "unit_publicity_workdays")
    assert p.organisation == app.employer and p.round == 1 and p.opened_by == unit_hr
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.action == "publicity.open"
    assert event.data["last_day"] == "2024-10-09" and "2024年10月9日" in event.summary


def test_posted_on_a_holiday_counts_from_the_next_working_day(
    make_application: Any, committee_office: Any, today: Any
) -> None:
    today("2026-09-25")  # 中秋节 2026: a holiday, not counted
    app = make_application(State.PRE_EVALUATION_PUBLICITY)
    p = open_publicity(app, Kind.PRE_EVALUATION, committee_office)
    assert (p.first_day, p.last_day) == (dt.date(2026, 9, 25), dt.date(2026, 10, 9))
    assert p.clause == "四（四）"
    assert p.organisation == app.plan.office


def test_first_day_defaults_to_today_and_may_be_later_but_not_earlier(
    make_application: Any, unit_hr: Any, today: Any
) -> None:
    today("2024-09-26")
    app = make_application()
    with pytest.raises(PublicityError, match="不能早于今天"):
        open_publicity(app, "unit", unit_hr, first_day=dt.date(2024, 9, 25))
    p = open_publicity(app, "unit", unit_hr, first_day=dt.date(2024, 9, 27))
    assert p.last_day == dt.date(2024, 10, 9)


def test_the_number_of_working_days_and_its_clause_come_from_the_season(
    make_application: Any, unit_hr: Any, today: Any, season: Any
) -> None:
    today("2024-09-27")
    params = copy.deepcopy(season.parameters)
    params["periods"]["unit_publicity_workdays"] = {"value": 7, "clause": "四（二）", "text": "x"}
    season.parameters = params
    season.save()
    p = open_publicity(make_application(), "unit", unit_hr)
    # 9-27, 9-29 (调休 Sunday), 9-30, then the holiday, 10-8, 10-9, 10-10, 10-11
    assert p.required_workdays == 7
    assert p.last_day == dt.date(2024, 10, 11)


def test_a_missing_season_parameter_is_an_explicit_error(
    make_application: Any, committee_office: Any, today: Any, season: Any
) -> None:
    today("2024-11-04")
    app = make_application(State.RESULT_PUBLICITY)
    loaded = copy.deepcopy(season.parameters)
    del loaded["periods"]["result_publicity_workdays"]  # an office's season file without it
    season.parameters = loaded
    season.save()
    app.season.refresh_from_db()
    with pytest.raises(PublicityError, match="periods.result_publicity_workdays"):
        open_publicity(app, "result", committee_office)
    params = copy.deepcopy(season.parameters)
    params["periods"]["result_publicity_workdays"] = {"value": 5, "clause": "五（二）"}
    season.parameters = params
    season.save()
    app.season.refresh_from_db()
    p = open_publicity(app, "result", committee_office)
    assert (p.last_day, p.clause) == (dt.date(2024, 11, 8), "五（二）")


def test_a_year_without_calendar_data_is_an_explicit_error(
    make_application: Any, unit_hr: Any, today: Any
) -> None:
    today("2027-03-01")
    app = make_application()
    with pytest.raises(CalendarMissing, match="2027年没有工作日历数据"):
        open_publicity(app, "unit", unit_hr)
    assert not Publicity.objects.filter(application=app).exists()


def test_only_the_posting_organisation_or_the_system_opens_it(
    make_application: Any, unit_hr: Any, other_unit_hr: Any, committee_office: Any,
    today: Any,
) -> None:
    today("2024-09-27")
    app = make_application()
    for actor in (other_unit_hr, committee_office, app.applicant):
        with pytest.raises(NotPermitted):
            open_publicity(app, "unit", actor)
    pre = make_application(State.PRE_EVALUATION_PUBLICITY)
    with pytest.raises(NotPermitted):
        open_publicity(pre, "pre_evaluation", unit_hr)
    assert open_publicity(app, "unit", SYSTEM).opened_by is None


def test_state_must_match_the_kind_and_one_runs_at_a_time(
    make_application: Any, unit_hr: Any, today: Any
) -> None:
    today("2024-09-27")
    app = make_application(State.UNIT_REVIEW)
    with pytest.raises(StateConflict, match="单位审核中"):
        open_publicity(app, "unit", unit_hr)
    app = make_application()
    first = open_publicity(app, "unit", unit_hr)
    with pytest.raises(StateConflict, match="正在进行"):
        open_publicity(app, "unit", unit_hr)
    close_due_publicities(dt.date(2024, 10, 10))
    today("2024-10-14")
    second = open_publicity(app, "unit", unit_hr)
    assert (first.round, second.round) == (1, 2)
