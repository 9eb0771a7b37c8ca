from __future__ import annotations

import pytest

from zhicheng.portal.templatetags.portal import clause_url

from .helpers import ID_LIKE

pytestmark = pytest.mark.django_db


def test_home_shows_the_season_key_dates_with_clause_links(client, season):
    html = client.get("/").content.decode()
    assert season.name in html
    for label, date, clause in season.key_dates():
        assert label in html
        assert f"{date.year}年{date.month}月{date.day}日" in html
        assert f'href="{clause_url(clause)}"' in html
    assert 'href="/notice/#clause-2-2"' in html  # 资历、业绩截止 二（二）
    assert 'href="/notice/#clause-3-3"' in html
    assert 'href="/notice/#clause-3-1"' in html


def test_pinned_business_date_is_announced(client, season):
    html = client.get("/").content.decode()
    assert "演示日期：2024年7月15日" in html


def test_no_banner_when_the_date_is_not_pinned(client, season, settings):
    settings.ZHICHENG_TODAY = ""
    assert "演示日期" not in client.get("/").content.decode()


def test_what_is_open_now(client, season):
    html = client.get("/").content.decode()
    assert 'id="open-plans"' in html
    assert "统计（高级）" in html  # row 1 accepts in July
    assert 'href="/plans/?month=7"' in html


def test_nothing_open_says_so_and_shows_the_next_windows(client, season, settings):
    settings.ZHICHENG_TODAY = "2024-03-15"
    html = client.get("/").content.decode()
    assert 'id="nothing-open"' in html
    assert "今日没有受理申报材料的评审计划" in html
    assert "即将开始受理" in html
    assert "2024年4月" in html and "自然科学研究" in html  # row 19 opens in April


def test_after_the_season(client, season, settings):
    settings.ZHICHENG_TODAY = "2024-12-20"
    html = client.get("/").content.decode()
    assert "本年度评审已经结束" in html


def test_initial_determination_rounds(client, season):
    html = client.get("/").content.decode()
    assert "2024年6月和2024年11月" in html
    assert 'href="/notice/#clause-3-1"' in html
    assert 'href="/notice/#clause-2-11"' in html


def test_layout_basics(client, season):
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    assert "/static/django_htmx/htmx" in html
    assert 'action="/i18n/setlang/"' in html
    assert "cdn" not in html.lower()
    for label in ("首页", "评审计划表", "通知公告", "政策原文"):
        assert label in html


def test_home_without_a_current_season(client, season):
    season.is_current = False
    season.save()
    response = client.get("/")
    assert response.status_code == 200
    assert "当前没有进行中的评审年度" in response.content.decode()
    assert client.get("/plans/").status_code == 404


@pytest.mark.parametrize("url", ["/", "/plans/", "/notice/", "/notices/"])
def test_public_pages_show_no_identity_numbers(client, season, url):
    html = client.get(url).content.decode()
    assert not ID_LIKE.search(html)


def test_the_home_page_is_reused_and_shows_an_edit_at_once(client, season):
    """The season's part of the home page is rendered once per day and language; a plan's
    edit, a notice published for the season and another day each show on the next visit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhicheng.core.operations import SYSTEM, save_instance
    from zhicheng.seasons.models import CommitteePlan, Notice

    client.get("/")  # fills the cache
    with CaptureQueriesContext(connection) as warm:
        html = client.get("/").content.decode()
    assert "统计（高级）" in html
    assert not any("seasons_committeeplan" in q["sql"] for q in warm.captured_queries)

    plan = CommitteePlan.objects.get(season=season, row=1)
    plan.specialty = "统计（高级，已更正）"
    save_instance(SYSTEM, plan, changed=["specialty"])
    assert "统计（高级，已更正）" in client.get("/").content.decode()

    notice = Notice.objects.filter(season=season, published=True).first()
    link = f'href="/notice/{notice.slug}/"'
    assert link in client.get("/").content.decode()
    notice.published = False  # the office withdraws the notice: the link goes at once
    save_instance(SYSTEM, notice, changed=["published"])
    assert link not in client.get("/").content.decode()
    notice.published = True
    save_instance(SYSTEM, notice, changed=["published"])
    assert link in client.get("/").content.decode()


def test_the_home_page_counts_down_from_the_day_it_is_shown(client, season, settings):
    first = client.get("/").content.decode()
    settings.ZHICHENG_TODAY = "2024-07-16"
    second = client.get("/").content.decode()
    assert "演示日期：2024年7月16日" in second
    assert first.split('id="key-date-list"')[1] != second.split('id="key-date-list"')[1]
