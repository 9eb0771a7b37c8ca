"""An expired session on a form keeps what was typed: the applicant types
into a profile form, the session ends meanwhile (its cookie is gone), the post is sent to
the login page; after signing in again the same form shows the typed values, with a notice,
and saving them works. Logging out drops what was kept."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _sign_in(page: Any, password: str) -> None:
    page.fill("input[name=login]", "applicant")
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")


def test_typed_form_survives_an_expired_session(page, live_server, demo_users, demo_password,
                                                settings) -> None:
    settings.ZHICHENG_TODAY = "2024-07-15"
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    _sign_in(page, demo_password)
    page.goto(f"{base}/apply/profile/education/add/")
    page.fill("#id_major", "材料成型及控制工程")
    page.fill("#id_date", "2012-06-30")

    page.context.clear_cookies(name="sessionid")  # the session ran out while typing
    page.click("form.section-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/login/\?next=.*"))
    _sign_in(page, demo_password)
    page.wait_for_url(re.compile(r".*/apply/profile/education/add/$"))
    assert page.input_value("#id_major") == "材料成型及控制工程"
    assert page.input_value("#id_date") == "2012-06-30"
    assert "您重新登录前填写的内容已恢复" in page.inner_text(".zc-draft-restored")

    page.click("form.section-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/apply/profile/#education$"))
    assert "材料成型及控制工程" in page.inner_text("main")

    page.click("header >> text=退出")
    page.wait_for_load_state("load")
    assert not page.evaluate(
        "Object.keys(sessionStorage).filter(k => k.startsWith('zc-draft:')).length")
