import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhicheng.core.models import CalendarDay, CalendarYear
from zhicheng.core.workdays import office_calendar
from zhicheng.policy.workdays import CalendarDataMissing, WorkdayCalendar

D = dt.date
cal = WorkdayCalendar()


def test_publicity_posted_before_national_day_2024_runs_over_the_make_up_sunday():
    # 27th (Fri), 29th (make-up Sunday), 30th, then 8th and 9th October.
    assert cal.period_end(D(2024, 9, 27), 5) == D(2024, 10, 9)
    assert cal.count_workdays(D(2024, 9, 27), D(2024, 10, 9)) == 5


def test_publicity_posted_on_a_holiday_starts_counting_on_the_next_working_day():
    assert not cal.is_workday(D(2026, 9, 25))  # Mid-Autumn Festival 2026
    assert cal.period_end(D(2026, 9, 25), 5) == D(2026, 10, 9)


def test_first_day_counts_when_it_is_a_working_day():
    assert cal.period_end(D(2024, 6, 3), 1) == D(2024, 6, 3)
    assert cal.period_end(D(2024, 6, 3), 5) == D(2024, 6, 7)


def test_add_workdays_skips_weekends_and_holidays():
    assert cal.add_workdays(D(2024, 6, 7), 1) == D(2024, 6, 11)  # 10th is Dragon Boat Festival
    assert cal.add_workdays(D(2024, 6, 7), 0) == D(2024, 6, 7)


def test_year_without_data_names_the_year_and_how_to_add_it():
    with pytest.raises(CalendarDataMissing) as info:
        cal.is_workday(D(2027, 1, 4))
    assert info.value.year == 2027
    assert "2027" in str(info.value) and "工作日历" in str(info.value)


def test_office_table_supplies_a_later_year_and_its_make_up_days(db):
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕X号", published=True)
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    CalendarDay.objects.create(date=D(2027, 2, 6), is_workday=True, name="春节调休上班")
    office = office_calendar()
    assert not office.is_workday(D(2027, 1, 1))  # a Friday, made a holiday
    assert office.is_workday(D(2027, 2, 6))  # a Saturday, made a working day
    assert office.is_workday(D(2027, 1, 4))
    assert office.period_end(D(2026, 12, 31), 3) == D(2027, 1, 5)


def test_the_office_table_is_read_as_the_orm_reads_it(db, django_assert_num_queries):
    from zhicheng.core.workdays import _table

    CalendarYear.objects.create(year=2028, source="草稿", published=False)
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕X号", published=True)
    CalendarDay.objects.create(date=D(2027, 2, 6), is_workday=True, name="春节调休上班")
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    with django_assert_num_queries(1):  # both tables in one query
        table = _table()
    assert table == (
        tuple(CalendarYear.objects.filter(published=True).values_list("year", flat=True)),
        tuple(CalendarDay.objects.values_list("date", "is_workday")),
    ) == ((2027,), ((D(2027, 1, 1), False), (D(2027, 2, 6), True)))


def test_unpublished_office_year_is_still_missing(db):
    CalendarYear.objects.create(year=2028, source="草稿", published=False)
    with pytest.raises(CalendarDataMissing):
        office_calendar().is_workday(D(2028, 3, 1))


def test_every_built_in_day_is_answered_as_the_official_calendar_package_answers():
    """The calendar reads chinese-calendar's tables directly (its own lookup re-validated the
    date against every holiday on each call); every day it covers gets the same answer."""
    import chinese_calendar

    from zhicheng.policy.workdays import BUILTIN_FIRST_YEAR, BUILTIN_LAST_YEAR

    day, differ = D(BUILTIN_FIRST_YEAR, 1, 1), []
    while day.year <= BUILTIN_LAST_YEAR:
        if cal.is_workday(day) != chinese_calendar.is_workday(day):
            differ.append(day)
        day += dt.timedelta(days=1)
    assert differ == []


@given(first=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31)),
       span=st.integers(min_value=-3, max_value=1200))
def test_counting_a_range_agrees_with_counting_day_by_day(first: dt.date, span: int) -> None:
    """The worklist's days-left counts use running totals per year; they must give what
    counting each day gives, across year ends and with an office's corrected day."""
    calendar = WorkdayCalendar(extra_days={dt.date(2024, 10, 12): False})
    last = min(first + dt.timedelta(days=span), dt.date(2026, 12, 31))
    by_day, day = 0, first
    while day <= last:
        by_day += calendar.is_workday(day)
        day += dt.timedelta(days=1)
    assert calendar.count_workdays(first, last) == by_day


@given(start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31)),
       count=st.integers(min_value=0, max_value=400))
def test_adding_working_days_agrees_with_stepping_day_by_day(start: dt.date, count: int) -> None:
    """A review due date (received + N working days) found through the running totals is the
    day a day-by-day walk reaches, across year ends, with an office's corrected day, and a
    walk past the calendar's last year refuses naming that year either way."""
    calendar = WorkdayCalendar(extra_days={dt.date(2024, 10, 12): False})
    day, remaining = start, count
    try:
        while remaining:
            day += dt.timedelta(days=1)
            remaining -= calendar.is_workday(day)
    except CalendarDataMissing as missing:
        with pytest.raises(CalendarDataMissing) as refused:
            calendar.add_workdays(start, count)
        assert refused.value.year == missing.year
    else:
        assert calendar.add_workdays(start, count) == day
