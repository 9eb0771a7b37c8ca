"""The officials' token page: create (secret shown once), revoke; only their own
organisation's tokens (the city office: all)."""

from __future__ import annotations

import re

import pytest

from zhicheng.api.models import ApiToken
from zhicheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_official_creates_and_revokes_a_token(client, demo_users, api):
    from zhicheng.orgs.models import Organisation

    reviewer = demo_users["haizhou_reviewer"]
    client.force_login(reviewer)
    org = Organisation.objects.get(name="海州区人社局")
    page = client.get("/api/tokens/")
    assert page.status_code == 200
    response = client.post("/api/tokens/", {
        "name": "区人社局业务系统", "organisation": org.pk, "user": reviewer.pk,
        "scopes": ["applications:read", "reviews:write"], "days": "30",
    })
    assert response.status_code == 200
    secret = re.search(r"zc_[0-9a-f]+_[\w-]+", response.content.decode()).group(0)
    assert api.get("/api/applications", secret).status_code == 200
    token = ApiToken.objects.get(name="区人社局业务系统")
    assert token.user == reviewer and token.expires_at is not None
    assert secret not in client.get("/api/tokens/").content.decode()  # shown once
    client.post(f"/api/tokens/{token.pk}/revoke/")
    assert api.get("/api/applications", secret).status_code == 401
    assert list(AuditEvent.objects.filter(action__startswith="api.token_")
                .values_list("action", flat=True)) == ["api.token_create", "api.token_revoke"]


def test_bad_form_is_refused_with_the_reason_and_creates_nothing(client, demo_users):
    from zhicheng.orgs.models import Organisation

    client.force_login(demo_users["haizhou_reviewer"])
    org = Organisation.objects.get(name="海州区人社局")
    response = client.post("/api/tokens/", {"name": "x", "organisation": org.pk,
                                            "scopes": ["reviews:write"]}, follow=True)
    assert response.status_code == 422
    assert "经办人" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_other_organisations_tokens_are_out_of_reach(client, demo_users, token):
    token("连云区人社局", ["applications:read"], name="连云区系统")
    other = ApiToken.objects.get(name="连云区系统")
    client.force_login(demo_users["haizhou_reviewer"])
    assert "连云区系统" not in client.get("/api/tokens/").content.decode()
    assert client.post(f"/api/tokens/{other.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None
    client.force_login(demo_users["city_office"])
    assert "连云区系统" in client.get("/api/tokens/").content.decode()
    client.force_login(demo_users["applicant"])
    assert client.get("/api/tokens/").status_code == 404


def test_openapi_and_docs_are_served(client, season):
    schema = client.get("/api/openapi.json").json()
    assert "/api/applications" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode()  # Swagger UI from our own static files
