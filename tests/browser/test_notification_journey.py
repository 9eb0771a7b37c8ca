"""Notifications in Chromium: the applicant chooses SMS on 我的账户 › 通知方式; an SMS that
fails is listed for the city office on 消息投递 with its reason, and 重发 sends it."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

pytestmark = pytest.mark.browser


class GatewaySms:
    up = False
    sent: list[str] = []

    def send(self, phone: str, text: str) -> None:
        if not GatewaySms.up:
            raise RuntimeError("gateway timeout")
        GatewaySms.sent.append(text)


def _login(page: Any, base: str, user: Any) -> None:
    """Officials' second factor is covered by tests/accounts; the session is made directly."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                               "value": cookie.value, "url": base}])


def test_notification_journey(page: Any, live_server: Any, demo_users: Any,
                              settings: Any) -> None:
    from zhicheng.applications.models import Delivery, DeliveryState
    from zhicheng.applications.notifications import notify

    settings.ZHICHENG_SMS_BACKEND = "tests.browser.test_notification_journey.GatewaySms"
    settings.ZHICHENG_DELIVERY_MAX_ATTEMPTS = 1
    GatewaySms.up, GatewaySms.sent = False, []
    base = live_server.url
    applicant = demo_users["applicant"]

    # 1. The applicant chooses SMS only, with their mobile number.
    _login(page, base, applicant)
    page.goto(f"{base}/")
    page.click("nav >> text=我的账户")
    page.click("text=修改通知方式")
    page.check("label:has-text('仅短信')")
    page.fill("#id_phone", "139 0000 1234")
    page.click("#notify-preferences button[type=submit]")
    page.wait_for_selector("text=通知方式已保存。")
    assert "仅短信" in page.inner_text("#notify-channels")
    assert "139****1234" in page.inner_text("#notify-channels")

    # 2. A notice's SMS fails (the gateway is down) and stops after the last attempt.
    applicant.refresh_from_db()
    notify(applicant, "review.unit_review", "单位已开始审核", url="/apply/")
    d = Delivery.objects.get(notification__user=applicant)
    assert (d.channel, d.state) == ("sms", DeliveryState.FAILED)

    # 3. The city office finds it on 消息投递 and, the gateway back, sends it again.
    GatewaySms.up = True
    _login(page, base, demo_users["city_office"])
    page.goto(f"{base}/")
    page.click("nav >> text=消息投递")
    table = page.inner_text("#deliveries")
    assert "发送出错（gateway timeout）" in table and "139****1234" in table
    page.click("#deliveries button:has-text('重发')")
    page.wait_for_selector("text=已重发：已发送")
    assert "没有发送失败的消息。" in page.inner_text("#deliveries")
    assert len(GatewaySms.sent) == 1 and GatewaySms.sent[0].startswith("【职称评审】")
