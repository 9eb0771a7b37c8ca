"""The dashboard: every committee plan of the season against reality, with its numbers
right on a small built season, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.factories.supervision import Build

from .cells import row_cells

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC)


@pytest.fixture
def built(build: Build) -> Build:
    """Plan 1 (统计（高级）, accepts in 7月: open on 2024-07-15) with one application in
    every situation the dashboard tells apart; plan 2 (体育教练, 6月: closed) with meetings."""
    p1, p2 = build.plan(1), build.plan(2)
    build.app(p1, "unit_review", submitted=at("2024-07-10"))
    build.app(p1, "submitted", submitted=at("2024-06-03"))  # waiting too long
    stale = build.app(p1, "unit_publicity")
    build.unit_publicity(stale, dt.date(2024, 7, 1), dt.date(2024, 7, 5))  # ended, no step
    running = build.app(p1, "unit_publicity")
    build.unit_publicity(running, dt.date(2024, 7, 10), dt.date(2024, 7, 16))
    build.correction(build.app(p1, "correction_requested"), dt.date(2024, 7, 12))  # overdue
    build.correction(build.app(p1, "correction_requested"), dt.date(2024, 7, 20))
    old = build.app(p1, "committee_recheck", submitted=at("2024-05-06"))
    build.step(old, at("2024-06-10"))  # waiting too long
    moved = build.app(p1, "committee_recheck", submitted=at("2024-05-06"))
    build.step(moved, at("2024-07-12"))
    for state in ("passed", "approved", "certificate_issued", "not_passed", "rejected"):
        build.app(p1, state)
    build.app(p1, "approved", route="initial_determination")  # no vote: not in the rate
    build.app(p1, "draft")
    build.app(p1, "withdrawn")

    build.app(p2, "ready_for_meeting")
    committee = build.committee(p2)
    build.meeting(committee, "submitted", dt.date(2024, 8, 20))
    published = build.meeting(committee, "published", dt.date(2024, 6, 20))
    build.data_report(published, due=dt.date(2024, 7, 10))  # not sent, past due
    filed = build.meeting(committee, "filed", dt.date(2024, 6, 10))
    build.data_report(filed, due=dt.date(2024, 7, 8), sent=dt.date(2024, 7, 12),
                      results=[("engineering", "intermediate", "passed")])
    return build


def test_each_plan_row_shows_states_overdue_items_and_pass_rate(city_client, built):
    html = city_client.get("/supervision/").content.decode()
    cells = row_cells(html, "data-plan", "1")
    assert cells[0] == "1" and "统计（高级）" in cells[1]
    assert cells[2].startswith("开放")
    # total, then unit / preliminary / committee / ready / province / passed / failed / exited
    assert cells[3:12] == ["14", "4", "2", "2", "", "", "4", "1", "1"]
    assert cells[12] == "75.0%"  # 3 passed of 4 voted; the 初定 approval is not a vote
    assert cells[13:16] == ["1", "1", "2"]  # corrections, unit publicity, reviews overdue
    assert cells[16] == "—"


def test_meetings_opening_reports_and_late_data_reports(city_client, built):
    html = city_client.get("/supervision/").content.decode()
    cells = row_cells(html, "data-plan", "2")
    assert cells[2].startswith("关闭")
    assert cells[3] == "1" and cells[7] == "1"  # one application, ready for the meeting
    meetings = cells[16]
    assert "2024-08-20 开评报告待审批 待审批" in meetings
    assert "2024-06-20 结果公示中 数据逾期未报送" in meetings
    assert "2024-06-10 已核准备案 数据逾期报送" in meetings
    assert '<dd class="h4 mb-0">1 / 1</dd>' in html  # data reports: overdue / late


def test_the_summary_adds_up_the_city(city_client, built):
    from zhicheng.supervision.queries import dashboard

    board = dashboard(built.season, dt.date(2024, 7, 15))
    totals = board.totals
    plan_rows = {r.plan.row: r for r in board.rows}
    assert plan_rows[1].reviews_overdue == 2 and plan_rows[2].reports_awaiting == 1
    # Other plans may hold the demo's applications; the city sums every row.
    assert totals["total"] == sum(r.total for r in board.rows) >= 15
    assert totals["reports_awaiting"] == 1
    assert totals["data_overdue"] == 1 and totals["data_late"] == 1
    html = city_client.get("/supervision/").content.decode()
    assert f'<dd class="h4 mb-0" id="zc-total">{totals["total"]}</dd>' in html


def test_a_committee_serving_several_plans_counts_its_meetings_once(city_client, built):
    """The committee of plan 2 also serves plan 3: its meetings show on both rows, but the
    city's summary counts each meeting once (it showed 2 awaiting and 2/2 overdue/late)."""
    from zhicheng.evaluation.models import Committee
    from zhicheng.supervision.queries import dashboard

    committee = Committee.objects.get(plans=built.plan(2))
    committee.plans.add(built.plan(3))
    board = dashboard(built.season, dt.date(2024, 7, 15))
    plan_rows = {r.plan.row: r for r in board.rows}
    assert plan_rows[2].reports_awaiting == plan_rows[3].reports_awaiting == 1
    assert board.totals["reports_awaiting"] == 1
    assert (board.totals["data_overdue"], board.totals["data_late"]) == (1, 1)
    html = city_client.get("/supervision/").content.decode()
    assert '<dd class="h4 mb-0">1 / 1</dd>' in html


