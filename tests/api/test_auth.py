"""Tokens: created and revoked through audited operations, shown once, stored hashed; scopes
decide what a token may do; a token sees exactly the web's jurisdiction."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.factories.api import assert_error
from zhicheng.api.models import ApiToken
from zhicheng.api.operations import create_token, hash_token, revoke_token
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import NotPermitted, OperationError
from zhicheng.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def test_secret_is_shown_once_and_stored_hashed(season, demo_users):
    org = Organisation.objects.get(name="海州区人社局")
    new = create_token(org, demo_users["haizhou_reviewer"], name="区人社局系统",
                       scopes=["applications:read"])
    stored = ApiToken.objects.get(pk=new.token.pk)
    assert new.secret.startswith(f"zc_{stored.prefix}_")
    assert stored.secret_hash == hash_token(new.secret)
    assert new.secret not in str(ApiToken.objects.filter(pk=stored.pk).values().first())
    event = AuditEvent.objects.filter(action="api.token_create").last()
    assert event.actor == demo_users["haizhou_reviewer"]
    assert new.secret not in str(event.data)


def test_only_the_organisations_officials_or_the_city_office_manage_tokens(season, demo_users):
    haizhou = Organisation.objects.get(name="海州区人社局")
    with pytest.raises(NotPermitted):
        create_token(haizhou, demo_users["unit_hr"], name="x", scopes=["applications:read"])
    new = create_token(haizhou, demo_users["city_office"], name="x",
                       scopes=["applications:read"])
    with pytest.raises(NotPermitted):
        revoke_token(new.token, demo_users["gongxin_reviewer"])
    revoke_token(new.token, demo_users["haizhou_reviewer"])
    assert AuditEvent.objects.filter(action="api.token_revoke").count() == 1


def test_write_scope_needs_a_named_official_of_the_organisation(season, demo_users):
    haizhou = Organisation.objects.get(name="海州区人社局")
    with pytest.raises(OperationError, match="经办人"):
        create_token(haizhou, demo_users["city_office"], name="x", scopes=["reviews:write"])
    with pytest.raises(OperationError, match="不是"):
        create_token(haizhou, demo_users["city_office"], name="x", scopes=["reviews:write"],
                     user=demo_users["gongxin_reviewer"])
    with pytest.raises(OperationError, match="未知的权限范围"):
        create_token(haizhou, demo_users["city_office"], name="x", scopes=["everything"])


def test_missing_bad_revoked_and_expired_tokens_get_401(api, token, demo_users):
    assert_error(api.get("/api/applications"), 401, "unauthenticated")
    assert_error(api.get("/api/applications", "zc_nothing_here"), 401)
    secret = token("海州区人社局", ["applications:read"])
    assert api.get("/api/applications", secret).status_code == 200
    assert_error(api.get("/api/applications", secret[:-2] + "xx"), 401)
    prefix = secret.split("_")[1]
    revoke_token(ApiToken.objects.get(prefix=prefix), demo_users["city_office"])
    assert_error(api.get("/api/applications", secret), 401)


def test_a_token_stops_when_its_named_official_leaves(api, token, demo_users):
    from zhicheng.orgs.models import Membership

    user = demo_users["haizhou_reviewer"]
    secret = token("海州区人社局", ["applications:read"], user=user)
    assert api.get("/api/applications", secret).status_code == 200
    Membership.objects.filter(user=user).update(active=False)
    assert_error(api.get("/api/applications", secret), 401)


def test_a_token_without_the_scope_is_refused_with_403(api, token):
    secret = token("海州区人社局", ["results:read"])
    assert_error(api.get("/api/applications", secret), 403, "not_permitted")
    assert api.get("/api/results", secret).status_code == 200


def test_command_creates_lists_and_revokes(season, api, capsys):
    call_command("api_token", "create", "--org", "海州区人社局", "--name", "区系统",
                 "--scope", "applications:read")
    secret = capsys.readouterr().out.strip()
    assert api.get("/api/applications", secret).status_code == 200
    call_command("api_token", "list")
    listing = capsys.readouterr().out
    prefix = secret.split("_")[1]
    assert prefix in listing and "海州区人社局" in listing and secret not in listing
    call_command("api_token", "revoke", prefix)
    assert_error(api.get("/api/applications", secret), 401)
    assert AuditEvent.objects.filter(action__startswith="api.token_").count() == 2


def test_command_names_a_bad_argument(season):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--org"):
        call_command("api_token", "create", "--org", "没有这个机构", "--name", "x",
                     "--scope", "applications:read")
    with pytest.raises(CommandError, match="未知的权限范围"):
        call_command("api_token", "create", "--org", "海州区人社局", "--name", "x",
                     "--scope", "nope")
