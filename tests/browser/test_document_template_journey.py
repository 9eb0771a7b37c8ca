"""The city office adjusts the result document's template in Chromium by clicking
(docs/journeys.md §City office: document templates): 届次管理 → 文件模板 → 修改; a wrong
placeholder is refused on its field with the text kept, the preview shows the document, the
save is confirmed and listed."""

from __future__ import annotations

import pytest

from tests.browser.test_navigation_journeys import Journey

pytestmark = pytest.mark.browser

SECTION = "City office: document templates (文件模板)"


def test_city_office_adjusts_the_result_document(page, live_server, season, demo_password):
    from zhicheng.seasons.models import DocumentTemplate

    journey = Journey(page, live_server.url)
    assert journey.login("city_office", demo_password) == "/supervision/"
    assert journey.bar("届次管理") == "/supervision/seasons/"
    page.locator(f"[data-templates='{season.code}']").click()
    page.wait_for_load_state("load")
    assert journey.path == f"/supervision/seasons/{season.code}/templates/"
    page.locator("[data-edit-template='result_document']").click()
    page.wait_for_load_state("load")
    assert page.input_value("#id_header") == "{市职称办}文件"

    page.fill("#id_title", "关于{评委}评审结果的通知")
    page.fill("#id_contact", "联系电话：0518-1234567")
    page.get_by_role("button", name="预览").click()
    page.wait_for_load_state("load")
    assert "没有占位符{评委}" in page.inner_text("[data-error='title']")
    assert page.input_value("#id_contact") == "联系电话：0518-1234567"

    page.fill("#id_title", "关于{评委会}{年度}年度评审结果的通知")
    page.get_by_role("button", name="预览").click()
    page.wait_for_load_state("load")
    preview = page.inner_text("#preview")
    assert f"{season.year}年度评审结果的通知" in preview and "0518-1234567" in preview
    assert not DocumentTemplate.objects.exists()

    page.get_by_role("button", name="保存模板").click()
    page.wait_for_load_state("load")
    assert "文件模板已保存" in page.inner_text("main")
    assert "{评委会}{年度}年度评审结果的通知" in page.inner_text("#zc-templates")
    assert DocumentTemplate.objects.get(kind="result_document").contact == "联系电话：0518-1234567"
    journey.assert_reached(SECTION)
