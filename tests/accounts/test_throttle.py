"""Failed logins are throttled (allauth rate limits on the Django cache)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_cache_backend_keeps_counts():
    # A dummy cache would silently disable the rate limits.
    assert "DummyCache" not in settings.CACHES["default"]["BACKEND"]


def test_the_sixth_failed_attempt_is_refused_in_chinese(client, demo_users, demo_password):
    url = reverse("account_login")
    for _ in range(5):
        r = client.post(url, {"login": "applicant", "password": "wrong-password"})
        assert r.status_code == 200
        assert "用户名或密码不正确" in r.content.decode()
    # Even the right password is refused now: the account is locked for a while.
    r = client.post(url, {"login": "applicant", "password": demo_password})
    assert r.status_code == 200
    assert "登录失败次数过多" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_logins_do_not_count(client, demo_users, demo_password):
    url = reverse("account_login")
    for _ in range(6):
        r = client.post(url, {"login": "applicant", "password": demo_password})
        assert r.status_code == 302
        client.logout()
