from __future__ import annotations

import pytest
from django.http import QueryDict

from zhicheng.core import clock
from zhicheng.core.operations import SYSTEM, save_instance
from zhicheng.seasons.models import CommitteePlan, PlanSource

from .helpers import plan_rows

pytestmark = pytest.mark.django_db

PRINTED = [*range(1, 21), *range(41, 74)]


def get(client, query=""):
    response = client.get("/plans/" + query)
    assert response.status_code == 200
    return response.content.decode()


def test_every_printed_row_and_the_gap(client, season):
    html = get(client)
    assert plan_rows(html) == PRINTED
    assert len(PRINTED) == 53
    assert "原文缺失第21–40行，待市职称办补录" in html
    # The gap row sits between rows 20 and 41.
    assert html.index('data-row="20"') < html.index('id="gap-21-40"') < html.index('data-row="41"')
    for header in ("序号", "专业名称", "评委会办事机构", "联系电话", "材料报送地址", "受理时间"):
        assert header in html
    assert "计划评审时间" in html and "备注" in html


def test_inferred_values_are_marked_with_their_row_and_reason(client, season):
    html = get(client, "?office=市工信局")
    row45 = html[html.index('data-row="45"') : html.index('data-row="46"')]
    assert "推断自第49行" in row45
    reason = CommitteePlan.objects.get(season=season, row=45).provenance["office"]["reason"]
    assert f'title="{reason}"' in row45
    assert "visually-hidden" in row45


def test_data_warnings_are_listed(client, season):
    html = get(client)
    warnings = html[html.index('id="data-warnings"') :]
    assert "855573381" in warnings
    assert "858882177" in warnings
    assert "85816207/" in warnings


def test_office_filter_gives_exactly_rows_44_to_53(client, season):
    html = get(client, "?office=市工信局")
    assert plan_rows(html) == list(range(44, 54))
    assert 'id="gap-21-40"' not in html
    assert 'id="gap-note"' in html
    assert '<option value="市工信局" selected>' in html  # the form keeps its value


def test_month_filter(client, season):
    july = set(plan_rows(get(client, "?month=7")))
    expected = {
        p.row for p in CommitteePlan.objects.filter(season=season) if p.acceptance_mask & (1 << 7)
    }
    assert july == expected
    assert {1, 4, 5, 41, 55, 59} <= july
    assert 2 not in july  # 6月 only


def test_search(client, season):
    assert plan_rows(get(client, "?q=律师")) == [6]
    assert set(plan_rows(get(client, "?q=苍梧"))) >= {2, 5, 7, 20}
    assert plan_rows(get(client, "?q=市统计局")) == [1]


def test_filters_combine(client, season):
    assert plan_rows(get(client, "?office=市工信局&q=工程")) == [44, 45, 46, 47, 48, 51, 52, 53]
    assert plan_rows(get(client, "?office=市司法局&month=6")) == [6, 7, 8]
    assert plan_rows(get(client, "?office=市司法局&month=7")) == []


def test_series_filter(client, season):
    # scope.csv: statistics is row 1 only; arts_and_crafts is row 49 only.
    assert plan_rows(get(client, "?series=statistics")) == [1]
    assert plan_rows(get(client, "?series=arts_and_crafts")) == [49]
    engineering = plan_rows(get(client, "?series=engineering"))
    assert {13, 41, 44, 53, 60, 62} <= set(engineering)
    assert 1 not in engineering


def test_sorting(client, season):
    by_office = plan_rows(get(client, "?sort=office"))
    assert sorted(by_office) == PRINTED
    assert by_office[-10:] != PRINTED[-10:]  # rows without an office go last
    by_acceptance = plan_rows(get(client, "?sort=acceptance"))
    assert by_acceptance[0] == 19  # 4-6月 opens first
    assert by_acceptance.index(4) < by_acceptance.index(2)  # 5月 before 6月
    assert plan_rows(get(client, "?sort=row")) == PRINTED


