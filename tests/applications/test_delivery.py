"""Notifications that reach people (docs/notifications.md): a delivery record per message and
channel, retried with exponential backoff; SMS beside e-mail through a provider interface;
Aliyun's signed request against a local fake of its API; per-person channel preferences."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from zhicheng.accounts.models import NotifyChannels
from zhicheng.applications import delivery, sms, tasks
from zhicheng.applications.models import Delivery, DeliveryState
from zhicheng.applications.notifications import notify
from zhicheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SECRET = "s3cr3t-ACCESS-key-never-logged"


class FlakySms:
    """An SMS backend that refuses the first `fail` texts, then accepts."""

    fail = 0
    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        if FlakySms.fail > 0:
            FlakySms.fail -= 1
            raise sms.SmsError("短信网关暂时不可用")
        FlakySms.sent.append((phone, text))


@pytest.fixture
def flaky(settings: Any) -> type[FlakySms]:
    settings.ZHICHENG_SMS_BACKEND = "tests.applications.test_delivery.FlakySms"
    settings.ZHICHENG_SITE_URL = "https://zc.example.cn"
    FlakySms.fail, FlakySms.sent = 0, []
    return FlakySms


@pytest.fixture
def person(make_applicant: Any) -> Any:
    user = make_applicant()
    user.phone = "13812345678"
    user.save(update_fields=["phone"])
    return user


def test_links_are_absolute_and_an_email_is_sent_once(
    person: Any, flaky: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(person, "review.unit_review", "单位已开始审核", "单位已开始审核您的申报。",
                   url="/review/mine/7/")
    (mail,) = mailoutbox
    assert "https://zc.example.cn/review/mine/7/" in mail.body
    assert mail.subject == "[职称评审] 单位已开始审核"
    (d,) = n.deliveries.all()  # no deadline, no preference: e-mail only
    assert (d.channel, d.state, d.attempts) == ("email", DeliveryState.SENT, 1)
    n.refresh_from_db()
    assert n.emailed_at is not None
    assert tasks.deliver(d.pk) is False  # a sent message is never sent again
    assert len(mailoutbox) == 1


def test_a_failing_sms_is_retried_with_backoff_until_it_is_sent(
    person: Any, flaky: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    flaky.fail = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            n = notify(person, "review.correction_reminder", "补正期限即将届满",
                       url="/review/mine/7/", due=dt.date(2024, 7, 30))
        d = n.deliveries.get(channel="sms")
        assert (d.state, d.attempts) == (DeliveryState.FAILED, 1)
        assert d.last_error == "短信网关暂时不可用"
        assert d.next_attempt_at == start + dt.timedelta(seconds=60)
        assert tasks.retry_deliveries() == 0  # not due yet: nothing is tried
        d.refresh_from_db()
        assert d.attempts == 1
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        assert tasks.retry_deliveries() == 0
        d.refresh_from_db()
        assert d.attempts == 2
        assert d.next_attempt_at == start + dt.timedelta(seconds=61 + 120)  # doubled
    with time_machine.travel(start + dt.timedelta(seconds=61 + 121), tick=False):
        assert tasks.retry_deliveries() == 1
    d.refresh_from_db()
    assert (d.state, d.attempts, d.next_attempt_at, d.last_error) == (
        DeliveryState.SENT, 3, None, "")
    assert flaky.sent == [("13812345678", d.text)]
    assert "2024-07-30" in d.text and "https://zc.example.cn/review/mine/7/" in d.text


def test_after_the_last_attempt_a_delivery_waits_for_the_city_office(
    person: Any, flaky: Any, settings: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    settings.ZHICHENG_DELIVERY_MAX_ATTEMPTS = 2
    flaky.fail = 5
    start = timezone.now()
    with time_machine.travel(start, tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        n = notify(person, "review.correction_reminder", "补正期限即将届满",
                   due=dt.date(2024, 7, 30))
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        tasks.retry_deliveries()
    d = n.deliveries.get(channel="sms")
    assert (d.state, d.attempts, d.next_attempt_at) == (DeliveryState.FAILED, 2, None)
    with time_machine.travel(start + dt.timedelta(days=2), tick=False):
        assert tasks.retry_deliveries() == 0  # given up: only 重发 sends it again


def test_backoff_doubles_and_is_capped() -> None:
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert delivery.backoff(30) == dt.timedelta(hours=6)


@pytest.mark.parametrize(("choice", "kind", "expected"), [
    ("", "review.unit_review", ["email"]),
    ("", "review.corrections_requested", ["email", "sms"]),  # a deadline: both by default
    (NotifyChannels.EMAIL, "review.corrections_requested", ["email"]),
    (NotifyChannels.SMS, "review.unit_review", ["sms"]),
    (NotifyChannels.BOTH, "review.unit_review", ["email", "sms"]),
])
def test_preferences_are_respected(person: Any, flaky: Any, choice: str, kind: str,
                                   expected: list[str]) -> None:
    person.notify_channels = choice
    person.save(update_fields=["notify_channels"])
    n = notify(person, kind, "标题", due=dt.date(2024, 7, 30))
    assert sorted(n.deliveries.values_list("channel", flat=True)) == expected


def test_no_sms_without_a_valid_mobile_number_or_without_a_provider(
    person: Any, flaky: Any, settings: Any,
) -> None:
    person.phone = "0518-1234567"
    person.save(update_fields=["phone"])
    n = notify(person, "review.corrections_requested", "请补正申报材料", due=dt.date(2024, 7, 30))
    assert list(n.deliveries.values_list("channel", flat=True)) == ["email"]
    person.phone = "13812345678"
    person.save(update_fields=["phone"])
    settings.ZHICHENG_SMS_BACKEND = ""
    n = notify(person, "review.corrections_requested", "请补正申报材料", due=dt.date(2024, 7, 30))
    assert list(n.deliveries.values_list("channel", flat=True)) == ["email"]


def test_sms_texts_are_short_chinese_and_name_the_deadline() -> None:
    link = "https://zc.example.cn/review/mine/12/"
    for kind in delivery.SMS_TEMPLATES:
        text = delivery.sms_text(kind, "您被抽取为连云港市工程系列中级评委会评委", link,
                                 dt.date(2024, 7, 30))
        assert sms.segments(text) == 1, text
        assert text.startswith("【职称评审】") and text.endswith(link)
    text = delivery.sms_text("review.corrections_requested", "请补正申报材料", link,
                             dt.date(2024, 7, 30))
    assert "2024-07-30前补正申报材料" in text


def test_the_console_backend_masks_the_number() -> None:
    out = io.StringIO()
    sms.ConsoleSmsBackend(out).send("13812345678", "【职称评审】测试")
    assert out.getvalue() == "[短信] 发往 138****5678：【职称评审】测试\n"


# --- Aliyun SMS against a local fake of its API ---------------------------------------------


class FakeAliyun(BaseHTTPRequestHandler):
    """Checks the signature the way Aliyun does and answers like dysmsapi."""

    received: list[dict[str, str]] = []
    answer: dict[str, str] = {"Code": "OK", "Message": "OK", "BizId": "1", "RequestId": "r"}

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        params = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8")))
        FakeAliyun.received.append(dict(params))
        signature = params.pop("Signature", "")
        if signature != sms.aliyun_signature(params, SECRET):
            body = {"Code": "SignatureDoesNotMatch", "Message": "signature is not matched"}
            status = 400
        else:
            body, status = FakeAliyun.answer, 200
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def fake_aliyun(settings: Any) -> Any:
    server = HTTPServer(("127.0.0.1", 0), FakeAliyun)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeAliyun.received = []
    FakeAliyun.answer = {"Code": "OK", "Message": "OK", "BizId": "1", "RequestId": "r"}
    settings.ZHICHENG_SMS_BACKEND = "aliyun"
    settings.ZHICHENG_SMS_ALIYUN_ENDPOINT = f"http://127.0.0.1:{server.server_port}/"
    settings.ZHICHENG_SMS_ALIYUN_ACCESS_KEY_ID = "LTAI-test-id"
    settings.ZHICHENG_SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET
    settings.ZHICHENG_SMS_ALIYUN_SIGN_NAME = "连云港职称评审"
    settings.ZHICHENG_SMS_ALIYUN_TEMPLATE_CODE = "SMS_123456789"
    yield FakeAliyun
    server.shutdown()
    server.server_close()


def test_the_signature_follows_aliyun_s_published_example() -> None:
    """The worked example of Aliyun's RPC signature v1 documentation (DescribeRegions)."""
    params = {
        "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
    }
    assert sms.aliyun_signature(params, "testsecret", method="GET") == \
        "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_aliyun_receives_a_correctly_signed_request(fake_aliyun: Any) -> None:
    sms.get_backend().send("13812345678", "【职称评审】请于2024-07-30前补正：https://zc.example.cn/")
    (params,) = fake_aliyun.received
    assert params["Action"] == "SendSms" and params["PhoneNumbers"] == "13812345678"
    assert params["SignName"] == "连云港职称评审" and params["TemplateCode"] == "SMS_123456789"
    assert json.loads(params["TemplateParam"]) == {
        "content": "【职称评审】请于2024-07-30前补正：https://zc.example.cn/"}
    assert SECRET not in json.dumps(params, ensure_ascii=False)


