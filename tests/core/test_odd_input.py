"""No server error from odd input (docs/security.md §No server error from
odd input): numbers out of range, NUL bytes, bodies over the limit, and a fuzz walk over every
page and API address for four identities. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from zhicheng.accounts.totp import activate_totp
from zhicheng.core.inputs import NUL_MESSAGE, bounded_int
from zhicheng.demo.accounts import DEMO_TOTP_SECRET

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def _client(user: Any = None) -> Client:
    c = Client(raise_request_exception=False)
    if user is not None:
        activate_totp(user, DEMO_TOTP_SECRET) if user.is_staff or user.memberships.exists() \
            else None
        c.force_login(user)
    return c


@pytest.mark.parametrize(("raw", "expected"), [
    ("12", 12), (" 7 ", 7), ("0", 0), (HUGE, None), ("-1", None), ("²", None), ("١٢", None),
    ("", None), (None, None), ("1e3", None), (str(2**63 - 1), 2**63 - 1), (str(2**63), None),
])
def test_bounded_int(raw, expected):
    assert bounded_int(raw) == expected


def test_review_worklist_and_export_with_a_plan_out_of_range(demo_users):
    reviewer = _client(demo_users["haizhou_reviewer"])
    for path in ("/review/", "/review/export.xlsx"):
        r = reviewer.get(path, {"plan": HUGE})
        assert r.status_code == 200, path
        r = reviewer.get(path, {"plan": "²"})
        assert r.status_code == 200, path


def test_an_id_beyond_any_column_is_a_404(demo_users):
    office = _client(demo_users["city_office"])
    assert office.get(f"/review/{HUGE}/").status_code == 404
    assert office.get(f"/api/applications/{HUGE}").status_code in (401, 404)
    applicant = _client(demo_users["applicant"])
    for path in (f"/apply/{HUGE}/materials/", f"/apply/{HUGE}/submit/",
                 f"/apply/{HUGE}/precheck/"):
        assert applicant.post(path, {"token": "x"}).status_code == 404, path


def test_a_nul_byte_in_a_form_is_refused_with_a_clear_message(demo_users):
    office = _client(demo_users["city_office"])
    r = office.post("/api/tokens/", {"name": "对接\x00令牌", "days": "30"})  # multipart
    assert r.status_code == 400
    assert NUL_MESSAGE in r.content.decode()
    r = office.post("/review/1/act/reject/", "reasons=%00",
                    content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400
    assert NUL_MESSAGE in r.content.decode()
    from zhicheng.api.models import ApiToken

    assert not ApiToken.objects.exists()
    r = office.get("/audit/", {"q": "a\x00b"})
    assert r.status_code == 400


def test_a_nul_byte_in_an_api_body_is_refused(demo_users):
    c = Client(raise_request_exception=False)
    r = c.post("/api/verify", json.dumps({"number": "a\u0000b"}),
               content_type="application/json")
    assert r.status_code == 422  # the API's answer to an invalid field
    assert r.json()["error"] == {"code": "validation_error", "message": NUL_MESSAGE,
                                 "details": []}


def test_an_api_body_over_the_limit_is_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440
    body = json.dumps({"reasons": "x" * (2621440 + 10)})
    r = Client(raise_request_exception=False).post(
        "/api/applications/1/preliminary/reject", body, content_type="application/json")
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


def test_a_form_body_over_the_limit_is_413(demo_users, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    office = _client(demo_users["city_office"])
    r = office.post("/audit/verify/", "x=" + "y" * 2000,
                    content_type="application/x-www-form-urlencoded")
    assert r.status_code == 413
    assert "提交的内容过大" in r.content.decode()


@pytest.mark.parametrize("days", ["-1", "0", "abc", "3661", HUGE, "²"])
def test_token_validity_must_be_positive_and_bounded(demo_users, days):
    from zhicheng.api.models import ApiToken
    from zhicheng.orgs.models import Organisation

    office = _client(demo_users["city_office"])
    org = Organisation.objects.get(name="海州区人社局")
    r = office.post("/api/tokens/", {"organisation": str(org.pk), "name": "对接",
                                     "scopes": ["applications:read"], "days": days})
    assert r.status_code == 422  # the form again, with the reason
    assert "有效天数须在1到3660之间" in r.content.decode()
    assert not ApiToken.objects.exists()


# --- the fuzz walk ---------------------------------------------------------------------------

ODD_VALUES = [HUGE, "-1", "²", "'\"<script>", "x" * 5000, "2024-02-30", "", "null", "0"]
PARAMS = ["plan", "page", "before", "after", "q", "state", "due", "season", "date_from",
          "date_to", "target", "actor", "action", "year", "level", "series", "number", "name",
          "code", "kind", "status", "next", "version", "days", "organisation", "user", "ids",
          "checked", "reasons", "document_number", "opinion", "format", "sort", "lang"]
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
SKIP = ("admin/", "accounts/logout/", "static/", "media/")


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    out: list[str] = []
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = str(entry.pattern)
        if pattern.startswith("^"):  # regex routes: Django's admin and i18n helpers
            continue
        if isinstance(entry, URLResolver):
            out.extend(_routes(entry, prefix + pattern))
        elif isinstance(entry, URLPattern):
            out.append(prefix + pattern)
    return sorted({r for r in out if not r.startswith(SKIP)})


def _fill(route: str, number: str) -> str:
    def one(m: re.Match[str]) -> str:
        kind = m.group(1) or "str"
        return {"int": number, "uuid": "00000000-0000-0000-0000-000000000000"}.get(kind, "x")

    return "/" + CONVERTER.sub(one, route)


def test_fuzz_every_address_answers_without_a_server_error(demo_users):
    routes = _routes()
    assert len(routes) > 50
    identities = {
        "anonymous": _client(),
        "applicant": _client(demo_users["applicant"]),
        "city_office": _client(demo_users["city_office"]),
        "reviewer": _client(demo_users["haizhou_reviewer"]),
    }
    failures = []
    for n, route in enumerate(routes):
        value = ODD_VALUES[n % len(ODD_VALUES)]
        for who, c in identities.items():
            for number in ("1", HUGE) if who == "city_office" else (HUGE,):
                path = _fill(route, number)
                params = dict.fromkeys(PARAMS, value)
                for method in ("get", "post"):
                    r = getattr(c, method)(path, params)
                    if r.status_code >= 500:
                        failures.append(f"{method.upper()} {path} as {who} ({value[:12]!r}): "
                                        f"{r.status_code}")
                if path.startswith("/api/"):
                    r = c.post(path, json.dumps(dict.fromkeys(PARAMS, value)),
                               content_type="application/json")
                    if r.status_code >= 500:
                        failures.append(f"POST json {path} as {who}: {r.status_code}")
    assert not failures, "\n".join(failures)
