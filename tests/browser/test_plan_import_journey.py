"""The city office imports its plan table in Chromium: from the dashboard to the import page,
a broken workbook's preview job shows its problem by row and column and cannot be confirmed;
the corrected one names the unknown office, which the office creates, then confirms."""

from __future__ import annotations

import pytest

from tests.browser.sessions import hand_session
from tests.factories.plans import ROWS, workbook

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_upload_preview_decide_confirm(page, live_server, season, demo_users, settings):
    from zhicheng.seasons.models import CommitteePlan, Season

    settings.ZHICHENG_TODAY = "2024-07-15"
    Season.objects.create(
        code="example-2025", name="2025年度（示例）", year=2025, city=season.city,
        notice_number="示例", notice_title="示例", notice_date=season.notice_date,
        seniority_cutoff=season.seniority_cutoff, materials_cutoff=season.materials_cutoff,
        evaluation_deadline=season.evaluation_deadline,
        committee_notice_due=season.committee_notice_due,
    )
    base = live_server.url
    hand_session(page, base, demo_users["city_office"])
    page.goto(f"{base}/supervision/")
    page.click("text=评审计划表导入")
    page.wait_for_url(f"{base}/supervision/plan-import/")
    page.select_option("#f-season", label="2025年度（示例）")

    broken = [list(r) for r in ROWS]
    broken[1][6] = "十三月"
    page.set_input_files("#f-file", {"name": "计划表.xlsx", "mimeType": XLSX,
                                     "buffer": workbook(broken)})
    page.click("text=上传并预览")
    page.wait_for_selector("#zc-summary")  # the preview job's page
    problems = page.inner_text("#zc-problems")
    assert "G列（计划评审时间）" in problems and "无法识别时间“十三月”" in problems
    assert "4" in problems  # sheet row 4 holds 序号2
    assert page.locator("#zc-confirm").count() == 0

    page.click("#job-back")
    page.select_option("#f-season", label="2025年度（示例）")
    page.set_input_files("#f-file", {"name": "计划表.xlsx", "mimeType": XLSX,
                                     "buffer": workbook()})
    page.click("text=上传并预览")
    page.wait_for_selector("#zc-summary")
    preview_url = page.url
    office = page.locator("[data-office='市低空经济办']")
    assert office.is_visible()
    page.click("#zc-confirm")  # nothing chosen: the browser asks for a choice first
    assert page.url == preview_url
    assert not CommitteePlan.objects.filter(season__code="example-2025").exists()
    office.locator("text=新建机构（市级部门）").click()
    page.click("#zc-confirm")
    page.wait_for_selector("#job-summary")
    assert "已导入2025年度（示例）评审计划表" in page.inner_text("#job-summary")
    page.click("#job-back")
    page.wait_for_url(f"{base}/supervision/plan-import/?season=example-2025")
    plan = CommitteePlan.objects.select_related("office").get(season__code="example-2025", row=4)
    assert plan.office is not None and plan.office.name == "市低空经济办"
