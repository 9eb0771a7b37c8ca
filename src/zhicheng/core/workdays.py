"""The working-day calendar with the office's table applied (Django side of policy.workdays)."""

from __future__ import annotations

import datetime as dt

from django.db import connections, router

from zhicheng.policy.workdays import WorkdayCalendar

from .models import CalendarDay, CalendarYear

# The last calendar built, with the table it was built from. The table is read on every call
# (one small query), so an office's edit applies at once in every process; only while it is
# unchanged is the same calendar reused, with the running counts of working days it has
# memoised (building a year's takes ~1 ms: a worklist page spanning three years paid it on
# every request).
_LAST: tuple[tuple[tuple[int, ...], tuple[tuple[dt.date, bool], ...]], WorkdayCalendar] | None
_LAST = None


def _table() -> tuple[tuple[int, ...], tuple[tuple[dt.date, bool], ...]]:
    """The published years and the adjusted days, in plain SQL: building and compiling the two
    one-table ORM queries cost ~0.8 ms of CPU on every page that counts working days (the
    worklist: docs/performance.md, "Page budgets"). One query for both tables (one round trip
    instead of two): a day's row has its date, a year's row its year. Both backends give dates
    and booleans (SQLite through Django's converters of the declared column types, which a
    compound query takes from its first SELECT: the days')."""
    db = connections[router.db_for_read(CalendarDay)]
    qn = db.ops.quote_name
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn('date')}, {qn('is_workday')}, NULL "
            f"FROM {qn(CalendarDay._meta.db_table)} UNION ALL "
            f"SELECT NULL, NULL, {qn('year')} FROM {qn(CalendarYear._meta.db_table)} "
            f"WHERE {qn('published')}")
        found = cursor.fetchall()
    years = tuple(sorted(int(y) for d, _w, y in found if d is None))
    days = tuple(sorted((d, bool(w)) for d, w, _y in found if d is not None))
    return years, days


def office_calendar() -> WorkdayCalendar:
    """One small query; callers doing many date sums should keep the returned object."""
    global _LAST
    key = years, days = _table()
    last = _LAST
    if last is not None and last[0] == key:
        return last[1]
    calendar = WorkdayCalendar(extra_days=dict(days), extra_years=years)
    _LAST = (key, calendar)  # one assignment: a thread reads the old pair or the new
    return calendar
