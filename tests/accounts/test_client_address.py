"""Logins behind every documented deployment, and throttles per client and per account
(docs/security.md).

The single machine: nginx talks to gunicorn on a unix socket, where REMOTE_ADDR is empty and
nginx appends the client to X-Forwarded-For (ZHICHENG_PROXY_COUNT=1). Several app servers: a
load balancer in front of nginx (count 2). Plain TCP without a proxy: count 0.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from allauth.core.internal import ratelimit
from django.test import Client, RequestFactory
from django.urls import reverse

from zhicheng.core.network import client_address

pytestmark = pytest.mark.django_db

LOGIN = "account_login"
NGINX = "127.0.0.1"  # what a TCP peer looks like behind nginx on the same machine


@pytest.fixture(autouse=True)
def _one_instant(monkeypatch, settings):
    """The throttles' windows are time-based: stop their clock so a slow machine cannot
    slide a window open mid-test, and hash the test accounts' passwords cheaply."""
    now = time.time()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(
        time=lambda: now, monotonic=time.monotonic, sleep=time.sleep))
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


def _request(remote: str, forwarded: str | None = None) -> Any:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "198.51.100.7", None, "198.51.100.7"),           # TCP, no proxy
        (0, "198.51.100.7", "1.2.3.4", "198.51.100.7"),      # a client's header is ignored
        (1, "", "203.0.113.9", "203.0.113.9"),               # unix socket behind nginx
        (1, NGINX, "6.6.6.6, 203.0.113.9", "203.0.113.9"),   # forged entry on the left
        (2, "10.0.0.20", "6.6.6.6, 203.0.113.9, 10.0.0.10", "203.0.113.9"),  # balancer
        (1, "", "2001:db8::5", "2001:db8::5"),
        (1, "", "203.0.113.9:51234", "203.0.113.9"),
        (1, NGINX, "not-an-address", None),
        (1, NGINX, None, NGINX),                             # a check that skipped nginx
        (0, "", None, None),                                  # unix socket, nothing known
    ],
)
def test_client_address_follows_the_trusted_proxy_count(settings, count, remote, forwarded,
                                                         expected):
    settings.ZHICHENG_PROXY_COUNT = count
    assert client_address(_request(remote, forwarded)) == expected


def test_allauth_uses_the_same_address(settings):
    from allauth.account.adapter import get_adapter

    settings.ZHICHENG_PROXY_COUNT = 1
    request = _request("", "6.6.6.6, 203.0.113.9")
    assert get_adapter(request).get_client_ip(request) == "203.0.113.9"


def _unix_socket_client(address: str) -> Client:
    """A browser whose requests reach gunicorn through nginx on the unix socket."""
    return Client(REMOTE_ADDR="", HTTP_X_FORWARDED_FOR=address, HTTP_X_FORWARDED_PROTO="https")


def test_login_on_the_unix_socket_behind_nginx(settings, demo_users, demo_password):
    settings.ZHICHENG_PROXY_COUNT = 1
    c = _unix_socket_client("203.0.113.9")
    r = c.post(reverse(LOGIN), {"login": "applicant", "password": demo_password})
    assert r.status_code == 302
    assert c.session["_auth_user_id"] == str(demo_users["applicant"].pk)


def test_login_on_a_unix_socket_with_no_proxy_count_still_works(settings, demo_users,
                                                                 demo_password):
    # A misconfiguration (count 0 on the socket) must not lock everybody out with a 403.
    settings.ZHICHENG_PROXY_COUNT = 0
    c = Client(REMOTE_ADDR="")
    r = c.post(reverse(LOGIN), {"login": "applicant", "password": demo_password})
    assert r.status_code == 302


def test_login_over_tcp_without_a_proxy(settings, demo_users, demo_password):
    settings.ZHICHENG_PROXY_COUNT = 0
    c = Client(REMOTE_ADDR="198.51.100.7")
    r = c.post(reverse(LOGIN), {"login": "applicant", "password": demo_password})
    assert r.status_code == 302


def test_login_behind_a_load_balancer_and_nginx(settings, demo_users, demo_password):
    settings.ZHICHENG_PROXY_COUNT = 2
    c = Client(REMOTE_ADDR="10.0.0.20", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.10")
    r = c.post(reverse(LOGIN), {"login": "applicant", "password": demo_password})
    assert r.status_code == 302


@pytest.fixture
def citizens(django_user_model) -> list[Any]:
    from allauth.account.models import EmailAddress

    people = []
    for n in range(12):
        user = django_user_model.objects.create_user(
            f"citizen{n}", email=f"Citizen{n}@Example.invalid", password=f"Right-pass-{n}!"
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        people.append(user)
    return people


def test_many_clients_behind_one_proxy_do_not_lock_each_other_out(settings, citizens):
    """Twelve people in twelve places, each mistyping once, all behind the same nginx: each
    then logs in with the right password (the per-address limit is per client)."""
    settings.ZHICHENG_PROXY_COUNT = 1
    for n, _ in enumerate(citizens):
        c = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
        r = c.post(reverse(LOGIN), {"login": f"citizen{n}", "password": "typo"})
        assert "用户名或密码不正确" in r.content.decode()
    for n, _ in enumerate(citizens):
        c = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
        r = c.post(reverse(LOGIN), {"login": f"citizen{n}", "password": f"Right-pass-{n}!"})
        assert r.status_code == 302, n


def test_more_than_thirty_logins_a_minute_across_the_city(settings, citizens):
    # allauth allows 30 login attempts a minute per address: per client, not per proxy.
    settings.ZHICHENG_PROXY_COUNT = 1
    for attempt in range(36):
        n = attempt % len(citizens)
        c = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt + 1}")
        r = c.post(reverse(LOGIN), {"login": f"citizen{n}", "password": f"Right-pass-{n}!"})
        assert r.status_code == 302, attempt


def test_one_client_guessing_many_accounts_is_still_stopped(settings, citizens):
    settings.ZHICHENG_PROXY_COUNT = 1
    guesser = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="192.0.2.66")
    for n in range(10):
        guesser.post(reverse(LOGIN), {"login": f"citizen{n}", "password": "guess"})
    r = guesser.post(reverse(LOGIN), {"login": "citizen10", "password": "Right-pass-10!"})
    assert "_auth_user_id" not in guesser.session
    assert r.status_code in (200, 429)
    # The person at another address is not affected.
    other = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="192.0.2.67")
    r = other.post(reverse(LOGIN), {"login": "citizen10", "password": "Right-pass-10!"})
    assert r.status_code == 302


@pytest.mark.parametrize("second_route", ["citizen3@example.invalid", "CITIZEN3@EXAMPLE.INVALID",
                                          "Citizen3", "citizen3"])
def test_lockout_is_per_account_whatever_identifier(settings, citizens, second_route):
    """Five wrong passwords, each from a different address and a different spelling of the
    account: the account is locked, also through its e-mail address in any case."""
    settings.ZHICHENG_PROXY_COUNT = 1
    spellings = ["citizen3", "CITIZEN3", "citizen3@example.invalid", "Citizen3@Example.invalid",
                 "CiTiZeN3"]
    for n, login in enumerate(spellings):
        c = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
        c.post(reverse(LOGIN), {"login": login, "password": "wrong"})
    c = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.99")
    r = c.post(reverse(LOGIN), {"login": second_route, "password": "Right-pass-3!"})
    assert "登录失败次数过多" in r.content.decode()
    assert "_auth_user_id" not in c.session
    # Another account is not affected.
    r = c.post(reverse(LOGIN), {"login": "citizen4", "password": "Right-pass-4!"})
    assert r.status_code == 302
