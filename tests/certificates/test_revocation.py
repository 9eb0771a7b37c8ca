"""Revocation (五（四）): city office only, visible on the public page and in the signed list,
integrity record, holder notified; one-vote veto during review; the public page and its log."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.test import Client

from zhicheng.applications.states import State
from zhicheng.certificates import keys
from zhicheng.certificates.models import Certificate, VerificationLog
from zhicheng.certificates.operations import revoke_certificate, veto_for_fraud
from zhicheng.certificates.signing import verify_revocation_list
from zhicheng.core.operations import NotPermitted, OperationError
from zhicheng.integrity.models import IntegrityRecord

pytestmark = pytest.mark.django_db

EVIDENCE = "论文系伪造，期刊社出具证明"


def _verify(client: Client, **data: str) -> str:
    return client.post("/verify/", data).content.decode()


def test_public_page_valid_unknown_and_masked(issued) -> None:
    cert = issued()
    client = Client()
    page = _verify(client, number=cert.number, name="张证书")
    assert 'id="result-label">有效<' in page and cert.id_masked in page
    # the certificate names its season (a past season's certificate stays checkable)
    assert f'id="certificate-season">{cert.application.season.name}<' in page
    assert cert.holder.id_number not in page
    assert "查无此证" in _verify(client, number=cert.number, name="李四")
    assert "查无此证" in _verify(client, number="LYG-2024-X-M-999999", name="张证书")
    qr = _verify(client, code=cert.qr_text)
    assert 'id="result-label">有效<' in qr
    tampered = cert.qr_text.replace(cert.qr_text[10], "A" if cert.qr_text[10] != "A" else "B", 1)
    assert "签名无效" in _verify(client, code=tampered)
    assert VerificationLog.objects.count() == 5
    assert VerificationLog.objects.filter(certificate=cert, result="valid").count() == 2


def test_each_lookup_finds_its_own_certificate_in_the_same_queries(issued) -> None:
    """The lookup by number and name is compiled once and run again with each visitor's
    input: every certificate is found with its own details, a mismatch with none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, second = issued(), issued(name="王有效")
    _verify(Client(), number="", name="")  # the site's city list is cached after a first page
    counts = []
    for cert, name in ((first, "张证书"), (second, "王有效"), (first, "张证书")):
        with CaptureQueriesContext(connection) as queries:
            page = _verify(Client(), number=cert.number.lower(), name=f" {name} ")
        counts.append(len(queries))
        assert 'id="result-label">有效<' in page and f"<td>{name}</td>" in page
        assert f"<td>{cert.number}</td>" in page and cert.id_masked in page
        assert f'id="certificate-season">{cert.application.season.name}<' in page
    assert counts[0] == counts[1] == counts[2]
    assert "查无此证" in _verify(Client(), number=first.number, name="王有效")


def test_verification_is_throttled(issued, settings) -> None:
    settings.ZHICHENG_VERIFY_THROTTLE = (2, 600)
    cert = issued()
    client = Client()
    for _ in range(2):
        assert client.post("/verify/", {"number": cert.number, "name": "x"}).status_code == 200
    assert client.post("/verify/", {"number": cert.number, "name": "x"}).status_code == 429


def test_only_city_office_revokes(issued, demo_users) -> None:
    cert = issued()
    for user in (cert.holder, demo_users["unit_hr"], demo_users["gongxin_committee"]):
        with pytest.raises(NotPermitted):
            revoke_certificate(cert, user, evidence=EVIDENCE, decision_number="d")
    client = Client()
    client.force_login(cert.holder)
    client.post(f"/certificates/office/revoke/{cert.pk}/",
                {"evidence": EVIDENCE, "decision_number": "d"})
    cert.refresh_from_db()
    assert cert.status == "valid"


