"""The working-day calendar with the office's table applied (Django side of policy.workdays)."""

from zhicheng.policy.workdays import WorkdayCalendar

from .models import CalendarDay, CalendarYear


def office_calendar() -> WorkdayCalendar:
    """Two small queries; callers doing many date sums should keep the returned object."""
    years = CalendarYear.objects.filter(published=True).values_list("year", flat=True)
    days = dict(CalendarDay.objects.values_list("date", "is_workday"))
    return WorkdayCalendar(extra_days=days, extra_years=list(years))
