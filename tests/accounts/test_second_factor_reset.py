"""The city office resets an official's lost second factor on its own page (docs/accounts.md):
found from the work bar, with a reason, after the password again; audited; the official is
told by e-mail and must set up a new authenticator at the next login."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse

from zhicheng.accounts.operations import reset_second_factor
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import NotPermitted, OperationError

pytestmark = pytest.mark.django_db
PAGE = reverse("second_factor_reset")


def signed_in(user) -> Client:
    c = Client(REMOTE_ADDR="192.0.2.44")
    c.force_login(user)
    return c


def test_the_city_office_resets_a_lost_second_factor(
        demo_users, demo_password, django_capture_on_commit_callbacks):
    office, reviewer = demo_users["city_office"], demo_users["haizhou_reviewer"]
    assert Authenticator.objects.filter(user=reviewer).exists()
    c = signed_in(office)
    reviewers_desk = signed_in(reviewer)  # the official's own session, open before the reset
    assert reviewers_desk.get("/review/").status_code == 200
    bar = c.get("/supervision/").content.decode()
    assert f'href="{PAGE}"' in bar and "重置双重认证" in bar
    page = c.get(PAGE + "?q=haizhou").content.decode()
    assert "haizhou_reviewer" in page and "已启用" in page and "city_office" not in page

    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(PAGE, {"user": reviewer.pk, "reason": "手机丢失，已电话核实本人"}, follow=True)
    assert "已重置" in r.content.decode() and "并已通知本人" in r.content.decode()
    assert not Authenticator.objects.filter(user=reviewer).exists()
    [event] = AuditEvent.objects.filter(action="auth.mfa_reset_by_office")
    assert event.actor_id == office.pk and event.target_id == str(reviewer.pk)
    assert event.data["reason"] == "手机丢失，已电话核实本人"
    assert event.data["client_address"] == "192.0.2.44"
    assert "市职称办重置双重认证" in event.summary
    [message] = mail.outbox
    assert message.to == [reviewer.email] and "已被市职称办重置" in message.subject
    assert "手机丢失" in message.body and "重新完成设置" in message.body

    # The session open before the reset ends at its next request.
    r = reviewers_desk.get("/review/")
    assert r.status_code == 302 and r["Location"].startswith(reverse("account_login"))
    assert "双重认证已被市职称办重置" in reviewers_desk.get(r["Location"]).content.decode()
    [ended] = AuditEvent.objects.filter(action="auth.session_expired")
    assert ended.actor_id == reviewer.pk and ended.data["reason"] == "revoked"
    assert signed_in(office).get("/supervision/").status_code == 200  # others are untouched

    # The official's next login asks for a new authenticator, not for the lost one's code.
    fresh = Client()
    fresh.post(reverse("account_login"), {"login": "haizhou_reviewer", "password": demo_password})
    r = fresh.get("/review/")
    assert r.status_code == 302 and r["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_reset_without_a_reason_is_refused_and_changes_nothing(demo_users):
    reviewer = demo_users["haizhou_reviewer"]
    r = signed_in(demo_users["city_office"]).post(PAGE, {"user": reviewer.pk, "reason": "  "})
    assert r.status_code == 422 and "请填写重置原因" in r.content.decode()
    assert Authenticator.objects.filter(user=reviewer).exists()
    assert not AuditEvent.objects.filter(action="auth.mfa_reset_by_office").exists()


def test_only_the_city_office_and_never_for_itself(demo_users):
    reviewer, office = demo_users["haizhou_reviewer"], demo_users["city_office"]
    assert signed_in(reviewer).get(PAGE).status_code == 403
    assert signed_in(reviewer).post(
        PAGE, {"user": office.pk, "reason": "试图重置"}).status_code == 403
    with pytest.raises(NotPermitted):
        reset_second_factor(reviewer, office, reason="试图重置", client_address=None)
    with pytest.raises(OperationError, match="不能重置本人"):
        reset_second_factor(office, office, reason="本人手机丢失", client_address=None)
    assert Authenticator.objects.filter(user=office).exists()
    assert f'href="{PAGE}"' not in signed_in(reviewer).get("/review/").content.decode()


def test_the_reset_asks_for_the_password_again_after_five_minutes(demo_users):
    import time

    from zhicheng.accounts.sessions import STARTED

    c = signed_in(demo_users["city_office"])
    session = c.session
    session[STARTED] = int(time.time() - 600)
    session.save()
    reviewer = demo_users["haizhou_reviewer"]
    r = c.post(PAGE, {"user": reviewer.pk, "reason": "手机丢失"})
    assert r.status_code == 302 and r["Location"].startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=reviewer).exists()