@pytest.mark.parametrize(
    "query",
    [
        "?month=abc",
        "?month=13",
        "?month=0",
        "?month=-1",
        "?sort=evil",
        "?series=nope",
        "?office=不存在的机构",
        "?q=" + "长" * 500,
        "?sort=row;DROP TABLE",
    ],
)
def test_bad_parameters_never_fail(client, season, query):
    response = client.get("/plans/" + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="ignored-filters"' in html
    assert "已忽略无效的筛选条件" in html


def test_a_nul_byte_in_a_parameter_gets_a_clear_refusal(client, season):
    response = client.get("/plans/?q=%00")
    assert response.status_code == 400
    assert "提交的内容含有空字符" in response.content.decode()


def test_repeated_parameter_takes_the_last_value(client, season):
    assert plan_rows(get(client, "?month=6&month=7&office=市司法局")) == []
    assert plan_rows(get(client, "?month=99&month=6&office=市司法局")) == [6, 7, 8]


def test_bad_month_is_ignored_not_applied(client, season):
    assert plan_rows(get(client, "?month=abc")) == PRINTED
    assert plan_rows(get(client, "?month=13&office=市工信局")) == list(range(44, 54))


def test_htmx_gets_only_the_table(client, season):
    response = client.get("/plans/?office=市工信局", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert plan_rows(html) == list(range(44, 54))
    assert "<html" not in html and 'id="plan-filters"' not in html
    assert "HX-Request" in response["Vary"]


def test_open_rows_are_badged(client, season):
    html = get(client)
    row1 = html[html.index('data-row="1"') : html.index('data-row="2"')]
    row2 = html[html.index('data-row="2"') : html.index('data-row="3"')]
    assert "受理中" in row1 and "zc-open" in html[html.index('data-row="1"') - 40 :][:80]
    assert "受理中" not in row2


def test_constant_number_of_queries(client, season, django_assert_max_num_queries):
    # 9: the page's own reads and the one read of the cities with a published season.
    with django_assert_max_num_queries(9):
        client.get("/plans/")
    # Office-entered rows for the gap: twenty more rows, same number of queries.
    for row in range(21, 41):
        save_instance(
            SYSTEM,
            CommitteePlan(
                season=season,
                row=row,
                specialty=f"补录{row}",
                acceptance_text="7月",
                source=PlanSource.OFFICE,
            ),
        )
    with django_assert_max_num_queries(9):
        html = client.get("/plans/").content.decode()
    assert plan_rows(html) == list(range(1, 74))
    assert 'class="zc-gap"' not in html
    assert "市职称办补录" in html


def test_query_count_does_not_depend_on_rows(client, season):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/")  # the site's city list is cached after the first page (seasons.queries)
    with CaptureQueriesContext(connection) as full:
        client.get("/plans/")
    with CaptureQueriesContext(connection) as one:
        client.get("/plans/?q=律师")
    assert len(full) == len(one)


def test_htmx_history_restore_gets_the_whole_page(client, season):
    response = client.get(
        "/plans/?office=市工信局",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert 'id="plan-filters"' in response.content.decode()


def test_the_rendered_table_is_reused_until_a_plan_changes(client, season):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = "/plans/?office=市工信局"
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url)
    assert first.status_code == 200
    # the same query again: the table comes from the cache, the plan rows are not read
    with CaptureQueriesContext(connection) as warm:
        second = client.get(url)
    def table(response):
        html = response.content.decode()
        return html[html.index('id="plan-table"'):html.index("</table>")]

    assert table(second) == table(first)  # (the page around it has a fresh nonce)
    assert any('"address"' in q["sql"] for q in cold.captured_queries)
    assert not any('"address"' in q["sql"] for q in warm.captured_queries)
    assert len(warm.captured_queries) < len(cold.captured_queries)
    # an office edits a plan: the next request shows the edit at once
    plan = CommitteePlan.objects.get(season=season, row=44)
    plan.phone = "0518-80000000"
    save_instance(SYSTEM, plan, changed=["phone"])
    assert "0518-80000000" in get(client, "?office=市工信局")
    # English readers get their own rendering, not the cached Chinese one
    client.post("/i18n/setlang/", {"language": "en", "next": "/plans/"})
    english = table(client.get(url))
    assert "0518-80000000" in english and "序号" not in english and "受理时间" not in english


def test_searches_and_unknown_parameters_are_not_cached(client, season):
    from django.core.cache import cache

    from zhicheng.portal import plancache

    def key(query):
        return plancache.results_key(season, QueryDict(query), clock.today(), cacheable=True,
                                     page_url="/plans/")

    # free text, unknown parameters: endless variety, never a cache entry
    assert key("q=工程") is None and key("office=市工信局&utm=1") is None
    assert "13" in get(client, "?month=13")  # an invalid value is ignored and said so...
    assert cache.get(key("month=13")) is None  # ...and that rendering is not kept
    get(client, "?office=市工信局&q=")  # the form's empty search box: kept
    assert cache.get(key("office=市工信局&q=")) is not None


def test_data_warnings_follow_the_filter(client, season):
    """A filtered table lists only the warnings about the rows it shows, on the full page and
    in the htmx swap (out of band), and says so."""
    from zhicheng.seasons.models import DataWarning

    phone = DataWarning.objects.get(season=season, message__contains="855573381")
    own = CommitteePlan.objects.get(season=season, row=phone.row)
    other = (CommitteePlan.objects.filter(season=season).exclude(office_name=own.office_name)
             .exclude(office_name="").first())

    def warnings(office, **headers):
        r = client.get("/plans/", {"office": office}, headers=headers)
        assert r.status_code == 200
        html = r.content.decode()
        return html[html.index('id="data-warnings-section"'):]

    assert "855573381" in warnings(own.office_name)
    theirs = warnings(other.office_name)
    assert "855573381" not in theirs and "只列出当前筛选结果中各行的提示" in theirs
    swapped = warnings(other.office_name, **{"HX-Request": "true"})
    assert 'hx-swap-oob="true"' in swapped and "855573381" not in swapped
    assert "855573381" in get(client)[get(client).index('id="data-warnings"'):]


def test_a_resolved_data_warning_and_a_renamed_series_show_at_once(client, season):
    """The page's body is cached; an office resolving a warning or renaming a series sees the
    change on the next visit, not after the cache expires."""
    from zhicheng.catalogue.models import Series
    from zhicheng.seasons.models import DataWarning

    def warnings_part(html):
        return html[html.index('id="data-warnings-section"'):]

    open_warnings = DataWarning.objects.filter(season=season, resolved=False)
    warning = next(w for w in open_warnings
                   if open_warnings.filter(message=w.message).count() == 1)
    get(client)  # the first visit fills the cache
    row = warnings_part(get(client))
    assert warning.message in row and "已处理" not in row.split(warning.message, 1)[1][:200]
    warning.resolved = True
    save_instance(SYSTEM, warning, changed=["resolved"])
    after = warnings_part(get(client))
    assert "已处理" in after.split(warning.message, 1)[1][:200]

    series = Series.objects.filter(plans__season=season).first()
    series.name = "改名后的系列"
    save_instance(SYSTEM, series, changed=["name"])
    html = get(client)
    start = html.index('id="plan-filters"')
    form = html[start:html.index("</form>", start)]
    assert "改名后的系列" in form
