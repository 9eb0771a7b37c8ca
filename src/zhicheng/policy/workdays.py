"""Working days on the official Chinese calendar (holidays and make-up working days, 调休).

The installed `chinese-calendar` supplies the years its data covers (read from the package,
so a newer release extends the range by itself); later years (or corrections) come from the
State Council's annual arrangement as the city office enters it, passed in as
`extra_days`/`extra_years`. A year with no data is an explicit error, never a silent guess.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Mapping

from chinese_calendar import constants as _calendar_data


def _builtin_years() -> tuple[int, int]:
    """First and last year the installed chinese-calendar has holiday data for."""
    days = [*_calendar_data.holidays, *_calendar_data.workdays]
    return min(d.year for d in days), max(d.year for d in days)


BUILTIN_FIRST_YEAR, BUILTIN_LAST_YEAR = _builtin_years()
# The package's own tables, read directly: `chinese_calendar.is_workday` validates the date
# against min() and max() of every holiday on each call, which made a worklist page count
# its rows' working days at ~1 ms a day (profiled). Same answer: a listed make-up working
# day works, a listed holiday rests, otherwise Monday to Friday work.
_BUILTIN_HOLIDAYS = frozenset(_calendar_data.holidays)
_BUILTIN_WORKDAYS = frozenset(_calendar_data.workdays)


class CalendarDataMissing(LookupError):
    """No official calendar data for a year: the office must enter that year's holidays."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年没有工作日历数据：请市职称办在“评审监督 › 工作日历”中录入国务院办公厅公布的"
            f"{year}年放假安排（No working-day data for {year}: the city office enters that "
            "year's State Council holiday arrangement under Supervision › Working-day calendar)."
        )


class WorkdayCalendar:
    """Answers whether a date is a working day.

    `extra_years` are years the office has published in full (weekdays work, weekends rest,
    except the listed `extra_days`). `extra_days` also correct built-in years.
    """

    def __init__(
        self,
        extra_days: Mapping[dt.date, bool] | None = None,
        extra_years: Iterable[int] = (),
    ) -> None:
        self.extra_days = dict(extra_days or {})
        self.extra_years = frozenset(extra_years)
        # Per year, the running count of working days (index d = days 1..d of the year), so a
        # count over any range is two lookups per year: worklists count up to 50 rows' days
        # left on every page, over ranges that can span years.
        self._running: dict[int, list[int]] = {}

    def has_year(self, year: int) -> bool:
        return BUILTIN_FIRST_YEAR <= year <= BUILTIN_LAST_YEAR or year in self.extra_years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.extra_days:
            return self.extra_days[day]
        if day.year in self.extra_years:
            return day.weekday() < 5
        if BUILTIN_FIRST_YEAR <= day.year <= BUILTIN_LAST_YEAR:
            if day in _BUILTIN_WORKDAYS:
                return True
            return day not in _BUILTIN_HOLIDAYS and day.weekday() < 5
        raise CalendarDataMissing(day.year)

    def add_workdays(self, start: dt.date, count: int) -> dt.date:
        """The date `count` working days after `start` (start itself not counted)."""
        if count < 0:
            raise ValueError("count must be >= 0")
        # Through the running counts of each year (a bisection), as `count_workdays`: a
        # worklist page adds a review time limit to each of its 50 rows' receipt dates.
        year, before = start.year, (start - dt.date(start.year, 1, 1)).days + 1
        remaining = count
        while remaining:
            if not self.has_year(year):  # only single corrected days, if any: day by day
                return self._add_day_by_day(dt.date(year, 1, 1) + dt.timedelta(days=before - 1),
                                            remaining)
            running = self._running_count(year)
            target = running[before] + remaining
            if target <= running[-1]:
                # running[k] counts the working days among the year's first k days: the
                # first k reaching the target is the day that completes the count.
                k = bisect_left(running, target, before + 1)
                return dt.date(year, 1, 1) + dt.timedelta(days=k - 1)
            remaining = target - running[-1]
            year, before = year + 1, 0
        return start

    def _add_day_by_day(self, day: dt.date, remaining: int) -> dt.date:
        while remaining:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def _running_count(self, year: int) -> list[int]:
        running = self._running.get(year)
        if running is None:
            first = dt.date(year, 1, 1)
            days = (dt.date(year + 1, 1, 1) - first).days
            running = [0] * (days + 1)
            for i in range(days):
                running[i + 1] = running[i] + self.is_workday(first + dt.timedelta(days=i))
            self._running[year] = running
        return running

    def count_workdays(self, first: dt.date, last: dt.date) -> int:
        """Working days in the closed range [first, last] (0 when last is before first).
        A year without calendar data raises CalendarDataMissing, as `is_workday` does."""
        total = 0
        for year in range(first.year, last.year + 1):
            if not self.has_year(year):  # only single corrected days, if any: day by day
                day, stop = max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31))
                while day <= stop:
                    total += self.is_workday(day)
                    day += dt.timedelta(days=1)
                continue
            running = self._running_count(year)
            start = (first - dt.date(year, 1, 1)).days if year == first.year else 0
            end = (last - dt.date(year, 1, 1)).days + 1 if year == last.year else len(running) - 1
            if end > start:
                total += running[end] - running[start]
        return total

    def period_end(self, first_day: dt.date, workdays: int) -> dt.date:
        """Last day of a period holding `workdays` working days that starts on `first_day`.

        The first day counts when it is a working day (a publicity posted on a working day
        runs from that day); otherwise counting starts on the next working day.
        """
        if workdays < 1:
            raise ValueError("a period holds at least one working day")
        day = first_day
        counted = 1 if self.is_workday(day) else 0
        while counted < workdays:
            day += dt.timedelta(days=1)
            counted += self.is_workday(day)
        return day


DEFAULT_CALENDAR = WorkdayCalendar()
