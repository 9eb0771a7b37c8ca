"""No secret in the audit chain or its exports (docs/security.md).

Flows that handle secrets run through the real doors (the admin adds, changes and deletes
an account; an API token is issued; a person logs in and out), then the whole chain and both
exports are scanned for password hashes, the passwords, the token and TOTP secrets.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import SYSTEM, model_fields_snapshot
from zhicheng.core.redaction import REDACTED, redact

pytestmark = pytest.mark.django_db

PASSWORD = "Zc-admin-made-Passw0rd!"
# What a Django password hash, a TOTP secret URI or an API token looks like.
HASH_LIKE = re.compile(
    r"(pbkdf2_sha256|pbkdf2_sha1|argon2|bcrypt|scrypt|md5|sha1)\$|otpauth://|zc_[0-9a-f]{8}_"
)


@pytest.fixture
def superuser(django_user_model: Any) -> Any:
    from zhicheng.accounts.totp import activate_totp
    from zhicheng.demo.accounts import DEMO_TOTP_SECRET

    user = django_user_model.objects.create_superuser(
        "root_admin", "root@example.invalid", "Root-Passw0rd-x!")
    activate_totp(user, DEMO_TOTP_SECRET)  # officials reach nothing without a second factor
    return user


def _chain_text() -> str:
    return "\n".join(
        json.dumps(e.data, ensure_ascii=False) + " " + e.summary
        for e in AuditEvent.objects.order_by("seq")
    )


def _exports_text(client: Client) -> str:
    csv_body = b"".join(client.get(reverse("auditlog:export_csv")).streaming_content)
    xlsx_body = b"".join(client.get(reverse("auditlog:export_xlsx")).streaming_content)
    with zipfile.ZipFile(io.BytesIO(xlsx_body)) as book:
        xml = "".join(book.read(n).decode("utf-8") for n in book.namelist()
                      if n.endswith(".xml"))
    return csv_body.decode("utf-8-sig") + xml


def test_admin_token_and_login_flows_leave_no_secret(season, superuser, demo_users,
                                                     demo_password):
    from zhicheng.api.operations import create_token
    from zhicheng.orgs.models import Organisation

    admin = Client()
    admin.force_login(superuser)
    r = admin.post("/admin/accounts/user/add/", {
        "username": "made_in_admin", "password1": PASSWORD, "password2": PASSWORD,
        "usable_password": "true",
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    from zhicheng.accounts.models import User

    made = User.objects.get(username="made_in_admin")
    assert made.check_password(PASSWORD)
    r = admin.post(f"/admin/accounts/user/{made.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    added = AuditEvent.objects.get(action="accounts.user.add")
    assert added.data["fields"]["password"] == REDACTED
    deleted = AuditEvent.objects.get(action="accounts.user.delete")
    assert deleted.data["fields"]["password"] == REDACTED

    token = create_token(Organisation.objects.get(name="海州区人社局"), SYSTEM,
                         name="对接令牌", scopes=["applications:read"])

    person = Client()
    assert person.post(reverse("account_login"),
                       {"login": "applicant", "password": "wrong"}).status_code == 200
    assert person.post(reverse("account_login"),
                       {"login": "applicant", "password": demo_password}).status_code == 302
    person.post(reverse("account_logout"))

    from zhicheng.accounts.totp import activate_totp
    from zhicheng.demo.accounts import DEMO_TOTP_SECRET

    activate_totp(demo_users["city_office"], DEMO_TOTP_SECRET)
    city = Client()
    city.force_login(demo_users["city_office"])
    texts = {"the audit chain": _chain_text(), "the audit exports": _exports_text(city)}
    for where, text in texts.items():
        assert HASH_LIKE.search(text) is None, where
        for secret in (PASSWORD, demo_password, token.secret, token.token.secret_hash,
                       made.password, DEMO_TOTP_SECRET, "Root-Passw0rd-x!"):
            assert secret not in text, (where, secret[:6])


def test_snapshot_marks_secret_fields_and_keeps_the_others(superuser):
    snapshot = model_fields_snapshot(superuser)
    assert snapshot["password"] == REDACTED
    assert snapshot["username"] == "root_admin"
    assert snapshot["email"] == "root@example.invalid"


def test_totp_secret_never_enters_a_snapshot(superuser):
    from allauth.mfa.models import Authenticator

    authenticator = Authenticator(user=superuser, type=Authenticator.Type.TOTP,
                                  data={"secret": "JBSWY3DPEHPK3PXP"})
    assert model_fields_snapshot(authenticator)["data"] == REDACTED


def test_an_operation_handing_a_secret_to_the_door_is_still_redacted(season):
    from django.db import transaction

    from zhicheng.core.audit import append_event

    with transaction.atomic():
        event = append_event(actor=SYSTEM, action="test.leak", data={
            "token": "zc_deadbeef_abc", "nested": [{"password": "x1"}],
            "key_id": "public-key-1", "passed": True,
        })
    assert event.data == {"token": REDACTED, "nested": [{"password": REDACTED}],
                          "key_id": "public-key-1", "passed": True}


def test_redact_keeps_empty_values_and_public_identifiers():
    assert redact({"password": "", "token_name": "对接", "secret_hash": "ab"}) == {
        "password": "", "token_name": "对接", "secret_hash": REDACTED}
