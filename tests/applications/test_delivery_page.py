"""消息投递 (city office): failed deliveries with their reason, 重发 audited; others see
nothing of it (docs/notifications.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhicheng.applications.models import DeliveryState
from zhicheng.applications.notifications import notify
from zhicheng.core.models import AuditEvent
from zhicheng.portal.navigation import build

pytestmark = pytest.mark.django_db


class DownSms:
    up = False

    def send(self, phone: str, text: str) -> None:
        if not DownSms.up:
            raise RuntimeError("gateway timeout")


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def failed(settings: Any, demo_users: Any, django_capture_on_commit_callbacks: Any) -> Any:
    settings.ZHICHENG_SMS_BACKEND = "tests.applications.test_delivery_page.DownSms"
    settings.ZHICHENG_DELIVERY_MAX_ATTEMPTS = 1
    DownSms.up = False
    person = demo_users["applicant"]
    person.notify_channels = "sms"
    person.save(update_fields=["notify_channels"])
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(person, "review.unit_review", "单位已开始审核", url="/apply/")
    return n.deliveries.get()


def test_the_city_office_reaches_the_page_by_its_work_bar(demo_users: Any) -> None:
    links = [link.url for g in build(demo_users["city_office"]).groups for link in g.links]
    assert reverse("applications:deliveries") in links
    links = [link.url for g in build(demo_users["applicant"]).groups for link in g.links]
    assert reverse("applications:deliveries") not in links


def test_failed_deliveries_show_the_reason_and_a_masked_number(failed: Any,
                                                               demo_users: Any) -> None:
    assert (failed.state, failed.next_attempt_at) == (DeliveryState.FAILED, None)
    page = client_for(demo_users["city_office"]).get(reverse("applications:deliveries"))
    text = page.content.decode()
    assert "发送出错（gateway timeout）" in text and "发送失败" in text
    assert "138****0001" in text and "13800000001" not in text
    assert "已停止重试" in text and "重发" in text


def test_resend_is_audited_and_sends(failed: Any, demo_users: Any,
                                     django_capture_on_commit_callbacks: Any) -> None:
    DownSms.up = True
    c = client_for(demo_users["city_office"])
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("applications:resend_delivery", args=[failed.pk]))
    assert r.status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (DeliveryState.SENT, 1)
    event = AuditEvent.objects.filter(action="notification.resend").latest("pk")
    assert event.actor_id == demo_users["city_office"].pk
    assert "gateway timeout" in event.summary
    # A sent message cannot be resent.
    r = c.post(reverse("applications:resend_delivery", args=[failed.pk]), follow=True)
    assert "不能执行此操作" in r.content.decode()


def test_others_cannot_see_or_resend(failed: Any, demo_users: Any) -> None:
    for name in ("applicant", "haizhou_reviewer"):
        c = client_for(demo_users[name])
        assert c.get(reverse("applications:deliveries")).status_code == 404
        assert c.post(reverse("applications:resend_delivery", args=[failed.pk])) \
            .status_code == 404
    failed.refresh_from_db()
    assert failed.state == DeliveryState.FAILED
