"""The page header (zhicheng.portal.header): the page a person is on is marked in the bars,
for sighted readers and screen readers alike; the language switch says which language is on
and comes back to the same address; the account links follow the sign-in; nothing a visitor
types into an address reaches the page unescaped."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _current(html: str) -> list[str]:
    """The addresses marked as the current page."""
    return re.findall(r'<a class="nav-link active" aria-current="page" href="([^"]+)"', html)


def _pressed(html: str) -> list[str]:
    return re.findall(r'aria-pressed="true">([^<]+)</button>', html)


def test_the_current_page_is_marked_once_and_the_switch_says_chinese(client, season) -> None:
    html = client.get("/plans/").content.decode()
    assert _current(html) == ["/plans/"]
    assert _pressed(html) == ["简体中文"]
    assert re.search(r'<a class="navbar-brand fw-semibold" href="/">[^<]*职称评审</a>', html)
    assert f'href="{reverse("account_login")}">登录</a>' in html
    assert 'name="csrfmiddlewaretoken"' in html  # the language form posts


def test_english_switch_and_labels(client, season) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/publicity/"})
    html = client.get("/publicity/").content.decode()
    assert _pressed(html) == ["English"]
    assert _current(html) == ["/publicity/"]
    assert 'aria-label="Main navigation"' in html
    assert f'href="{reverse("account_login")}">Log in</a>' in html


def test_what_a_visitor_types_into_the_address_comes_back_escaped(client, season) -> None:
    html = client.get('/plans/?q="><script>alert(1)</script>').content.decode()
    assert "<script>alert(1)</script>" not in html
    assert 'name="next" value="/plans/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"' in html


def test_signed_in_the_work_bar_marks_the_page_and_the_account_links_show(
        client, demo_users: dict[str, Any]) -> None:
    client.force_login(demo_users["applicant"])
    html = client.get(reverse("applications:dashboard")).content.decode()
    assert _current(html) == [reverse("applications:dashboard")]
    assert f'href="{reverse("account_logout")}">退出</a>' in html
    assert f'href="{reverse("my_account")}">我的账户</a>' in html
    account = client.get(reverse("my_account")).content.decode()
    assert f'<a class="nav-link active" href="{reverse("my_account")}">我的账户</a>' in account
    assert _current(account) == []
