"""Officials use two factors; applicants are not forced; the admin has no way around it."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories.second_factor import post_code
from zhicheng.accounts.totp import activate_totp, totp_code
from zhicheng.demo.accounts import DEMO_TOTP_SECRET

pytestmark = pytest.mark.django_db


def password_login(client, login: str, password: str):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_official_without_totp_is_forced_to_set_it_up(client, new_official):
    r = password_login(client, "new_reviewer", "s3cret-Passw0rd")
    assert r.status_code == 302
    # Wherever they go, they land on the TOTP setup page first.
    for url in (r["Location"], "/", reverse("my_account"), "/admin/"):
        r = client.get(url)
        assert r.status_code == 302, url
        assert r["Location"].startswith(reverse("mfa_activate_totp")), url
    # The setup page, MFA pages and logout stay reachable.
    r = client.get(reverse("mfa_activate_totp"))
    assert r.status_code == 200
    assert "工作人员账户须使用双重认证" in r.content.decode()
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account_logout")).status_code == 200

    # Set it up with the code an authenticator app would show.
    secret = client.session["mfa.totp.secret"]
    r = post_code(client, reverse("mfa_activate_totp"), secret)
    assert r.status_code == 302
    assert Authenticator.objects.filter(user=new_official, type="totp").exists()
    assert client.get(reverse("my_account")).status_code == 200

    # An official cannot switch the second factor off again.
    r = client.post(reverse("mfa_deactivate_totp"), {"code": totp_code(secret, at=0)})
    assert Authenticator.objects.filter(user=new_official, type="totp").exists()


def test_official_with_totp_must_enter_a_valid_code(client, demo_users, demo_password):
    r = password_login(client, "gongxin_reviewer", demo_password)
    assert r.status_code == 302
    assert r["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    r = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert r.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "验证码不正确" in r.content.decode()

    r = post_code(client, reverse("mfa_authenticate"), DEMO_TOTP_SECRET)
    assert r.status_code == 302
    assert client.session["_auth_user_id"] == str(demo_users["gongxin_reviewer"].pk)
    r = client.get(reverse("my_account"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "已启用身份验证器" in html and "初审" in html


def test_applicant_is_not_forced(client, demo_users, demo_password):
    r = password_login(client, "applicant@demo.invalid", demo_password)  # login by email
    assert r.status_code == 302
    assert r["Location"] == reverse("applications:dashboard")  # lands on 我的申报
    r = client.get(reverse("my_account"))
    assert r.status_code == 200
    assert "未启用（申报人可选）" in r.content.decode()


def test_admin_is_reached_only_through_both_factors(client, demo_users, demo_password):
    r = client.get("/admin/")
    assert r.status_code == 302
    r = client.get(r["Location"])  # admin:login hands over to the two-factor login
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("account_login"))
    # Posting to the admin's own login form cannot bypass the second factor.
    r = client.post(
        "/admin/login/?next=/admin/", {"username": "city_office", "password": demo_password}
    )
    assert "_auth_user_id" not in client.session

    r = client.post(r["Location"], {"login": "city_office", "password": demo_password})
    assert r["Location"].startswith(reverse("mfa_authenticate"))
    r = post_code(client, reverse("mfa_authenticate"), DEMO_TOTP_SECRET)
    assert r.status_code == 302 and r["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_forced_setup_applies_to_tests_that_use_force_login(client, new_official):
    client.force_login(new_official)
    assert client.get(reverse("my_account")).status_code == 302
    activate_totp(new_official, DEMO_TOTP_SECRET)  # the helper other tests can use
    assert client.get(reverse("my_account")).status_code == 200


def test_inactive_membership_is_not_an_official(client, new_official):
    new_official.memberships.update(active=False)
    client.force_login(new_official)
    assert client.get(reverse("my_account")).status_code == 200


def test_the_second_factor_is_checked_afresh_on_every_request(client, new_official):
    """The check reads the memberships and the authenticator on each request: nothing is
    kept in the session, so a second factor that goes away, or a membership that starts,
    takes effect on the very next page."""
    activate_totp(new_official, DEMO_TOTP_SECRET)
    client.force_login(new_official)
    assert client.get(reverse("my_account")).status_code == 200
    Authenticator.objects.filter(user=new_official).delete()
    r = client.get(reverse("my_account"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("mfa_activate_totp"))

    new_official.memberships.update(active=False)  # now an applicant only: not forced
    assert client.get(reverse("my_account")).status_code == 200
    new_official.memberships.update(active=True)
    r = client.get(reverse("my_account"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("mfa_activate_totp"))
