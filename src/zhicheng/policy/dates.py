"""Date arithmetic for seniority (资历).

Periods follow the Civil Code (民法典 第二百零一条、第二百零二条): a period counted from an event
starts the next day, and a period of months or years ends on the corresponding day of the last
month, or on that month's last day when it has no corresponding day. So a title obtained on
2018-12-31 has completed exactly 5 years on 2023-12-31, and one obtained on 2020-02-29 completes
1 year on 2021-02-28.

A span is `(anchor, end)`: it covers the days after `anchor` up to and including `end`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

Span = tuple[dt.date, dt.date]
ONE_DAY = dt.timedelta(days=1)
# Days per month of a common year (index 1-12); February gains a day in leap years.
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def cn_date(day: dt.date) -> str:
    """2024年9月27日: the one way dates are written in Chinese text (notices, messages, decisions),
    whatever the request's language."""
    return f"{day.year}年{day.month}月{day.day}日"


def _month_length(year: int, month: int) -> int:
    """calendar.monthrange(year, month)[1] (proleptic Gregorian), without the weekday work."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month]


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day `months` later, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return dt.date(year, month, min(day.day, _month_length(year, month)))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def full_months(anchor: dt.date, end: dt.date) -> int:
    """Whole months completed from the day after `anchor` to `end` inclusive (0 if none)."""
    if end <= anchor:
        return 0
    months = (end.year - anchor.year) * 12 + end.month - anchor.month
    day = end.day
    # end.day < min(anchor.day, month length) only when end is not its month's last day.
    if day < anchor.day and day < _month_length(end.year, end.month):
        months -= 1
    return max(months, 0)


def year_span(year: int) -> Span:
    """Calendar year `year` as a span: after Dec 31 of the previous year, through Dec 31."""
    return (dt.date(year - 1, 12, 31), dt.date(year, 12, 31))


def intersect(a: Span, b: Span) -> Span | None:
    start = max(a[0], b[0])
    end = min(a[1], b[1])
    return (start, end) if start < end else None


def subtract(spans: Iterable[Span], holes: Iterable[Span]) -> list[Span]:
    """Spans minus holes (both as (anchor, end] spans)."""
    out = list(spans)
    for hole in holes:
        next_out: list[Span] = []
        for start, end in out:
            if hole[1] <= start or hole[0] >= end:
                next_out.append((start, end))
                continue
            if hole[0] > start:
                next_out.append((start, hole[0]))
            if hole[1] < end:
                next_out.append((hole[1], end))
        out = next_out
    return out


def merge(spans: Iterable[Span]) -> list[Span]:
    ordered = sorted(s for s in spans if s[0] < s[1])
    out: list[Span] = []
    for start, end in ordered:
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def months_in(spans: Iterable[Span]) -> int:
    total = 0
    for a, b in spans:
        total += full_months(a, b)
    return total


def format_months(months: int) -> str:
    years, rest = divmod(months, 12)
    if years and rest:
        return f"{years}年{rest}个月"
    if years:
        return f"{years}年"
    return f"{rest}个月"
