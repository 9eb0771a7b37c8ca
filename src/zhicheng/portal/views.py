"""Public portal (no login): home, the plan table, the notice with clause anchors, notices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from zhicheng.core import clock

from . import plancache, queries
from .forms import PlanFilterForm
from .notice import attachment_parts, render_notice
from .queries import PlanFilters

# Labels of Season.key_dates(), marked for the English catalogue; translated per request.
KEY_DATE_LABELS = (
    gettext_noop("资历（任职年限）计算截止"),
    gettext_noop("业绩成果、论文、学历截止"),
    gettext_noop("评委会年度通知报市职称办会签"),
    gettext_noop("中初级职称评审完成期限"),
)

FIELD_LABELS = {
    "row": gettext_lazy("序号"),
    "specialty": gettext_lazy("专业名称"),
    "office": gettext_lazy("评委会办事机构"),
    "phone": gettext_lazy("联系电话"),
    "address": gettext_lazy("材料报送地址"),
    "acceptance": gettext_lazy("受理时间"),
    "evaluation": gettext_lazy("计划评审时间"),
    "remarks": gettext_lazy("备注"),
}


def home(request: HttpRequest) -> HttpResponse:
    season = queries.current_season()
    today = clock.today()
    context: dict[str, Any] = {"season": season, "today": today}
    if season is not None:
        context.update(
            key_dates=[
                {
                    "label": _(label),
                    "date": date,
                    "clause": clause,
                    "days": (date - today).days,
                }
                for label, date, clause in season.key_dates()
            ],
            open_plans=list(queries.open_plans(season, today)),
            upcoming=[
                (dt.date(season.year, month, 1), plans)
                for month, plans in queries.upcoming_plans(season, today)
            ],
            season_over=today > season.evaluation_deadline,
            initial_months=_("和").join(
                date_format(dt.date(season.year, int(m), 1), "YEAR_MONTH_FORMAT")
                for m in season.initial_determination_months
            ),
            notice=queries.season_notice(season),
        )
    return render(request, "portal/home.html", context)


def plan_table(request: HttpRequest) -> HttpResponse:
    season = queries.current_season()
    if season is None:
        return render(request, "portal/no_season.html", status=404)
    form = PlanFilterForm(
        request.GET,
        offices=queries.office_names(season),
        series=list(queries.series_choices(season)),
    )
    filters = form.filters()
    today = clock.today()
    # The table itself is rendered once per season, language, day and query (plancache).
    key = plancache.results_key(season, request.GET, today, cacheable=not form.ignored)
    results = plancache.cached(key)
    if results is None:
        plans = list(queries.plans(season, filters))
        gaps = queries.missing_ranges(queries.plan_rows(season))
        results = render_to_string("portal/_plan_results.html", {
            "form": form, "filters": filters, "rows": _with_gaps(plans, gaps, filters),
            "count": len(plans), "gaps": gaps,
            "open_rows": {p.row for p in plans if p.is_open_on(today)},
            "field_labels": FIELD_LABELS,  # the phone layout's card labels (data-label)
        }, request=request)
        plancache.store(key, results)
    results = mark_safe(results)  # our own template's output, escaped when it was rendered
    # The data warnings follow the filter: only the rows the table shows (a subquery).
    shown = queries.plans(season, filters).values("row") if filters.active else None
    warnings = {
        "warnings": queries.data_warnings(season, rows=shown),
        "warnings_filtered": shown is not None,
        "field_labels": FIELD_LABELS,
    }
    htmx = getattr(request, "htmx", None)
    if bool(htmx) and not htmx.history_restore_request:  # type: ignore[union-attr]
        # The table is swapped in place; the warnings follow out of band.
        response = HttpResponse(results + render_to_string(
            "portal/_plan_warnings.html", {**warnings, "oob": True}, request=request))
    else:
        response = render(request, "portal/plan_table.html", {
            "season": season,
            "form": form,
            "results": results,
            "today": today,
            **warnings,
        })
    patch_vary_headers(response, ("HX-Request",))
    return response


def _with_gaps(
    plans: list[Any], gaps: list[tuple[int, int]], filters: PlanFilters
) -> list[dict[str, Any]]:
    """Table rows in order; the missing rows appear as a gap row where they belong
    (only in the unfiltered table sorted by row, where their position means something)."""
    out: list[dict[str, Any]] = []
    pending = list(gaps) if filters.sort == "row" and not filters.active else []
    for plan in plans:
        while pending and plan.row > pending[0][1]:
            out.append({"gap": pending.pop(0)})
        out.append({"plan": plan})
    out.extend({"gap": gap} for gap in pending)
    return out


def notice_current(request: HttpRequest) -> HttpResponse:
    found = queries.season_notice(queries.current_season())
    if found is None:
        raise Http404(_("当前年度没有发布通知。"))
    return _notice_page(request, found)


def notice_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.notice(slug)
    if found is None:
        raise Http404(_("没有这份通知。"))
    return _notice_page(request, found)


def _notice_page(request: HttpRequest, found: Any) -> HttpResponse:
    rendered = render_notice(found.body)
    headings, table = attachment_parts(rendered.attachment_text)
    return render(
        request,
        "portal/notice.html",
        {
            "notice": found,
            "rendered": rendered,
            "attachment_headings": headings,
            "attachment_table": table,
        },
    )


def notices(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/notices.html", {"notices": queries.published_notices()})
