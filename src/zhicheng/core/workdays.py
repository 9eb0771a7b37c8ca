"""The working-day calendar with the office's table applied (Django side of policy.workdays)."""

from __future__ import annotations

import datetime as dt

from zhicheng.policy.workdays import WorkdayCalendar

from .models import CalendarDay, CalendarYear

# The last calendar built, with the table it was built from. The table is read on every call
# (two small queries), so an office's edit applies at once in every process; only while it is
# unchanged is the same calendar reused, with the running counts of working days it has
# memoised (building a year's takes ~1 ms: a worklist page spanning three years paid it on
# every request).
_LAST: tuple[tuple[tuple[int, ...], tuple[tuple[dt.date, bool], ...]], WorkdayCalendar] | None
_LAST = None


def office_calendar() -> WorkdayCalendar:
    """Two small queries; callers doing many date sums should keep the returned object."""
    global _LAST
    years = tuple(CalendarYear.objects.filter(published=True).order_by("year")
                  .values_list("year", flat=True))
    days = tuple(CalendarDay.objects.order_by("date").values_list("date", "is_workday"))
    key = (years, days)
    last = _LAST
    if last is not None and last[0] == key:
        return last[1]
    calendar = WorkdayCalendar(extra_days=dict(days), extra_years=years)
    _LAST = (key, calendar)  # one assignment: a thread reads the old pair or the new
    return calendar
