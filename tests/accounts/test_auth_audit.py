"""Authentication steps are audit events with the client's address, and the city office
finds them on the audit page (docs/security.md)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.second_factor import post_code
from zhicheng.accounts.totp import activate_totp
from zhicheng.core.models import AuditEvent
from zhicheng.demo.accounts import DEMO_TOTP_SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _behind_nginx(settings):
    settings.ZHICHENG_PROXY_COUNT = 1


def browser(address: str) -> Client:
    return Client(REMOTE_ADDR="", HTTP_X_FORWARDED_FOR=address)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_login_failure_and_logout_are_recorded_with_the_address(demo_users, demo_password):
    applicant = demo_users["applicant"]
    c = browser("203.0.113.21")
    c.post(reverse("account_login"), {"login": "APPLICANT", "password": "typo-secret"})
    [failed] = events("auth.login_failed")
    assert failed.target_id == str(applicant.pk)
    assert failed.data == {"client_address": "203.0.113.21"}
    assert "登录失败" in failed.summary and "203.0.113.21" in failed.summary
    assert "typo-secret" not in failed.summary

    c.post(reverse("account_login"), {"login": "applicant", "password": demo_password})
    [login] = events("auth.login")
    assert login.actor_id == applicant.pk
    assert login.data["client_address"] == "203.0.113.21"

    c.post(reverse("account_logout"))
    [logout] = events("auth.logout")
    assert logout.actor_id == applicant.pk


def test_an_unknown_account_is_recorded_without_what_was_typed(demo_users):
    c = browser("203.0.113.22")
    c.post(reverse("account_login"), {"login": "Passw0rd-typed-here", "password": "x"})
    [failed] = events("auth.login_failed")
    assert failed.target_id == ""
    assert "Passw0rd-typed-here" not in failed.summary + str(failed.data)


def test_lockout_is_recorded(demo_users, demo_password):
    for n in range(5):
        browser(f"203.0.113.{30 + n}").post(reverse("account_login"),
                                           {"login": "applicant", "password": "wrong"})
    browser("203.0.113.40").post(reverse("account_login"),
                                 {"login": "applicant", "password": demo_password})
    [lockout] = events("auth.lockout")
    assert lockout.target_id == str(demo_users["applicant"].pk)
    assert lockout.data["client_address"] == "203.0.113.40"


def test_wrong_second_factor_is_recorded(demo_users, demo_password):
    reviewer = demo_users["gongxin_reviewer"]
    activate_totp(reviewer, DEMO_TOTP_SECRET)
    c = browser("203.0.113.50")
    c.post(reverse("account_login"), {"login": "gongxin_reviewer", "password": demo_password})
    c.post(reverse("mfa_authenticate"), {"code": "000000"})
    [failed] = events("auth.mfa_failed")
    assert failed.target_id == str(reviewer.pk)
    assert failed.data["client_address"] == "203.0.113.50"
    assert "000000" not in failed.summary + str(failed.data)
    assert events("auth.login") == []  # the password alone is not a login for an official
    post_code(c, reverse("mfa_authenticate"), DEMO_TOTP_SECRET)
    assert len(events("auth.login")) == 1


def test_password_change_is_recorded(demo_users, demo_password):
    c = browser("203.0.113.60")
    c.post(reverse("account_login"), {"login": "applicant", "password": demo_password})
    r = c.post(reverse("account_change_password"), {
        "oldpassword": demo_password, "password1": "New-Strong-Passw0rd-9",
        "password2": "New-Strong-Passw0rd-9",
    })
    assert r.status_code == 302
    [changed] = events("auth.password_changed")
    assert changed.actor_id == demo_users["applicant"].pk
    assert "New-Strong" not in str(changed.data) + changed.summary


def test_second_factor_set_up_is_recorded(new_official, django_capture_on_commit_callbacks):
    c = browser("203.0.113.70")
    c.post(reverse("account_login"), {"login": "new_reviewer", "password": "s3cret-Passw0rd"})
    c.get(reverse("mfa_activate_totp"))
    secret = c.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        post_code(c, reverse("mfa_activate_totp"), secret)
    added = events("auth.mfa_added")  # the authenticator app, and the recovery codes
    assert len(added) == 2
    for event in added:
        assert event.actor_id == new_official.pk
        assert event.data["client_address"] == "203.0.113.70"
        assert secret not in str(event.data) + event.summary


def test_the_city_office_searches_authentication_events(demo_users, demo_password):
    browser("198.51.100.77").post(reverse("account_login"),
                                  {"login": "applicant", "password": "wrong"})
    browser("198.51.100.78").post(reverse("account_login"),
                                  {"login": "applicant", "password": demo_password})
    activate_totp(demo_users["city_office"], DEMO_TOTP_SECRET)
    office = Client()
    office.force_login(demo_users["city_office"])
    r = office.get(reverse("auditlog:search"), {"action": "auth.", "q": "198.51.100.77"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "登录失败：applicant（地址 198.51.100.77）" in html
    assert "198.51.100.78" not in html
    r = office.get(reverse("auditlog:search"), {"action": "auth.login_failed"})
    assert "198.51.100.77" in r.content.decode()
