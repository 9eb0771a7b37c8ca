"""The city office makes the 2025 season from 2024 in Chromium without a command line
(docs/journeys.md §City office: a new season): click-only after login, in the demo state.
A new plan row names an office the draft's organisations do not have; the validation names
it by file, row and column and publishing is refused until the office is added; the decision
diff lists whose verdict changes and why; the draft is published and becomes current."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_accessibility import violations_where
from tests.browser.test_navigation_journeys import Journey

pytestmark = pytest.mark.browser

SECTION = "City office: a new season (届次管理)"


def test_city_office_makes_publishes_the_2025_season(page, live_server, season, demo_password,
                                                     settings):
    from zhicheng.core.models import AuditEvent
    from zhicheng.seasons.models import Season, VersionStatus

    settings.ZHICHENG_TODAY = "2025-01-06"
    journey = Journey(page, live_server.url)
    assert journey.login("city_office", demo_password) == "/supervision/"
    assert journey.bar("届次管理") == "/supervision/seasons/"
    assert "连云港市2024年度职称评审" in page.inner_text("#zc-seasons")

    # The form proposes 2024 as the base and the next code and name; one click copies it.
    assert page.input_value("#id_code") == "lianyungang-2025"
    assert page.input_value("#id_name") == "连云港市2025年度职称评审"
    page.click("#zc-derive-submit")
    page.wait_for_load_state("load")
    assert journey.path == "/supervision/seasons/lianyungang-2025/v1/"
    assert "所有日期已顺延一年" in page.inner_text("main")
    assert page.input_value("#id_seniority_cutoff") == "2024-12-31"
    assert "没有问题" in page.inner_text("#zc-problems-none")
    assert not violations_where(page)  # WCAG 2 A/AA: the draft version page

    # A parameter with its clause: the 初定 education-year threshold moves by a year.
    threshold = page.locator("#zc-parameters tbody tr").filter(
        has=page.locator("td", has_text=re.compile(r"^2022$")))
    assert threshold.count() == 1
    threshold.get_by_role("link", name="修改").click()
    page.wait_for_load_state("load")
    assert "二（十一）" in page.inner_text("#zc-clause")
    page.fill("#id_value", "2023")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    assert "已保存" in page.inner_text("main")

    # An existing row changes: 质量工程 (row 41) accepts from April this year.
    page.get_by_role("link", name="修改序号41").click()
    page.wait_for_load_state("load")
    assert page.input_value("#id_acceptance") == "5月-7月"
    page.fill("#id_acceptance", "4月-6月")
    page.click("#zc-plan-row button[type=submit]")
    page.wait_for_load_state("load")
    assert "4月-6月" in page.locator("#zc-draft-plans tr[data-row='41']").inner_text()

    # A new row for a new office: the draft keeps it and the validation names the problem.
    journey.click("新增一行", within="main")
    assert page.input_value("#id_row") != ""
    page.fill("#id_row", "74")
    page.fill("#id_specialty", "数据工程")
    page.fill("#id_office", "市数据局")
    page.fill("#id_acceptance", "6月")
    page.fill("#id_evaluation", "9月")
    page.click("#zc-plan-row button[type=submit]")
    page.wait_for_load_state("load")
    problems = page.inner_text("#zc-problems")
    assert "plans.csv" in problems and "“评委会办事机构”列" in problems
    assert "序号74的评委会办事机构“市数据局”不在organisations.toml中" in problems
    assert page.locator("#zc-publish").count() == 0
    assert "改正后才能发布" in page.inner_text("#zc-publish-blocked")
    assert not violations_where(page)  # WCAG 2 A/AA: the draft with its problems listed

    # The fix: the office is added to the season's organisations.
    office = page.locator("[data-office='市数据局']")
    office.get_by_label("添加为本年度的市级部门办事机构").check()
    office.get_by_label("机构全称").fill("连云港市数据局")
    office.get_by_role("button", name="保存处理方式").click()
    page.wait_for_load_state("load")
    assert page.locator("#zc-problems").count() == 0
    assert "没有问题：可以预览和发布" in page.inner_text("#zc-problems-none")

    # Preview: the public table as it would be, then the decision diff.
    journey.click("预览公开的评审计划表", within="main")
    assert "数据工程" in page.inner_text("#zc-preview-table")
    assert not violations_where(page)  # WCAG 2 A/AA: the preview of the public plan table
    journey.click("连云港市2025年度职称评审 第1版", within="main nav")
    journey.click("判定差异预览", within="main")
    assert "对照连云港市2024年度职称评审第1版" in page.inner_text("#zc-diff-basis")
    assert re.search(r"共判定\d+份，[1-9]\d*份判定结果改变", page.inner_text("#zc-diff-summary"))
    assert "因为（二（九））" in page.inner_text("#zc-diff")
    assert not violations_where(page)  # WCAG 2 A/AA: the decision diff
    journey.click("连云港市2025年度职称评审 第1版", within="main nav")

    # Publish today: the season becomes current.
    assert page.input_value("#id_on") == "2025-01-06"
    page.click("#zc-publish")
    page.wait_for_load_state("load")
    assert journey.path == "/supervision/seasons/"
    assert "已发布连云港市2025年度职称评审第1版" in page.inner_text("main")
    row = page.locator("#zc-seasons tr[data-season='lianyungang-2025']")
    assert "当前年度" in row.inner_text() and "已发布" in row.inner_text()
    new = Season.objects.get(code="lianyungang-2025")
    assert new.is_current and new.published_version.status == VersionStatus.PUBLISHED
    assert new.plans.get(row=74).office.short_name == "市数据局"
    assert new.plans.get(row=41).acceptance_text == "4月-6月"
    for action in ("season.derive", "season.publish"):
        assert AuditEvent.objects.filter(action=action).count() == 1
    assert AuditEvent.objects.filter(action="season.edit_draft").count() == 4
    journey.assert_reached(SECTION)
