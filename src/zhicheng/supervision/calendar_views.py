"""The city office enters a year's working-day calendar (the State Council's holiday
arrangement) for a year the installed chinese-calendar does not cover: a short form per
festival, or an uploaded table. The year is checked complete before it is published."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhicheng.core import clock
from zhicheng.core.holidays import (
    FESTIVAL_NAMES,
    CalendarRefused,
    covered_years,
    from_form,
    from_table,
    publish_year,
)
from zhicheng.core.models import CalendarYear
from zhicheng.core.operations import OperationError
from zhicheng.core.tabular import TableRefused
from zhicheng.core.workdays import office_calendar
from zhicheng.policy.workdays import BUILTIN_FIRST_YEAR, BUILTIN_LAST_YEAR

from .access import city_office_required
from .queries import calendar_warning


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    today = clock.today()
    office_years = list(CalendarYear.objects.filter(published=True).order_by("year"))
    years = covered_years(y.year for y in office_years)
    next_missing = next(
        (y for y in range(today.year, today.year + 3) if y not in {y for y, _s in years}), None
    )
    posted = request.POST if request.method == "POST" else {}
    return {
        "today": today, "builtin_first": BUILTIN_FIRST_YEAR, "builtin_last": BUILTIN_LAST_YEAR,
        "office_years": office_years, "warning": calendar_warning(office_calendar(), today),
        "festivals": [(name, posted.get(f"{name}-rest", ""), posted.get(f"{name}-work", ""))
                      for name in FESTIVAL_NAMES],
        "year": posted.get("year", next_missing or ""), "source": posted.get("source", ""),
        **extra,
    }


def _year(raw: str) -> int | None:
    return int(raw) if raw.strip().isdigit() and 1900 < int(raw) < 2200 else None


@city_office_required
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponseBase:
    if request.method == "GET":
        return render(request, "supervision/calendar.html", _context(request))
    year = _year(request.POST.get("year", ""))
    if year is None:
        return render(request, "supervision/calendar.html", _context(
            request, problems=[_("请填写要录入的年份（如2027）。")]), status=400)
    try:
        if request.POST.get("mode") == "upload":
            upload = request.FILES.get("file")
            if upload is None:
                raise TableRefused(_("请选择要上传的放假安排表。"))
            arrangement = from_table(year, upload.read())
        else:
            arrangement = from_form(year, {k: str(v) for k, v in request.POST.items()})
        entry = publish_year(request.user, arrangement, request.POST.get("source", ""))
    except CalendarRefused as refused:
        return render(request, "supervision/calendar.html", _context(
            request, problems=refused.problems), status=400)
    except (TableRefused, OperationError) as refused:
        return render(request, "supervision/calendar.html", _context(
            request, problems=[str(refused)]), status=400)
    messages.success(request, _("已发布%(year)s年工作日历（%(source)s）。")
                     % {"year": entry.year, "source": entry.source})
    return redirect("supervision:calendar")


