"""Statistics by series, level, district, unit type, sex and age band; year-on-year once
two seasons exist; the evaluation data reports summed for the city; Excel exports."""

from __future__ import annotations

import datetime as dt
import io
import urllib.parse

import pytest
from openpyxl import load_workbook

from tests.factories.evaluation import resident_id
from tests.factories.supervision import HAIZHOU_EMPLOYER, HOSPITAL, KAIFAQU_EMPLOYER, Build

from .cells import row_cells

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def two_years(build: Build) -> Build:
    """2022 and 2023 seasons, each with copies of plan rows 1 and 2."""
    y22, y23 = build.new_season(2022), build.new_season(2023)
    p22, p23 = build.plan(1, y22), build.plan(1, y23)
    # 2023: ages at 2023-12-31.
    build.app(p23, "passed", sex="M", born=D(1988, 1, 1))  # 35: 35岁及以下
    build.app(p23, "not_passed", sex="F", born=D(1987, 12, 31), employer=KAIFAQU_EMPLOYER)  # 36
    build.app(p23, "approved", sex="F", born=D(1970, 3, 1), employer=HOSPITAL,
              level="associate_senior")  # 53
    build.app(p23, "preliminary_review", series="accounting", employer=None, sex="", born=None)
    build.app(p23, "approved", sex="M", born=D(1968, 12, 31),
              route="initial_determination")  # 55, confirmed without a vote
    build.app(p23, "draft")  # not counted
    # 2022.
    build.app(p22, "passed")
    build.app(p22, "not_passed")
    build.app(p22, "not_passed", level="associate_senior", employer=HOSPITAL, sex="F")
    build.two = (y22, y23)  # type: ignore[attr-defined]
    return build


def page(client, code: str) -> str:
    r = client.get(f"/supervision/statistics/?season={code}")
    assert r.status_code == 200
    return r.content.decode()


def test_by_series_and_level_with_year_on_year(city_client, two_years):
    html = page(city_client, "test-2023")
    assert "需要两个评审年度" not in html
    # label, applications, passed, not passed, rate, 2022 applications, change, 2022 rate
    series = row_cells(html[html.index('id="stat-series"'):], "data-key", "engineering")
    assert series == ["工程技术", "4", "2", "1", "66.7%", "3", "+33.3%", "33.3%"]
    accounting = row_cells(html[html.index('id="stat-series"'):], "data-key", "accounting")
    assert accounting == ["会计", "1", "0", "0", "—", "0", "—", "—"]
    level = html[html.index('id="stat-level"'):]
    assert row_cells(level, "data-key", "intermediate") == [
        "中级", "4", "1", "1", "50.0%", "2", "+100.0%", "50.0%"]
    assert row_cells(level, "data-key", "associate_senior") == [
        "副高级", "1", "1", "0", "100.0%", "1", "0.0%", "0.0%"]
    assert row_cells(level, "data-key", "__total")[:5] == ["合计", "5", "2", "1", "66.7%"]


def test_by_district_unit_type_sex_and_age_band(city_client, two_years):
    html = page(city_client, "test-2023")

    def table(key: str) -> str:
        return html[html.index(f'id="stat-{key}"'):]

    assert row_cells(table("district"), "data-key", "haizhou")[:5] == [
        "海州区", "3", "2", "0", "100.0%"]
    assert row_cells(table("district"), "data-key", "kaifaqu")[:2] == ["开发区", "1"]
    assert row_cells(table("district"), "data-key", "__freelancer")[:2] == ["自由职业", "1"]
    assert row_cells(table("unit_type"), "data-key", "private_enterprise")[:4] == [
        "民营企业", "3", "1", "1"]
    assert row_cells(table("unit_type"), "data-key", "public_institution")[:3] == [
        "事业单位", "1", "1"]
    assert row_cells(table("sex"), "data-key", "M")[:3] == ["男", "2", "1"]
    assert row_cells(table("sex"), "data-key", "F")[:4] == ["女", "2", "1", "1"]
    assert row_cells(table("sex"), "data-key", "__unknown")[:2] == ["未登记", "1"]
    ages = table("age")
    assert row_cells(ages, "data-key", "le35")[:3] == ["35岁及以下", "1", "1"]
    assert row_cells(ages, "data-key", "36_45")[:4] == ["36–45岁", "1", "0", "1"]
    assert row_cells(ages, "data-key", "46_54")[:3] == ["46–54岁", "1", "1"]
    assert row_cells(ages, "data-key", "ge55")[:5] == ["55岁及以上", "1", "0", "0", "—"]
    assert row_cells(ages, "data-key", "unknown")[:2] == ["未登记", "1"]


def test_year_on_year_needs_two_seasons(city_client, two_years):
    html = page(city_client, "test-2022")  # nothing before 2022
    assert "同比：需要两个评审年度" in html
    assert "同比</th>" not in html


def test_no_identity_number_is_listed(city_client, two_years):
    from zhicheng.accounts.models import User

    people = list(User.objects.filter(username__startswith="sup"))
    for i, person in enumerate(people):
        person.id_type, person.id_number = "resident", resident_id(900 + i)
        person.save()
    html = page(city_client, "test-2023")
    assert people and all(p.id_number not in html for p in people)
    assert all(p.id_number[-8:] not in html for p in people)


