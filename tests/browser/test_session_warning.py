"""Before a session ends the page warns and offers 「继续使用」; when it has ended meanwhile,
the page says so, what was typed stays, and after signing in again it is back in the form
(zhicheng.accounts.sessions, portal.js)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _sign_in(page: Any, password: str) -> None:
    page.fill("input[name=login]", "applicant")
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")


def _age_session(page: Any, seconds: int) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    from zhicheng.accounts.sessions import SEEN

    [cookie] = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    store = SessionStore(session_key=cookie["value"])
    store[SEEN] = int(time.time()) - seconds
    store.save()


def test_the_warning_keeps_the_session_and_an_ended_one_keeps_the_typing(
        page, live_server, demo_users, demo_password, settings) -> None:
    settings.ZHICHENG_TODAY = "2024-07-15"
    settings.ZHICHENG_SESSION_WARNING_SECONDS = 3 * 3600  # warn at once (applicants: 120 min)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    _sign_in(page, demo_password)
    # To a form by clicking: 我的申报 → 个人资料 → 学历 新增.
    page.locator("#work-nav").get_by_role("link", name="我的申报").first.click()
    page.get_by_role("link", name="个人资料").first.click()
    page.locator("a[href$='/apply/profile/education/add/']").click()
    page.wait_for_url(re.compile(r".*/apply/profile/education/add/$"))
    warning = page.locator(".zc-session-warning")
    warning.wait_for()
    assert "分钟后将自动退出" in warning.inner_text()
    page.fill("#id_major", "材料成型及控制工程")

    with page.expect_response(re.compile(r".*/accounts/session/keepalive/$")) as answer:
        warning.get_by_role("button", name="继续使用").click()
    assert answer.value.status == 200  # the session goes on

    _age_session(page, 3 * 3600)  # meanwhile nobody touched the page for three hours
    with page.expect_response(re.compile(r".*/accounts/session/keepalive/$")) as answer:
        page.locator(".zc-session-warning").get_by_role("button", name="继续使用").click()
    assert answer.value.status == 401
    ended = page.locator(".zc-session-warning")
    ended.get_by_role("link", name="重新登录").wait_for()
    assert "本页已填写的内容已保留" in ended.inner_text()
    ended.get_by_role("link", name="重新登录").click()
    page.wait_for_url(re.compile(r".*/accounts/login/\?next=.*"))
    _sign_in(page, demo_password)
    page.wait_for_url(re.compile(r".*/apply/profile/education/add/$"))
    assert page.input_value("#id_major") == "材料成型及控制工程"
    assert "您重新登录前填写的内容已恢复" in page.inner_text(".zc-draft-restored")
