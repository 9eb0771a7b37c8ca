"""Sessions end after inactivity and after an absolute lifetime (docs/security.md
§Sessions): the person is sent to the login page with the address they wanted, told why,
and the audit records it with the client address. Pages tell the browser how long is left."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from zhicheng.accounts.sessions import SEEN, STARTED
from zhicheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    c = Client(REMOTE_ADDR="198.51.100.7")
    c.force_login(user)
    return c


def age(client: Client, *, idle_minutes: float = 0, since_login_hours: float = 0) -> None:
    """The session as it would be after this long without a request / since the login."""
    session = client.session
    now = time.time()
    session[SEEN] = int(now - idle_minutes * 60)
    session[STARTED] = int(min(now - idle_minutes * 60, now - since_login_hours * 3600))
    session.save()


def test_an_official_idle_for_31_minutes_is_signed_out_and_sent_to_log_in(demo_users):
    office = demo_users["city_office"]
    c = signed_in(office)
    assert c.get("/supervision/").status_code == 200
    age(c, idle_minutes=31)
    r = c.get("/supervision/?plan=3")
    assert r.status_code == 302
    assert r["Location"] == reverse("account_login") + "?next=%2Fsupervision%2F%3Fplan%3D3"
    page = c.get(r["Location"])
    assert "您已超过 30 分钟未操作，为安全起见已自动退出" in page.content.decode()
    assert c.get("/supervision/").status_code == 302  # signed out, not just redirected once
    [event] = AuditEvent.objects.filter(action="auth.session_expired")
    assert event.actor_id == office.pk
    assert event.data == {"client_address": "198.51.100.7", "reason": "idle"}
    assert "会话超时" in event.summary and "198.51.100.7" in event.summary
    assert not AuditEvent.objects.filter(action="auth.logout").exists()


def test_an_official_active_within_the_timeout_stays_signed_in(demo_users):
    c = signed_in(demo_users["haizhou_reviewer"])
    age(c, idle_minutes=29)
    assert c.get("/review/").status_code == 200
    age(c, idle_minutes=29)  # every request renews the idle timeout
    assert c.get("/review/").status_code == 200
    assert not AuditEvent.objects.filter(action="auth.session_expired").exists()


def test_applicants_have_a_longer_idle_timeout(demo_users):
    c = signed_in(demo_users["applicant"])
    age(c, idle_minutes=60)
    assert c.get("/apply/").status_code == 200
    age(c, idle_minutes=121)
    r = c.get("/apply/")
    assert r.status_code == 302 and r["Location"].startswith(reverse("account_login"))


def test_the_idle_timeout_is_configurable(demo_users, settings):
    settings.ZHICHENG_SESSION_IDLE_MINUTES = 5
    c = signed_in(demo_users["city_office"])
    age(c, idle_minutes=6)
    r = c.get("/supervision/")
    assert r.status_code == 302
    assert "超过 5 分钟未操作" in c.get(r["Location"]).content.decode()


def test_an_active_session_still_ends_after_its_absolute_lifetime(demo_users):
    office = demo_users["city_office"]
    c = signed_in(office)
    age(c, idle_minutes=1, since_login_hours=12.1)
    r = c.get("/supervision/")
    assert r.status_code == 302
    assert "您本次登录已满 12 小时" in c.get(r["Location"]).content.decode()
    [event] = AuditEvent.objects.filter(action="auth.session_expired")
    assert event.data["reason"] == "lifetime"


def test_a_form_posted_after_expiry_goes_to_the_login_with_its_address(demo_users):
    """The typing itself is kept by the browser (tests/browser/test_session_expiry.py)."""
    c = signed_in(demo_users["applicant"])
    age(c, idle_minutes=130)
    r = c.post("/apply/profile/education/add/", {"major": "机械"})
    assert r.status_code == 302
    assert r["Location"] == (reverse("account_login")
                             + "?next=%2Fapply%2Fprofile%2Feducation%2Fadd%2F")


def test_pages_say_how_long_the_session_has_left_and_keepalive_renews_it(demo_users):
    c = signed_in(demo_users["city_office"])
    age(c, idle_minutes=25)
    r = c.post(reverse("session_keepalive"))
    assert r.status_code == 200
    body = r.json()
    assert body["expired"] is False and 1790 <= body["idle"] <= 1800
    html = c.get("/supervision/").content.decode()
    m = re.search(
        r'id="zc-session" hidden data-idle="(\d+)" data-lifetime="(\d+)" data-warn="120"', html)
    assert m and 1790 <= int(m.group(1)) <= 1800 and int(m.group(2)) > 11 * 3600
    assert 'id="zc-session"' not in Client().get("/").content.decode()


def test_keepalive_after_the_end_answers_expired(demo_users):
    c = signed_in(demo_users["city_office"])
    age(c, idle_minutes=40)
    r = c.post(reverse("session_keepalive"))
    assert r.status_code == 401 and r.json()["expired"] is True
    assert "超过 30 分钟未操作" in r.json()["message"]
