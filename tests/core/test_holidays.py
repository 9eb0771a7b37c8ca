"""The State Council's annual arrangement entered by the office: parsed, checked complete,
published once (audited); a refused year changes nothing. And the built-in range is the one
the installed chinese-calendar covers."""

import datetime as dt

import chinese_calendar
import pytest

from tests.factories.calendar import EXAMPLE_FORM_2027, EXAMPLE_SOURCE_2027
from zhicheng.core.holidays import (
    CalendarRefused,
    check_complete,
    from_form,
    from_table,
    publish_year,
)
from zhicheng.core.models import AuditEvent, CalendarDay, CalendarYear
from zhicheng.core.operations import NotPermitted
from zhicheng.core.workdays import office_calendar
from zhicheng.policy import workdays
from zhicheng.policy.workdays import CalendarDataMissing

D = dt.date


def test_builtin_range_is_what_the_installed_chinese_calendar_covers():
    last = max(d.year for d in chinese_calendar.constants.holidays)
    assert last == workdays.BUILTIN_LAST_YEAR
    assert workdays.WorkdayCalendar().has_year(last)
    assert not workdays.WorkdayCalendar().has_year(last + 1)
    chinese_calendar.is_workday(D(last, 6, 1))  # really covered: does not raise


def test_the_example_2027_arrangement_is_complete():
    arrangement = from_form(2027, EXAMPLE_FORM_2027)
    assert check_complete(arrangement) == []
    assert len([d for d in arrangement.days if d.is_workday]) == 4


def test_a_missing_festival_a_weekday_make_up_day_and_a_wrong_year_are_named():
    fields = dict(EXAMPLE_FORM_2027)
    del fields["清明节-rest"]
    fields["春节-work"] = "2027-02-17"  # a Wednesday
    fields["国庆节-rest"] = "2028-10-01至2028-10-03"
    problems = check_complete(from_form(2027, fields))
    text = "\n".join(problems)
    assert "缺少清明节的放假日期（4月）" in text
    assert "2027年2月17日（星期三）本来就是工作日" in text
    assert "2028年10月1日（星期日）不在2027年内" in text
    assert "缺少国庆节" in text


def test_an_unreadable_date_is_named_with_its_festival():
    fields = {**EXAMPLE_FORM_2027, "端午节-rest": "六月九号"}
    problems = check_complete(from_form(2027, fields))
    assert any(p.startswith("端午节放假：“六月九号”不是日期") for p in problems)


def test_a_year_of_the_builtin_calendar_is_not_entered_again():
    problems = check_complete(from_form(workdays.BUILTIN_LAST_YEAR, {}))
    assert "系统内置日历" in problems[0]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_uploaded_table_reads_like_the_form(encoding):
    text = (
        "日期,安排,节日\n2027-01-01至2027-01-03,放假,元旦\n2027-02-06至2027-02-13,放假,春节\n"
        "2027-02-20,上班,春节\n2027-04-03至2027-04-05,放假,清明节\n"
        "2027-05-01至2027-05-05,放假,劳动节\n2027-04-25,上班,劳动节\n2027-06-09,放假,端午节\n"
        "2027-09-15,放假,中秋节\n2027-10-01至2027-10-07,放假,国庆节\n2027-09-26,上班,国庆节\n"
        "2027-10-09,上班,国庆节\n"
    )
    table = from_table(2027, text.encode(encoding))
    assert check_complete(table) == []
    assert {(d.date, d.is_workday) for d in table.days} == {
        (d.date, d.is_workday) for d in from_form(2027, EXAMPLE_FORM_2027).days
    }


def test_uploaded_workbook_with_a_combined_festival_and_a_bad_row():
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["日期", "安排", "节日"])
    for row in (("2027-01-01", "放假", "元旦"), ("2027-02-06至2027-02-13", "放假", "春节"),
                ("2027-04-05", "放假", "清明节"), ("2027-05-01", "放假", "劳动节"),
                ("2027-06-09", "放假", "端午节"),
                ("2027-10-01至2027-10-08", "放假", "国庆节、中秋节"),
                ("2027-10-09", "值班", "国庆节")):
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    problems = check_complete(from_table(2027, out.getvalue()))
    assert problems == ["第8行：安排“值班”应为“放假”或“上班”"]


@pytest.mark.django_db
def test_publishing_the_year_makes_2027_dates_work_and_is_audited(season, demo_users):
    with pytest.raises(CalendarDataMissing):
        office_calendar().add_workdays(D(2026, 12, 30), 3)
    entry = publish_year(demo_users["city_office"], from_form(2027, EXAMPLE_FORM_2027),
                         EXAMPLE_SOURCE_2027)
    assert entry.published and entry.source == EXAMPLE_SOURCE_2027
    calendar = office_calendar()
    assert calendar.add_workdays(D(2026, 12, 30), 3) == D(2027, 1, 5)  # 31st, 4th, 5th
    assert calendar.is_workday(D(2027, 2, 20)) and not calendar.is_workday(D(2027, 2, 8))
    event = AuditEvent.objects.get(action="calendar.year.publish")
    assert "发布2027年工作日历" in event.summary and event.data["days"]["2027-02-20"] is True


@pytest.mark.django_db
def test_an_incomplete_year_changes_nothing(season, demo_users):
    fields = {k: v for k, v in EXAMPLE_FORM_2027.items() if not k.startswith("国庆")}
    with pytest.raises(CalendarRefused) as refused:
        publish_year(demo_users["city_office"], from_form(2027, fields), EXAMPLE_SOURCE_2027)
    assert any("缺少国庆节" in p for p in refused.value.problems)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


@pytest.mark.django_db
def test_only_the_city_office_publishes_a_year(season, demo_users):
    with pytest.raises(NotPermitted):
        publish_year(demo_users["gongxin_committee"], from_form(2027, EXAMPLE_FORM_2027),
                     EXAMPLE_SOURCE_2027)
    assert not CalendarYear.objects.filter(year=2027).exists()