def test_pass_rate_chart_per_series(city_client, two_years):
    html = page(city_client, "test-2023")
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "各系列评审通过率" in svg and "工程技术：66.7%" in svg and "（2/3）" in svg


def test_each_statistics_table_exports_the_same_numbers(city_client, two_years):
    r = city_client.get("/supervision/statistics/series.xlsx?season=test-2023")
    assert r.status_code == 200
    disposition = r["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    name = urllib.parse.unquote(disposition.split("''", 1)[1])
    assert name == "职称评审统计-按系列-2023年度.xlsx"
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("系列", "2023年度申报数", "通过人数", "未通过人数", "通过率（%）",
                       "2022年度申报数", "申报数同比（%）", "2022年度通过率（%）")
    assert rows[1] == ("工程技术", 4, 2, 1, 66.7, 3, 33.3, 33.3)
    assert rows[-1][:4] == ("合计", 5, 2, 1)
    for key in ("level", "district", "unit_type", "sex", "age"):
        r = city_client.get(f"/supervision/statistics/{key}.xlsx?season=test-2023")
        assert r.status_code == 200
        wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
        assert list(wb.worksheets[0].iter_rows(values_only=True))[-1][:2] == ("合计", 5)


@pytest.fixture
def reports(build: Build) -> Build:
    p2 = build.plan(2)
    committee = build.committee(p2)
    on_time = build.meeting(committee, "filed", D(2024, 6, 10))
    build.data_report(on_time, due=D(2024, 7, 1), sent=D(2024, 6, 28), drawn=7, present=7,
                      results=[("engineering", "intermediate", "passed"),
                               ("engineering", "intermediate", "not_passed"),
                               ("accounting", "associate_senior", "passed")])
    late = build.meeting(committee, "filed", D(2024, 6, 12))
    build.data_report(late, due=D(2024, 7, 3), sent=D(2024, 7, 5), drawn=9, present=8,
                      results=[("engineering", "intermediate", "passed")])
    missing = build.meeting(committee, "published", D(2024, 6, 20))
    build.data_report(missing, due=D(2024, 7, 10))
    build.missing = missing  # type: ignore[attr-defined]
    return build


def test_data_reports_summed_for_the_city(city_client, reports):
    html = page(city_client, "lianyungang-2024")
    section = html[html.index('id="data-report"'):]
    total = row_cells(section, "id", "zc-report-total")
    assert total == ["合计（已报送）", "4", "3", "1", "75.0%", "0", "15/16"]
    assert "数据逾期报送" in section and "数据逾期未报送" in section
    assert "未报送" in row_cells(section, "data-meeting", str(reports.missing.pk))
    # by series and by level, each with its total row
    series = section[section.index('id="zc-report-series"'):section.index('id="zc-report-level"')]
    assert row_cells(series, "data-key", "engineering") == ["工程技术", "3", "2", "1", "66.7%"]
    assert row_cells(series, "data-key", "__total") == ["合计（已报送）", "4", "3", "1", "75.0%"]
    level = section[section.index('id="zc-report-level"'):]
    assert row_cells(level, "data-key", "__total") == ["合计（已报送）", "4", "3", "1", "75.0%"]


def test_data_report_export(city_client, reports):
    r = city_client.get("/supervision/statistics/data-report.xlsx?season=lianyungang-2024")
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    meetings = list(wb["各评委会报送"].iter_rows(values_only=True))
    header, *body, total = meetings
    assert len(set(header)) == len(header)
    assert [m[5] for m in body] == ["已报送", "逾期报送", "逾期未报送"]
    # the report not sent shows 未报送, not zeros; the total row adds the two sent
    assert body[2][6:] == ("未报送",) * 7
    assert total[0] == "合计（已报送）" and total[6:10] == (4, 3, 1, 75.0)
    assert sum(m[6] for m in body[:2]) == total[6]
    by_series = {row[0]: row for row in wb["按系列"].iter_rows(values_only=True)}
    assert by_series["工程技术"][1:4] == (3, 2, 1) and by_series["会计"][1:3] == (1, 1)
    assert by_series["合计（已报送）"][1:4] == (4, 3, 1)
    by_level = {row[0]: row for row in wb["按层级"].iter_rows(values_only=True)}
    assert by_level["合计（已报送）"][1:4] == (4, 3, 1)
    assert "口径说明" in wb.sheetnames


def test_statistics_queries_do_not_grow(city_client, build, django_assert_max_num_queries):
    y22, y23 = build.new_season(2022), build.new_season(2023)
    build.app(build.plan(1, y23), "passed")
    build.app(build.plan(1, y22), "passed")
    url = "/supervision/statistics/?season=test-2023"
    city_client.get(url)
    # + the work bar and the site's city (constant)
    with django_assert_max_num_queries(25 + 3 + 1) as small:
        city_client.get(url)
    for i in range(30):
        build.app(build.plan(1 + i % 2, y23), ["passed", "not_passed"][i % 2],
                  employer=[HAIZHOU_EMPLOYER, KAIFAQU_EMPLOYER, HOSPITAL, None][i % 4],
                  series=["engineering", "accounting", "health"][i % 3])
        build.app(build.plan(1 + i % 2, y22), "passed")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert city_client.get(url).status_code == 200
