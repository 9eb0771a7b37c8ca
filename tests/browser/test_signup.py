"""An applicant signs up in Chromium, confirms the email and sees 我的账户."""

from __future__ import annotations

import re

import pytest
from stdnum.cn import ric

pytestmark = pytest.mark.browser

FIRST17 = "32070619951120234"  # fictional: 海州区, 1995-11-20, 17th digit 4: female
ID_NUMBER = FIRST17 + ric.calc_check_digit(FIRST17 + "0")


def test_applicant_signs_up_through_the_pages(page, live_server, season, mailoutbox):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("#id_full_name", "王小丽")
    page.select_option("#id_id_type", "resident")
    # A typo first: the form says why, in Chinese, and keeps what was typed.
    page.fill("#id_id_number", ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1"))
    page.fill("#id_phone", "13700001111")
    page.fill("#id_username", "wangxl")
    page.fill("#id_email", "wangxl@example.invalid")
    page.fill("#id_password1", "Lyg-title-2024!")
    page.fill("#id_password2", "Lyg-title-2024!")
    page.click("#signup-form button[type=submit]")
    page.wait_for_selector(".field-error")
    assert "校验位" in page.inner_text("#row-id_number")
    assert page.input_value("#id_full_name") == "王小丽"
    assert page.input_value("#id_email") == "wangxl@example.invalid"
    assert page.is_hidden("#row-birth_date")  # read from the resident ID

    page.fill("#id_id_number", ID_NUMBER)
    page.fill("#id_password1", "Lyg-title-2024!")
    page.fill("#id_password2", "Lyg-title-2024!")
    page.click("#signup-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))

    body = mailoutbox[-1].body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body).group(0)
    page.goto(link)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("#work-nav").get_by_role("link", name="我的申报").count() == 1
    page.click("header >> text=我的账户")
    page.wait_for_url(re.compile(r".*/accounts/me/$"))

    text = page.inner_text("main")
    assert "我的账户" in text and "王小丽" in text
    assert "3207**********" + ID_NUMBER[-4:] in text
    assert ID_NUMBER not in page.content()
    assert "1995-11-20" in text and "女" in text
