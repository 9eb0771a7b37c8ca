"""Sensitive actions ask for the password again when the last check is older than five
minutes (docs/security.md §Sessions); what was posted is kept and sent once the password
is confirmed."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from zhicheng.accounts.sessions import SEEN, STARTED
from zhicheng.api.models import ApiToken
from zhicheng.orgs.models import Organisation

pytestmark = pytest.mark.django_db

REAUTH = reverse("account_reauthenticate")


def signed_in(user, *, minutes_ago: float = 0) -> Client:
    c = Client()
    c.force_login(user)
    session = c.session
    session[STARTED] = int(time.time() - minutes_ago * 60)
    session[SEEN] = int(time.time())
    session.save()
    return c


def token_form() -> dict[str, object]:
    city = Organisation.objects.get(short_name="市职称办")
    return {"name": "人社系统对接", "organisation": city.pk, "scopes": ["applications:read"],
            "days": "30"}


def test_a_token_right_after_login_needs_no_second_password(demo_users):
    c = signed_in(demo_users["city_office"], minutes_ago=1)
    r = c.post(reverse("api:tokens"), token_form())
    assert r.status_code == 200
    assert ApiToken.objects.filter(name="人社系统对接").count() == 1


def test_a_token_later_asks_for_the_password_and_then_is_issued(demo_users, demo_password):
    c = signed_in(demo_users["city_office"], minutes_ago=20)
    r = c.post(reverse("api:tokens"), token_form())
    assert r.status_code == 302
    assert r["Location"] == REAUTH + "?next=%2Fapi%2Ftokens%2F"
    assert not ApiToken.objects.filter(name="人社系统对接").exists()

    page = c.get(r["Location"])
    assert page.status_code == 200
    r = c.post(r["Location"], {"password": "wrong-password"})
    assert not ApiToken.objects.filter(name="人社系统对接").exists()
    r = c.post(REAUTH + "?next=%2Fapi%2Ftokens%2F", {"password": demo_password})
    # The kept post is replayed: the token exists once and its secret is shown once.
    assert ApiToken.objects.filter(name="人社系统对接").count() == 1
    assert r.status_code == 200 and "人社系统对接" in r.content.decode()
    # Within the next five minutes a second sensitive action asks nothing.
    r = c.post(reverse("api:tokens"), {**token_form(), "name": "第二个"})
    assert r.status_code == 200 and ApiToken.objects.filter(name="第二个").exists()


@pytest.mark.parametrize(("path", "data"), [
    ("/certificates/office/issue/1/", {}),
    ("/certificates/office/revoke/1/", {"reason": "证书信息有误"}),
    ("/evaluation/meeting/1/act/record_results/", {}),
    ("/evaluation/meeting/1/act/publish/", {}),
    ("/evaluation/committee/1/act/role/", {"member": "1", "role": "chair"}),
    ("/evaluation/meeting/1/ballot/", {"sign": "1"}),
    ("/supervision/seasons/lianyungang-2024/v1/publish/", {"on": "2024-07-15"}),
    ("/supervision/seasons/lianyungang-2024/archive/", {}),
])
def test_each_sensitive_action_asks_for_the_password_again(demo_users, path, data):
    c = signed_in(demo_users["city_office"], minutes_ago=20)
    r = c.post(path, data)
    assert r.status_code == 302
    assert r["Location"].startswith(REAUTH + "?next=")


def test_ordinary_actions_do_not_ask(demo_users):
    c = signed_in(demo_users["city_office"], minutes_ago=20)
    r = c.post("/evaluation/meeting/999999/act/attendance/", {})
    assert r.status_code == 404  # no such meeting, and no password prompt first
