"""Public portal (no login): home, the plan table, the notice with clause anchors, notices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

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
    if queries.several_cities(request) and queries.visitor_city(request) is None:
        return render(request, "portal/cities.html", {"cities": queries.cities(request)})
    season = queries.current_season(request)
    today = clock.today()
    if season is None:
        return render(request, "portal/home.html", {
            "season": None, "past_seasons": queries.past_seasons(request, season)})
    # The season's part of the page is the same for every visitor of the city on a day, in a
    # language: rendered once (plancache; a plan, season, city or notice change drops it).
    key = plancache.home_key(season, today, several_cities=queries.several_cities(request))
    body = plancache.cached(key)
    if body is None:
        body = render_to_string("portal/_home_body.html", _home_context(request, season, today),
                                request=request)
        plancache.store(key, body)
    return render(request, "portal/home.html", {"season": season, "body": mark_safe(body)})


def _home_context(request: HttpRequest, season: Any, today: dt.date) -> dict[str, Any]:
    return {
        "season": season, "today": today, "past_seasons": queries.past_seasons(request, season),
        "plans_url": reverse("portal:plans"),
        "key_dates": [
            {
                "label": _(label),
                "date": date,
                "clause": clause,
                "days": (date - today).days,
            }
            for label, date, clause in season.key_dates()
        ],
        "open_plans": list(queries.open_plans(season, today)),
        "upcoming": [
            (dt.date(season.year, month, 1), plans)
            for month, plans in queries.upcoming_plans(season, today)
        ],
        "season_over": today > season.evaluation_deadline,
        "initial_months": _("和").join(
            date_format(dt.date(season.year, int(m), 1), "YEAR_MONTH_FORMAT")
            for m in season.initial_determination_months
        ),
        "notice": queries.season_notice(season),
    }


def cities(request: HttpRequest) -> HttpResponse:
    """The city chooser (only offered while several cities have a published season)."""
    return render(request, "portal/cities.html", {"cities": queries.cities(request)})


@require_POST
def choose_city(request: HttpRequest) -> HttpResponse:
    """Remember the visitor's city in the session and show its home page."""
    code = request.POST.get("city", "")
    if any(c.code == code for c in queries.cities(request)):
        request.session[queries.CITY_SESSION_KEY] = code
    return redirect("portal:home")


def past_season(request: HttpRequest, code: str) -> HttpResponse:
    """往届: one published season's page (its plan table and notice stay readable)."""
    season = _season_or_404(request, code)
    return render(request, "portal/season.html", {
        "season": season,
        "current": season.is_current,
        "notice": queries.season_notice(season),
        "plans_url": reverse("portal:season_plans", args=[season.code]),
        "past_seasons": queries.past_seasons(request, None),
    })


def _season_or_404(request: HttpRequest, code: str) -> Any:
    season = queries.published_season(code)
    if season is None:
        raise Http404(_("没有这个评审年度。"))
    if season.owner is not None:
        queries.show_city(request, season.owner)
    return season


def season_plans(request: HttpRequest, code: str) -> HttpResponse:
    season = _season_or_404(request, code)
    return _plan_page(request, season, reverse("portal:season_plans", args=[season.code]))


def season_notice(request: HttpRequest, code: str) -> HttpResponse:
    found = queries.season_notice(_season_or_404(request, code))
    if found is None:
        raise Http404(_("该年度没有发布通知。"))
    return _notice_page(request, found)


def plan_table(request: HttpRequest) -> HttpResponse:
    season = queries.current_season(request)
    if season is None:
        return render(request, "portal/no_season.html", status=404)
    return _plan_page(request, season, reverse("portal:plans"))


def _plan_page(request: HttpRequest, season: Any, plans_url: str) -> HttpResponse:
    today = clock.today()
    # The filter form, the table and the data warnings are rendered once per season,
    # language, day and query (plancache): a cached body means the query was valid when it
    # was stored (invalid ones never are), so a hit needs neither the form nor its choices.
    key = plancache.results_key(season, request.GET, today, cacheable=True, page_url=plans_url)
    body = plancache.cached(key)
    if body is None:
        form = PlanFilterForm(
            request.GET,
            offices=queries.office_names(season),
            series=list(queries.series_choices(season)),
        )
        body = _plan_body(request, season, plans_url, form, today)
        if not form.ignored:
            plancache.store(key, body)
    # Our own templates' output, escaped when it was rendered.
    results, warnings, warnings_oob = (
        mark_safe(body[part]) for part in ("results", "warnings", "warnings_oob"))
    htmx = getattr(request, "htmx", None)
    if bool(htmx) and not htmx.history_restore_request:  # type: ignore[union-attr]
        # The table is swapped in place; the warnings follow out of band.
        response = HttpResponse(results + warnings_oob)
    else:
        response = render(request, "portal/plan_table.html", {
            "season": season,
            "filters_form": mark_safe(body["filters_form"]),
            "results": results,
            "warnings": warnings,
            "today": today,
            "plans_url": plans_url,
            "past": not season.is_current,
        })
    patch_vary_headers(response, ("HX-Request",))
    return response


def _plan_body(
    request: HttpRequest, season: Any, plans_url: str, form: PlanFilterForm, today: dt.date
) -> dict[str, str]:
    """The parts of the plan page that depend only on the season, the language, the day and
    the query: what plancache keeps."""
    filters = form.filters()
    plans = list(queries.plans(season, filters))
    gaps = queries.missing_ranges(queries.plan_rows(season))
    results = render_to_string("portal/_plan_results.html", {
        "form": form, "filters": filters, "rows": _with_gaps(plans, gaps, filters),
        "count": len(plans), "gaps": gaps,
        "open_rows": {p.row for p in plans if p.is_open_on(today)},
        "plans_url": plans_url,
        "field_labels": FIELD_LABELS,  # the phone layout's card labels (data-label)
    }, request=request)
    # The data warnings follow the filter: only the rows the table shows (a subquery).
    shown = queries.plans(season, filters).values("row") if filters.active else None
    warnings = {
        "warnings": list(queries.data_warnings(season, rows=shown)),
        "warnings_filtered": shown is not None,
        "field_labels": FIELD_LABELS,
    }
    return {
        "results": results,
        "filters_form": render_to_string("portal/_plan_filters.html", {
            "form": form, "plans_url": plans_url}, request=request),
        "warnings": render_to_string("portal/_plan_warnings.html", warnings, request=request),
        "warnings_oob": render_to_string(
            "portal/_plan_warnings.html", {**warnings, "oob": True}, request=request),
    }


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
    found = queries.season_notice(queries.current_season(request))
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
            "plans_url": _plans_url_of(found.season),
        },
    )


def _plans_url_of(season: Any) -> str:
    """The plan table of a notice's season: the current table, or that past season's."""
    if season is None or season.is_current or season.published_version_id is None:
        return reverse("portal:plans")
    return reverse("portal:season_plans", args=[season.code])


def notices(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/notices.html", {
        "notices": queries.published_notices(queries.city_filter(request)),
    })
