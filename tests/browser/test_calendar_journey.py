"""The city office enters next year's working-day calendar in Chromium: from the dashboard's
tab to the calendar page, the template workbook downloads, the filled-in form is checked and
previewed (nothing saved yet), and the year is published by confirming the preview."""

from __future__ import annotations

import pytest

from tests.browser.sessions import hand_session
from tests.factories.calendar import EXAMPLE_FORM_2027, EXAMPLE_SOURCE_2027

pytestmark = pytest.mark.browser


def test_template_form_preview_confirm(page, live_server, season, demo_users, settings):
    from zhicheng.core.models import CalendarDay, CalendarYear

    settings.ZHICHENG_TODAY = "2026-11-02"
    base = live_server.url
    hand_session(page, base, demo_users["city_office"])
    page.goto(f"{base}/supervision/")
    page.locator("nav .nav-link", has_text="工作日历").click()
    page.wait_for_url(f"{base}/supervision/calendar/")

    with page.expect_download() as download:
        page.click("#zc-calendar-template")
    assert "2027" in download.value.suggested_filename

    assert page.input_value("#f-year") == "2027"
    page.fill("#f-source", EXAMPLE_SOURCE_2027)
    for name, value in EXAMPLE_FORM_2027.items():
        page.fill(f"[name='{name}']", value)
    page.click("text=检查并预览")
    preview = page.inner_text("#zc-calendar-preview")
    assert "完整性检查通过" in preview and "2027年将有放假28天、调休上班4天" in preview
    assert "2027-02-20" in preview
    assert not CalendarYear.objects.filter(year=2027).exists()

    page.click("text=确认发布2027年工作日历")
    page.wait_for_url(f"{base}/supervision/calendar/")
    assert "已发布2027年工作日历" in page.inner_text("main")
    assert CalendarDay.objects.get(date="2027-02-20").is_workday
