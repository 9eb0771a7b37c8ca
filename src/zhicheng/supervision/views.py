"""The city title office's supervision pages: thin views over queries.py (city office only)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from zhicheng.core import clock
from zhicheng.core.audit import event_digest
from zhicheng.orgs.permissions import is_city_office

from . import charts, exports, queries
from .access import city_office_required

PAGE_SIZE = 50


def _season(request: HttpRequest) -> queries.SeasonChoice:
    return queries.choose_season(request.GET.get("season", "").strip(), request.user)


def _no_season(request: HttpRequest) -> HttpResponse:
    return render(request, "supervision/no_season.html", status=200)


def _state_chart(board: queries.Dashboard) -> Any:
    rows = [
        (f"{r.plan.row}. {r.plan.specialty}", [r.groups.get(g.key, 0)
                                               for g in queries.STATE_GROUPS])
        for r in board.rows if r.total
    ]
    if not rows:
        return None
    return charts.stacked_bars(
        _("各评委会申报状态"),
        _("每个评委会一行，按审核环节分段显示申报数；数字同下表。"),
        [charts.Segment(str(g.label), g.colour) for g in queries.STATE_GROUPS], rows,
    )


@city_office_required
def dashboard(request: HttpRequest) -> HttpResponse:
    choice = _season(request)
    if choice.season is None:
        return _no_season(request)
    board = queries.dashboard(choice.season, clock.today())
    show_all = request.GET.get("all") == "1"
    return render(request, "supervision/dashboard.html", {
        "choice": choice, "season": choice.season, "board": board,
        "rows": board.rows if show_all else board.active_rows, "show_all": show_all,
        "totals": board.totals, "groups": queries.STATE_GROUPS,
        "chart": _state_chart(board),
    })


@city_office_required
def dashboard_export(request: HttpRequest) -> HttpResponseBase:
    choice = _season(request)
    if choice.season is None:
        return _no_season(request)
    board = queries.dashboard(choice.season, clock.today())
    return exports.xlsx_response(
        f"评审监督总览-{choice.season.name}-{board.today:%Y%m%d}.xlsx",
        [exports.dashboard_sheet(board)],
    )


@city_office_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    committee_plan = queries.plan_for(pk)
    if committee_plan is None or not is_city_office(request.user, committee_plan.season):
        raise Http404(_("没有找到该评审计划。"))
    state = request.GET.get("state", "").strip()
    dossiers = queries.plan_dossiers(committee_plan, state)
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    today = clock.today()
    by_plan, _all = queries.season_meetings(committee_plan.season, today)
    return render(request, "supervision/plan.html", {
        "plan": committee_plan, "season": committee_plan.season, "page": page,
        "state": state, "states": queries.plan_state_counts(committee_plan),
        "meetings": by_plan.get(committee_plan.pk, []), "today": today,
    })


@city_office_required
def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    app = queries.dossier(pk)
    if app is None or not is_city_office(request.user, app.season):
        raise Http404(_("没有找到该申报。"))
    events = queries.audit_trail(app)
    trail = [(e, event_digest(e) == e.hash) for e in events]
    return render(request, "supervision/dossier.html", {
        "app": app, "season": app.season, "trail": trail,
        "intact": all(ok for _e, ok in trail),
    })


def _statistics_context(choice: queries.SeasonChoice) -> dict[str, Any]:
    assert choice.season is not None
    names = queries.labels()
    tables = [queries.stat_table(d.key, choice.season, choice.previous, names)
              for d in queries.DIMENSIONS]
    series = tables[0]
    chart = charts.percent_bars(
        _("各系列评审通过率"),
        _("每个系列一行：通过人数占（通过人数＋未通过人数）的比例；数字同“按系列”表。"),
        [(r.label, r.pass_rate, f"（{r.passed}/{r.passed + r.failed}）") for r in series.rows],
    ) if series.rows else None
    today = clock.today()
    report = queries.city_data_report(choice.season, today, names)
    return {
        "choice": choice, "season": choice.season, "previous": choice.previous,
        "tables": tables, "chart": chart, "report": report, "today": today,
        "age_date": queries.age_reference(choice.season),
        "report_tables": [
            (_("按系列（已报送）"), "series", report.by_series, report.series_total),
            (_("按层级（已报送）"), "level", report.by_level, report.level_total),
        ],
    }


@city_office_required
def statistics(request: HttpRequest) -> HttpResponse:
    choice = _season(request)
    if choice.season is None:
        return _no_season(request)
    return render(request, "supervision/statistics.html", _statistics_context(choice))


@city_office_required
def statistics_export(request: HttpRequest, dimension: str) -> HttpResponseBase:
    choice = _season(request)
    if choice.season is None:
        return _no_season(request)
    season = choice.season
    if dimension == "data-report":
        report = queries.city_data_report(season, clock.today())
        return exports.xlsx_response(f"评审数据汇总-{season.name}.xlsx",
                                     exports.data_report_sheets(report))
    if dimension not in queries.DIMENSION_BY_KEY:
        raise Http404(_("没有这张统计表。"))
    table = queries.stat_table(dimension, season, choice.previous, queries.labels())
    return exports.xlsx_response(
        f"职称评审统计-{table.dimension.title}-{season.name}.xlsx",
        [exports.stat_sheet(table, season.name,
                            choice.previous.name if choice.previous else "")],
    )