def test_a_refusal_is_recorded_without_any_secret(
    fake_aliyun: Any, person: Any, caplog: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    fake_aliyun.answer = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发小时级流控"}
    caplog.set_level(logging.DEBUG)
    person.notify_channels = NotifyChannels.SMS
    person.save(update_fields=["notify_channels"])
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(person, "review.unit_review", "单位已开始审核")
    d = n.deliveries.get()
    assert d.state == DeliveryState.FAILED
    assert "拒绝发送" in d.last_error and "流控" in d.last_error
    signature = fake_aliyun.received[0]["Signature"]
    events = json.dumps(list(AuditEvent.objects.values()), default=str, ensure_ascii=False)
    for secret in (SECRET, signature):
        assert secret not in caplog.text
        assert secret not in d.last_error
        assert secret not in events
    assert SECRET not in repr(sms.get_backend())


def test_an_unreachable_provider_is_a_failure_not_an_error(fake_aliyun: Any, settings: Any) -> None:
    settings.ZHICHENG_SMS_ALIYUN_ENDPOINT = "http://127.0.0.1:9/"
    with pytest.raises(sms.SmsError, match="无法连接短信服务商"):
        sms.get_backend().send("13812345678", "【职称评审】测试")


def test_deliveries_are_stored_per_channel(person: Any, flaky: Any) -> None:
    person.notify_channels = NotifyChannels.BOTH
    person.save(update_fields=["notify_channels"])
    n = notify(person, "review.unit_review", "单位已开始审核", url="/review/mine/3/")
    rows = {d.channel: d for d in Delivery.objects.filter(notification=n)}
    assert rows["email"].address == person.email and rows["sms"].address == "13812345678"
    assert all(d.state == DeliveryState.QUEUED for d in rows.values())


def test_the_embedded_ticker_retries_a_failed_delivery(
    person: Any, flaky: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    from zhicheng.core.ticker import run_periodic_tasks

    flaky.fail = 1
    start = timezone.now()
    with time_machine.travel(start, tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        n = notify(person, "review.correction_reminder", "补正期限即将届满",
                   due=dt.date(2024, 7, 30))
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        assert run_periodic_tasks()["applications.retry_deliveries"] == 1
    assert n.deliveries.get(channel="sms").state == DeliveryState.SENT
