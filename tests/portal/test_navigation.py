"""The role-aware bars (zhicheng.portal.navigation): after login each person lands on their
work; the work bar shows every page the person's roles may open and only those, each of
which opens for them; several roles show all their pages; the number of queries does not
grow with the queues."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.second_factor import post_code
from zhicheng.demo.accounts import DEMO_TOTP_SECRET
from zhicheng.portal import navigation

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/plans/", "/publicity/", "/verify/", "/notices/", "/notice/"]

# What each demo account's work bar holds (docs/journeys.md lists the same pages).
WORK_BAR = {
    "applicant": ["/apply/", "/apply/inbox/", "/certificates/"],
    "unit_hr": ["/review/", "/publicity/objections/", "/api/tokens/", "/jobs/"],
    "haizhou_reviewer": ["/review/", "/api/tokens/", "/jobs/"],
    "gongxin_committee": [
        "/review/", "/publicity/objections/", "/evaluation/", "/review/province/",
        "/supervision/sanctions/", "/api/tokens/", "/jobs/",
    ],
    "expert": ["/evaluation/expert/"],
    "city_office": [
        "/supervision/", "/supervision/statistics/", "/supervision/seasons/",
        "/review/sampling/", "/certificates/office/",
        "/supervision/sanctions/", "/supervision/audit/", "/apply/deliveries/",
        "/accounts/officials/second-factor/", "/admin/",
        "/review/", "/evaluation/", "/api/tokens/", "/jobs/",
    ],
}
LANDING = {
    "applicant": "/apply/",
    "unit_hr": "/review/",
    "haizhou_reviewer": "/review/",
    "gongxin_committee": "/review/",
    "expert": "/evaluation/expert/",
    "city_office": "/supervision/",
}


@pytest.fixture
def expert_entry(demo_users: Any) -> Any:
    from zhicheng.catalogue.models import Series
    from zhicheng.demo.applications import DEMO_SPECIALTY
    from zhicheng.evaluation.models import Expert
    from zhicheng.orgs.models import Organisation

    return Expert.objects.create(
        user=demo_users["expert"], series=Series.objects.get(code="engineering"),
        specialty=DEMO_SPECIALTY, title_level="senior",
        unit=Organisation.objects.get(name="连云港港湾新材料科技有限公司"),
        term_start=dt.date(2023, 1, 1), term_end=dt.date(2025, 12, 31),
    )


def _bar(html: str) -> tuple[list[str], str]:
    match = re.search(r'<nav class="zc-worknav".*?</nav>', html, re.S)
    work = match.group(0) if match else ""
    return re.findall(r'href="([^"]+)"', work), work


def _public(html: str) -> list[str]:
    main_nav = re.search(r'<ul class="navbar-nav me-auto">.*?</ul>', html, re.S)
    assert main_nav, "the public bar is missing"
    return re.findall(r'href="([^"]+)"', main_nav.group(0))


def test_anonymous_sees_the_public_bar_and_no_work_bar(client, season) -> None:
    html = client.get("/").content.decode()
    assert _public(html) == PUBLIC
    assert ">公示<" in html and ">证书查验<" in html
    assert _bar(html)[0] == []


@pytest.mark.parametrize("username", sorted(WORK_BAR))
def test_work_bar_holds_the_roles_pages_and_each_opens(client, demo_users, expert_entry,
                                                      username) -> None:
    from zhicheng.applications.models import ApplicantProfile

    if username == "applicant":
        assert ApplicantProfile.objects.filter(user=demo_users["applicant"]).exists()
    client.force_login(demo_users[username])
    html = client.get(reverse("my_account")).content.decode()
    links, _ = _bar(html)
    assert links == WORK_BAR[username]
    assert _public(html) == PUBLIC
    for url in links:
        assert client.get(url).status_code == 200, url


def test_several_roles_show_every_role_grouped(client, demo_users, expert_entry) -> None:
    from zhicheng.orgs.models import Membership, Organisation

    hr = demo_users["unit_hr"]
    Membership.objects.create(user=hr, role="preliminary_reviewer",
                              organisation=Organisation.objects.get(short_name="海州区人社局"))
    expert_entry.user = hr
    expert_entry.save()
    client.force_login(hr)
    links, work = _bar(client.get(reverse("my_account")).content.decode())
    assert links == ["/review/", "/publicity/objections/", "/api/tokens/", "/jobs/",
                     "/evaluation/expert/"]
    assert "审核" in work and "评审专家" in work  # group names shown when there are several


def _password_login(client: Any, username: str, demo_password: str) -> str:
    r = client.post(reverse("account_login"), {"login": username, "password": demo_password})
    assert r.status_code == 302
    if r["Location"].startswith(reverse("mfa_authenticate")):
        r = post_code(client, reverse("mfa_authenticate"), DEMO_TOTP_SECRET)
        assert r.status_code == 302
    return str(r["Location"])


@pytest.mark.parametrize("username", sorted(LANDING))
def test_login_lands_on_the_work(client, demo_users, demo_password, expert_entry,
                                 username) -> None:
    assert _password_login(client, username, demo_password) == LANDING[username]


def test_login_with_next_still_goes_there(client, demo_users, demo_password) -> None:
    r = client.post(reverse("account_login") + "?next=/notices/",
                    {"login": "applicant", "password": demo_password})
    assert r["Location"] == "/notices/"


def test_waiting_counts_and_constant_queries(client, chain, demo_users) -> None:
    hr = demo_users["unit_hr"]
    chain.submitted()
    with CaptureQueriesContext(connection) as one:
        bar = navigation.build(hr)
    assert bar.groups[0].links[0].count == 1
    chain.submitted()
    chain.submitted()
    with CaptureQueriesContext(connection) as three:
        bar = navigation.build(hr)
    assert bar.groups[0].links[0].count == 3
    assert len(three.captured_queries) == len(one.captured_queries)
    client.force_login(hr)
    _, work = _bar(client.get(reverse("my_account")).content.decode())
    assert re.search(r"待办 <span[^>]*>3<span class=\"visually-hidden\">件待办", work)
