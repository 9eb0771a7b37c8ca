"""The full identity number is stored once and never rendered; pages show it masked."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.template import Context, Template
from django.urls import reverse

from zhicheng.accounts.totp import activate_totp
from zhicheng.core.models import AuditEvent
from zhicheng.demo.accounts import DEMO_TOTP_SECRET

pytestmark = pytest.mark.django_db

FULL = "320706199003151237"  # the demo applicant's fictional number
MASKED = "3207**********1237"


@pytest.fixture
def applicant(demo_users):
    user = demo_users["applicant"]
    assert user.id_number == FULL
    return user


def test_my_account_shows_the_number_masked(client, applicant):
    client.force_login(applicant)
    html = client.get(reverse("my_account")).content.decode()
    assert MASKED in html
    assert FULL not in html
    assert "1990-03-15" in html and "李明" in html
    assert "138****0001" in html


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/signup/"])
def test_public_pages_never_show_it(client, applicant, url):
    for who in (None, applicant):
        if who:
            client.force_login(who)
        r = client.get(url)
        assert FULL not in r.content.decode(), url


def test_other_people_never_see_it(client, applicant, demo_users):
    reviewer = demo_users["haizhou_reviewer"]
    client.force_login(reviewer)
    html = client.get(reverse("my_account")).content.decode()
    assert FULL not in html and MASKED not in html


def test_admin_shows_it_masked_and_read_only(client, applicant, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "x")
    activate_totp(root, DEMO_TOTP_SECRET)  # staff are officials: two factors
    client.force_login(root)
    for url in (
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[applicant.pk]),
        reverse("admin:accounts_user_changelist") + f"?q={FULL}",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        if "?q=" not in url:
            assert FULL not in html, url
        assert MASKED in html, url
    assert 'name="id_number"' not in html


def test_superuser_without_second_factor_is_sent_to_set_it_up(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "x")
    client.force_login(root)
    r = client.get("/admin/")
    assert r.status_code == 302 and "/2fa/totp/activate/" in r["Location"]
    assert not Authenticator.objects.filter(user=root).exists()


def test_audit_chain_never_holds_the_full_number(applicant):
    for event in AuditEvent.objects.all():
        assert FULL not in str(event.data) + event.summary


def test_template_filter():
    html = Template("{% load identity %}{{ n|mask_id }}").render(Context({"n": FULL}))
    assert html == MASKED
