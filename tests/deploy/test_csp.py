"""The Content-Security-Policy: every page of the application sends it, and nginx sends the
same policy (docs/security.md §Content-Security-Policy)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.csp import build_policy

NGINX = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "zhicheng.conf"


def test_nginx_sends_the_policy_of_the_application() -> None:
    site = NGINX.read_text("utf-8")
    [policy] = re.findall(r'add_header Content-Security-Policy "([^"]+)" always;', site)
    assert policy == build_policy(settings.SECURE_CSP)
    assert "proxy_hide_header Content-Security-Policy;" in site


def test_the_policy_forbids_inline_script_and_style() -> None:
    policy = build_policy(settings.SECURE_CSP)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/verify/", "/api/docs"])
def test_pages_carry_the_policy(client, season, path) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r["Content-Security-Policy"] == build_policy(settings.SECURE_CSP)