def test_revocation_everywhere(issued, city_office, tmp_path) -> None:
    cert = issued()
    other = issued(name="王有效")
    with pytest.raises(OperationError):
        revoke_certificate(cert, city_office, evidence="", decision_number="d")
    revoke_certificate(cert, city_office, evidence=EVIDENCE, decision_number="连职称办〔2024〕30号")
    cert.refresh_from_db()
    assert cert.status == "revoked" and str(cert.revoked_on) == "2024-11-15"
    cert.application.refresh_from_db()
    assert cert.application.state == State.REVOKED
    record = IntegrityRecord.objects.get(person=cert.holder)
    assert str(record.end) == "2027-11-15" and record.decision_number == "连职称办〔2024〕30号"
    assert cert.holder.notifications.filter(kind="certificate.revoked").exists()
    # Public page: revoked, with the date and the reason category (not the evidence).
    page = _verify(Client(), number=cert.number, name="张证书")
    assert "已撤销" in page and "2024-11-15" in page and "弄虚作假" in page
    assert "撤销决定文号：连职称办〔2024〕30号" in page
    assert EVIDENCE not in page
    assert "已撤销" in _verify(Client(), code=cert.qr_text)
    # Signed revocation list, verifiable with the public keys.
    doc = Client().get("/verify/revocations.json").json()
    assert doc["list"]["issued_at"]
    revoked = verify_revocation_list(doc, keys.load_public_keys())
    assert cert.number in revoked and other.number not in revoked
    forged = json.loads(json.dumps(doc))
    forged["list"]["revoked"] = []
    with pytest.raises(ValueError):
        verify_revocation_list(forged, keys.load_public_keys())
    # Offline: the signature still verifies, but the list says revoked → exit 1.
    listing = tmp_path / "revocations.json"
    listing.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    env = {"ZHICHENG_KEY_DIR": str(tmp_path / "keys"), "PATH": "/usr/bin:/bin"}
    base = [sys.executable, "-m", "zhicheng", "certificate", "verify", "--revocations",
            str(listing)]
    run = subprocess.run([*base, cert.qr_text], capture_output=True, text=True, env=env)
    assert run.returncode == 1 and "撤销" in run.stderr and "revoked" in run.stderr
    ok = subprocess.run([*base, other.qr_text], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    # Revoking twice is refused.
    with pytest.raises(OperationError):
        revoke_certificate(cert, city_office, evidence=EVIDENCE, decision_number="d")


def test_revoke_through_office_page(issued, city_office) -> None:
    cert = issued()
    client = Client()
    client.force_login(city_office)
    client.post(f"/certificates/office/revoke/{cert.pk}/",
                {"evidence": EVIDENCE, "decision_number": "连职称办〔2024〕31号",
                 "category": "academic_misconduct"})
    cert.refresh_from_db()
    assert cert.status == "revoked" and cert.revocation_category == "academic_misconduct"


def test_the_office_page_cannot_pick_the_no_record_category(issued, city_office) -> None:
    """Only a sanction declaring results void revokes without an integrity record."""
    cert = issued()
    client = Client()
    client.force_login(city_office)
    page = client.get("/certificates/office/").content.decode()
    assert 'value="results_void"' not in page
    response = client.post(f"/certificates/office/revoke/{cert.pk}/",
                           {"evidence": EVIDENCE, "decision_number": "连职称办〔2024〕32号",
                            "category": "results_void"}, follow=True)
    assert "撤销原因类别不正确" in response.content.decode()
    cert.refresh_from_db()
    assert cert.status == "valid"


def test_one_vote_veto_during_review(make_approved, city_office, demo_users) -> None:
    app = make_approved(state="preliminary_review")
    with pytest.raises(NotPermitted):
        veto_for_fraud(app, demo_users["haizhou_reviewer"], EVIDENCE, "d")
    veto_for_fraud(app, city_office, EVIDENCE, "连职称办〔2024〕32号")
    app.refresh_from_db()
    assert app.state == State.REVOKED
    assert IntegrityRecord.objects.filter(person=app.applicant, reason="fraud").exists()
    assert not Certificate.objects.filter(application=app).exists()


def test_keys_published(issued) -> None:
    issued()
    old = keys.active_key_id()
    keys.generate()
    client = Client()
    page = client.get("/verify/keys/").content.decode()
    assert old in page and keys.active_key_id() in page
    data = client.get("/verify/keys.json").json()
    assert {k["key_id"] for k in data["keys"]} == {old, keys.active_key_id()}
    assert all("private" not in json.dumps(k) for k in data["keys"])


def test_rotation_old_certificate_still_verifies_online(issued) -> None:
    cert = issued()
    keys.generate()
    newer = issued(name="新证书")
    assert newer.key_id != cert.key_id
    client = Client()
    assert 'id="result-label">有效<' in _verify(client, code=cert.qr_text)
    assert 'id="result-label">有效<' in _verify(client, code=newer.qr_text)
