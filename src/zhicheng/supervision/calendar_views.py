"""The city office enters a year's working-day calendar (the State Council's holiday
arrangement) for a year the installed chinese-calendar does not cover: a short form per
festival, or an uploaded table (a template workbook is offered). Either is first shown as a
preview — every holiday and make-up working day, and the completeness check — and the year
is saved only when the office confirms the preview."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhicheng.core import clock
from zhicheng.core.holidays import (
    FESTIVAL_NAMES,
    Arrangement,
    CalendarRefused,
    check_complete,
    covered_years,
    from_form,
    from_lines,
    from_table,
    preview,
    publish_year,
    template_workbook,
    to_lines,
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
    text = raw.strip()
    # isdigit() alone accepts '²', which int() refuses (a 500 on ?year=²)
    return int(text) if text.isascii() and text.isdigit() and 1900 < int(text) < 2200 else None


@city_office_required
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponseBase:
    if request.method == "GET":
        return render(request, "supervision/calendar.html", _context(request))
    year = _year(request.POST.get("year", ""))
    if year is None:
        return render(request, "supervision/calendar.html", _context(
            request, problems=[_("请填写要录入的年份（如2027）。")]), status=400)
    source = request.POST.get("source", "")
    mode = request.POST.get("mode")
    try:
        if mode == "confirm":
            entry = publish_year(request.user, from_lines(year, request.POST.get("days", "")),
                                 source)
            messages.success(request, _("已发布%(year)s年工作日历（%(source)s）。")
                             % {"year": entry.year, "source": entry.source})
            return redirect("supervision:calendar")
        if mode == "upload":
            upload = request.FILES.get("file")
            if upload is None:
                raise TableRefused(_("请选择要上传的放假安排表。"))
            arrangement = from_table(year, upload.read())
        else:
            arrangement = from_form(year, {k: str(v) for k, v in request.POST.items()})
    except CalendarRefused as refused:
        return render(request, "supervision/calendar.html", _context(
            request, problems=refused.problems), status=400)
    except (TableRefused, OperationError) as refused:
        return render(request, "supervision/calendar.html", _context(
            request, problems=[str(refused)]), status=400)
    return _preview(request, arrangement, source)


def _preview(request: HttpRequest, arrangement: Arrangement, source: str) -> HttpResponse:
    """The year as it will be saved, with the completeness check; nothing is saved yet."""
    problems = check_complete(arrangement)
    if not source.strip():
        problems.insert(0, _("请填写依据（国务院办公厅放假安排通知的文号）"))
    days = preview(arrangement)
    return render(request, "supervision/calendar.html", _context(
        request, problems=problems, preview=days, preview_year=arrangement.year,
        preview_lines=to_lines(arrangement), preview_source=source.strip(),
        rest_count=sum(not d.is_workday for d in days),
        work_count=sum(d.is_workday for d in days),
    ), status=400 if problems else 200)


@city_office_required
@require_http_methods(["GET"])
def calendar_template(request: HttpRequest) -> HttpResponse:
    """The template workbook of a year's holiday arrangement (日期, 安排, 节日)."""
    year = _year(request.GET.get("year", "")) or clock.today().year + 1
    response = HttpResponse(
        template_workbook(year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = quote(f"{year}年放假安排模板.xlsx")
    response["Content-Disposition"] = (
        f"attachment; filename=\"holidays-{year}.xlsx\"; filename*=UTF-8''{name}")
    return response
