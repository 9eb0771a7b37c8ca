"""The opening report: ≥ 10 calendar days before the meeting (五（二）“召开前10日”, season
parameter), meetings within the season year and by its evaluation deadline, the city office
approves or returns with reasons, no meeting opens without an approved report."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from zhicheng.core.operations import NotPermitted, StateConflict
from zhicheng.evaluation import operations as ops
from zhicheng.evaluation.models import MeetingState

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("meeting", "today", "ok"),
    [
        ("2024-10-25", "2024-10-15", True),   # exactly 10 days before
        ("2024-10-25", "2024-10-16", False),  # 9 days before
        ("2024-11-01", "2024-10-22", True),   # across a month end
        ("2024-11-01", "2024-10-23", False),
        ("2024-03-10", "2024-02-29", True),   # leap day
        ("2024-03-10", "2024-03-01", False),
        ("2024-10-08", "2024-09-28", True),   # across the National Day holiday (calendar days)
        ("2024-11-30", "2024-11-20", True),   # the deadline itself
    ],
)
def test_ten_calendar_days_before(world, meeting, today, ok) -> None:
    world.today("2024-01-02")
    world.application()
    m = world.meeting(date=dt.date.fromisoformat(meeting))
    world.today(today)
    if ok:
        ops.submit_opening_report(m, world.office)
        m.refresh_from_db()
        assert m.state == MeetingState.SUBMITTED and m.report_submitted_on.isoformat() == today
    else:
        with pytest.raises(ops.EvaluationError) as exc:
            ops.submit_opening_report(m, world.office)
        d = dt.date.fromisoformat(meeting)
        due = d - dt.timedelta(days=10)
        assert f"会议日期{d.year}年{d.month}月{d.day}日" in str(exc.value)
        assert f"最迟报送日期{due.year}年{due.month}月{due.day}日" in str(exc.value)


def test_the_number_of_days_is_the_season_parameter(world) -> None:
    params = copy.deepcopy(world.season.parameters)
    params["periods"]["opening_report_days_before_meeting"]["value"] = 14
    world.season.parameters = params
    world.season.save()
    world.application()
    m = world.meeting(date=dt.date(2024, 10, 25))
    world.today("2024-10-12")
    with pytest.raises(ops.EvaluationError, match="召开前14日"):
        ops.submit_opening_report(m, world.office)
    world.today("2024-10-11")
    ops.submit_opening_report(m, world.office)


def test_meetings_in_the_season_year_and_by_the_deadline(world) -> None:
    with pytest.raises(ops.EvaluationError, match="2024年11月30日前完成"):
        world.meeting(date=dt.date(2024, 12, 1))
    with pytest.raises(ops.EvaluationError, match="2024年度内"):
        world.meeting(date=dt.date(2025, 1, 10))


def test_roster_is_the_ready_applications_of_the_committee_plans(world) -> None:
    a = world.application("甲")
    b = world.application("乙")
    c = world.application("丙")
    c.state = "committee_recheck"  # not ready: test setup only
    c.save()
    m = world.meeting()
    ops.submit_opening_report(m, world.office)
    m.refresh_from_db()
    assert [r["application"] for r in m.roster] == [a.pk, b.pk]
    assert m.cases.count() == 2


def test_city_office_approves_or_returns_with_reasons(world) -> None:
    world.application()
    m = world.meeting()
    with pytest.raises(NotPermitted):
        ops.submit_opening_report(m, world.city)
    ops.submit_opening_report(m, world.office)
    with pytest.raises(NotPermitted):
        ops.decide_opening_report(m, world.office, approve=True)
    with pytest.raises(ops.EvaluationError, match="理由"):
        ops.decide_opening_report(m, world.city, approve=False)
    ops.decide_opening_report(m, world.city, approve=False, reasons="通过率设置过高")
    m.refresh_from_db()
    assert m.state == MeetingState.RETURNED and m.report_reasons == "通过率设置过高"
    ops.submit_opening_report(m, world.office)
    ops.decide_opening_report(m, world.city, approve=True)
    m.refresh_from_db()
    assert m.state == MeetingState.APPROVED


def test_no_meeting_without_an_approved_report(world) -> None:
    world.application()
    m = world.meeting()
    with pytest.raises(StateConflict, match="尚未经市职称办批准"):
        ops.open_meeting(m, world.office)
    ops.submit_opening_report(m, world.office)
    with pytest.raises(StateConflict, match="尚未经市职称办批准"):
        ops.open_meeting(m, world.office)
    with pytest.raises(StateConflict):
        ops.commit_draw(m, world.office)
