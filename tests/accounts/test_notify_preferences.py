"""我的账户 › 通知方式: a person chooses e-mail, SMS or both and gives a valid mobile number;
the number is shown masked and the change is audited with the number masked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhicheng.accounts.models import User
from zhicheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db: Any) -> Any:
    user = User.objects.create_user(username="pref_person", password="pw-zhicheng-2024",
                                    email="pref@example.invalid", full_name="李通知")
    client = Client()
    client.force_login(user)
    return user, client


def test_the_account_page_links_to_the_preferences(person: Any) -> None:
    _, client = person
    page = client.get(reverse("my_account")).content.decode()
    assert reverse("notify_preferences") in page and "通知方式" in page


def test_sms_needs_a_valid_mobile_number_and_nothing_is_saved_otherwise(person: Any) -> None:
    user, client = person
    r = client.post(reverse("notify_preferences"), {"notify_channels": "both", "phone": ""})
    assert r.status_code == 200
    assert "选择短信通知须填写11位中国大陆手机号码。" in r.content.decode()
    r = client.post(reverse("notify_preferences"), {"notify_channels": "sms", "phone": "12345"})
    assert "请填写有效的电话号码" in r.content.decode()
    user.refresh_from_db()
    assert (user.notify_channels, user.phone) == ("", "")


def test_a_choice_is_saved_shown_masked_and_audited_masked(person: Any) -> None:
    user, client = person
    r = client.post(reverse("notify_preferences"),
                    {"notify_channels": "both", "phone": "138 1234 5678"})
    assert r.status_code == 302 and r["Location"] == reverse("my_account")
    user.refresh_from_db()
    assert (user.notify_channels, user.phone) == ("both", "13812345678")
    page = client.get(reverse("my_account")).content.decode()
    assert "电子邮件和短信" in page and "138****5678" in page and "13812345678" not in page
    event = AuditEvent.objects.filter(action="accounts.notify_preferences").latest("pk")
    assert "13812345678" not in str(event.data) and "138****5678" in str(event.data)
