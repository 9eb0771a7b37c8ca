"""Civil-code period arithmetic behind seniority (民法典 第201、202条)."""

import datetime as dt

from zhicheng.policy.dates import add_months, full_months, months_in, subtract, year_span

D = dt.date


def test_exactly_five_years_on_the_corresponding_day():
    assert full_months(D(2018, 12, 31), D(2023, 12, 31)) == 60
    assert full_months(D(2019, 1, 1), D(2023, 12, 31)) == 59


def test_leap_day_anchor_completes_a_year_on_28_february():
    assert add_months(D(2020, 2, 29), 12) == D(2021, 2, 28)
    assert full_months(D(2020, 2, 29), D(2021, 2, 28)) == 12
    assert full_months(D(2020, 2, 29), D(2021, 2, 27)) == 11
    # In a leap target year the corresponding day exists.
    assert full_months(D(2020, 2, 29), D(2024, 2, 28)) == 47
    assert full_months(D(2020, 2, 29), D(2024, 2, 29)) == 48


def test_month_end_anchor_without_corresponding_day():
    assert full_months(D(2023, 1, 31), D(2023, 2, 28)) == 1
    assert full_months(D(2023, 1, 31), D(2023, 3, 30)) == 1
    assert full_months(D(2023, 1, 31), D(2023, 3, 31)) == 2


def test_nothing_counted_before_the_anchor():
    assert full_months(D(2024, 1, 1), D(2023, 12, 31)) == 0


def test_an_excluded_calendar_year_removes_twelve_months():
    spans = [(D(2017, 12, 31), D(2023, 12, 31))]
    assert months_in(spans) == 72
    assert months_in(subtract(spans, [year_span(2020)])) == 60
