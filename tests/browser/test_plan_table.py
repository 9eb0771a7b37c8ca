"""The public plan table in Chromium: filter to 市工信局 and switch to English."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def shown_rows(page) -> list[int]:
    return [
        int(r) for r in page.eval_on_selector_all("tr.zc-plan", "rs => rs.map(r => r.dataset.row)")
    ]


def test_filter_plan_table_to_the_industry_bureau(page, live_server, season, settings):
    settings.ZHICHENG_TODAY = "2024-07-15"
    page.goto(f"{live_server.url}/plans/")
    assert len(shown_rows(page)) == 53
    assert page.is_visible("#gap-21-40")

    # htmx refreshes the table when the select changes (no full page load).
    page.select_option("#id_office", "市工信局")
    page.wait_for_function("() => document.querySelectorAll('tr.zc-plan').length === 10")
    assert shown_rows(page) == list(range(44, 54))
    assert "office=%E5%B8%82%E5%B7%A5%E4%BF%A1%E5%B1%80" in page.url  # pushed to the address bar
    assert page.is_hidden("#gap-21-40")
    assert "推断自第49行" in page.inner_text("#row-45")


def test_filter_without_javascript(browser, live_server, season):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/plans/")
        page.select_option("#id_office", "市工信局")
        with page.expect_navigation():
            page.click("#filter-submit")
        assert shown_rows(page) == list(range(44, 54))
        assert page.input_value("#id_office") == "市工信局"
    finally:
        context.close()


def test_switch_to_english(page, live_server, season, settings):
    settings.ZHICHENG_TODAY = "2024-07-15"
    page.goto(f"{live_server.url}/plans/")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert "评审计划表" in page.inner_text("nav")
    with page.expect_navigation():
        page.click("form.zc-lang button[value=en]")
    assert page.url.endswith("/plans/")
    assert page.get_attribute("html", "lang") == "en"
    assert "Evaluation plan table" in page.inner_text("nav")
    assert "Demo date: July 15, 2024" in page.inner_text("header")
    assert len(shown_rows(page)) == 53
    with page.expect_navigation():
        page.click("form.zc-lang button[value=zh-hans]")
    assert "评审计划表" in page.inner_text("nav")


def test_plan_table_on_a_phone(page, live_server, season):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/plans/")
    # Rows become cards: no horizontal scrolling on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert page.is_visible("#row-1")