def test_the_chart_is_an_accessible_svg_with_the_same_numbers(city_client, built):
    html = city_client.get("/supervision/").content.decode()
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert "1. 统计（高级） · 通过：4" in svg
    assert "2. 体育教练 · 待评审：1" in svg


def test_only_active_plans_by_default_all_on_request(city_client, built):
    html = city_client.get("/supervision/").content.decode()
    assert row_cells(html, "data-plan", "3") == []
    html = city_client.get("/supervision/?all=1").content.decode()
    assert row_cells(html, "data-plan", "3")[0] == "3"


def test_review_overdue_follows_the_season_parameter(city_client, built):
    season = built.season
    season.parameters = {**season.parameters, "supervision": {"review_overdue_workdays": 40}}
    season.save()
    html = city_client.get("/supervision/").content.decode()
    assert row_cells(html, "data-plan", "1")[15] == ""
    assert "审核超过40个工作日" in html


def test_a_year_without_calendar_data_is_said_not_guessed(city_client, built, settings):
    settings.ZHICHENG_TODAY = "2031-03-02"
    r = city_client.get("/supervision/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "工作日历缺少2031年的数据" in html
    assert row_cells(html, "data-plan", "1")[15] == "?"


def test_export_has_the_same_numbers(city_client, built):
    r = city_client.get("/supervision/export.xlsx")
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "%E8%AF%84%E5%AE%A1%E7%9B%91%E7%9D%A3" in r["Content-Disposition"]  # 评审监督
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    rows = list(wb["评审监督总览"].iter_rows(values_only=True))
    header, by_row = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert len(rows) - 1 == len(built.season.plans.all())  # every plan of the season
    one = by_row[1]
    assert len(set(header)) == len(header)  # no two columns share a header
    assert one["受理窗口"] == "开放" and one["申报数"] == 14
    assert one["状态：单位审核中"] == 1 and one["状态：已提交"] == 1 and one["状态：待补正"] == 2
    assert one["通过人数"] == 3 and one["未通过人数"] == 1 and one["通过率（%）"] == 75.0
    assert one["状态：评审未通过"] == 1
    assert "口径说明" in wb.sheetnames
    assert one["补正逾期"] == 1 and one["单位公示期满未推荐"] == 1
    assert one["审核超过10个工作日"] == 2
    two = by_row[2]
    assert two["开评报告待审批"] == 1 and two["评审数据逾期未报送"] == 1
    assert two["评审数据逾期报送"] == 1 and "状态：草稿" not in header


def _grow(build: Build, n: int) -> None:
    for i in range(n):
        plan = build.plan(1 + i % 5)
        app = build.app(plan, ["submitted", "committee_recheck", "correction_requested",
                               "passed", "unit_publicity"][i % 5])
        if app.state == "correction_requested":
            build.correction(app, dt.date(2024, 7, 1))
        if app.state == "unit_publicity":
            build.unit_publicity(app, dt.date(2024, 7, 1), dt.date(2024, 7, 5))
        build.step(app, at("2024-06-01"))
    for i in range(3):
        committee = build.committee(build.plan(2 + i))
        m = build.meeting(committee, "published", dt.date(2024, 6, 20))
        build.data_report(m, due=dt.date(2024, 7, 10))


def test_constant_number_of_queries(city_client, build, django_assert_max_num_queries):
    _grow(build, 2)
    city_client.get("/supervision/")  # warm up (session, content types)
    with django_assert_max_num_queries(25) as small:
        assert city_client.get("/supervision/").status_code == 200
    _grow(build, 40)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        r = city_client.get("/supervision/")
    assert row_cells(r.content.decode(), "data-plan", "2")[3] != ""
    assert len(large.captured_queries) == len(small.captured_queries)


def test_plan_drill_down_constant_queries(city_client, build, django_assert_max_num_queries):
    _grow(build, 5)
    plan = build.plan(1)
    city_client.get(f"/supervision/plan/{plan.pk}/")
    with django_assert_max_num_queries(20) as small:
        city_client.get(f"/supervision/plan/{plan.pk}/")
    for i in range(60):
        build.step(build.app(plan, ["submitted", "passed"][i % 2]), at("2024-06-01"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = city_client.get(f"/supervision/plan/{plan.pk}/")
    assert "第1页，共2页" in r.content.decode()  # 61 dossiers, 50 a page
