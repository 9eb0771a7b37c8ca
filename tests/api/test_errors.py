"""One error format for every error (400/401/403/404/405/422/429/500) and per-token rate
limits with Retry-After."""

from __future__ import annotations

import pytest

from tests.factories.api import assert_error

pytestmark = pytest.mark.django_db


def test_wrong_method_unknown_address_and_bad_json(api, token, demo_users):
    secret = token("海州区人社局", ["reviews:write"], user=demo_users["haizhou_reviewer"])
    assert_error(api.post("/api/applications", secret), 405, "method_not_allowed")
    assert_error(api.get("/api/no/such/thing", secret), 404, "no_such_endpoint")
    bad = api.post("/api/applications/1/preliminary/reject", secret, "not json{")
    assert bad.status_code in (400, 422)
    assert_error(bad, bad.status_code)
    assert_error(api.get("/api/applications/0", secret), 422, "validation_error")


def test_token_rate_limit_answers_429_with_retry_after(api, token, settings):
    settings.ZHICHENG_API_RATE = (3, 60)
    secret = token("海州区人社局", ["applications:read"])
    other = token("海州区人社局", ["applications:read"], name="另一个系统")
    for _ in range(3):
        assert api.get("/api/applications", secret).status_code == 200
    limited = api.get("/api/applications", secret)
    assert_error(limited, 429, "rate_limited")
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert api.get("/api/applications", other).status_code == 200  # per token


def test_public_endpoints_are_limited_per_address(api, season, settings):
    settings.ZHICHENG_API_ANONYMOUS_RATE = (2, 60)
    assert api.get("/api/catalogue/levels").status_code == 200
    assert api.get("/api/catalogue/levels").status_code == 200
    limited = api.get("/api/catalogue/levels")
    assert_error(limited, 429)
    assert limited["Retry-After"]


def test_certificate_verification_shares_the_web_throttle(api, season, settings):
    from zhicheng.certificates.models import VerificationLog

    settings.ZHICHENG_VERIFY_THROTTLE = (2, 600)
    body = {"number": "NOPE-1", "name": "张三"}
    first = api.post("/api/certificates/verify", None, body)
    assert first.status_code == 200 and first.json()["result"] == "unknown"
    assert first.json()["certificate"] is None
    assert api.post("/api/certificates/verify", None, body).status_code == 200
    limited = api.post("/api/certificates/verify", None, body)
    assert_error(limited, 429)
    assert limited["Retry-After"] == "600"
    assert sorted(VerificationLog.objects.values_list("result", flat=True)) == [
        "throttled", "unknown", "unknown"]
    # A request that names nothing looks nothing up: it is refused as such, not counted.
    assert_error(api.post("/api/certificates/verify", None, {}), 422)
    assert VerificationLog.objects.count() == 3


def test_verify_without_number_and_name_is_a_validation_error(api, season):
    error = assert_error(api.post("/api/certificates/verify", None, {"number": "X"}), 422)
    assert error["details"][0]["field"] == "number"


def test_an_unexpected_failure_is_a_500_in_the_error_format(api, token, monkeypatch):
    from zhicheng.api import read

    def boom(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(read, "scoped_applications", boom)
    secret = token("海州区人社局", ["applications:read"])
    error = assert_error(api.get("/api/applications", secret), 500, "server_error")
    assert "fire" not in error["message"]  # no internals leak to the client
