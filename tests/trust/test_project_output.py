"""The standalone verifiers accept what the project itself publishes: a certificate's QR
text and verification link with the published keys.json, the signed revocation list (a
revoked certificate is refused), an expert draw record, the audit chain export."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from .tools import run_tool

pytestmark = pytest.mark.django_db


def _published(client: Client, url: str, path: Path) -> Path:
    response = client.get(url)
    assert response.status_code == 200
    path.write_bytes(response.content)
    return path


def test_issued_certificate_verifies_and_is_refused_after_revocation(
    issued: Any, city_office: Any, tmp_path: Path
) -> None:
    from zhicheng.certificates.operations import revoke_certificate

    cert = issued(name="王核验")
    client = Client()
    keys = _published(client, "/verify/keys.json", tmp_path / "keys.json")
    ok = run_tool("certificate.py", "--keys", str(keys), cert.qr_text)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"VALID: certificate {cert.number}" in ok.stdout and "王核验" in ok.stdout
    code_file = tmp_path / "code.txt"
    code_file.write_text(f"https://example.invalid/verify/#{cert.qr_text}\n", encoding="utf-8")
    assert run_tool("certificate.py", "--keys", str(keys), str(code_file)).returncode == 0

    revoke_certificate(cert, city_office, evidence="学历证书系伪造（核查记录）",
                       decision_number="连人社〔2024〕99号")
    revocations = _published(client, "/verify/revocations.json", tmp_path / "rev.json")
    listed = run_tool("revocations.py", "--keys", str(keys), str(revocations))
    assert listed.returncode == 0 and cert.number in listed.stdout
    refused = run_tool("certificate.py", "--keys", str(keys), "--revocations",
                       str(revocations), cert.qr_text)
    assert refused.returncode == 1 and f"REVOKED: {cert.number}" in refused.stdout


def test_audit_export_verifies_and_an_edited_event_is_caught(
    issued: Any, tmp_path: Path
) -> None:
    from zhicheng.core.models import AuditEvent

    issued()
    export = tmp_path / "audit.jsonl"
    call_command("audit", "export", output=str(export), stdout=io.StringIO())
    count = AuditEvent.objects.count()
    ok = run_tool("audit_chain.py", str(export))
    assert ok.returncode == 0 and f"OK: {count} events, chain intact" in ok.stdout
    victim = AuditEvent.objects.order_by("seq")[1]
    AuditEvent.objects.filter(pk=victim.pk).update(summary="篡改")
    call_command("audit", "export", output=str(export), stdout=io.StringIO())
    bad = run_tool("audit_chain.py", str(export))
    assert bad.returncode == 1 and f"BROKEN: event #{victim.seq}" in bad.stdout


def test_published_revocation_list_has_sequence_and_dates_and_goes_stale(
    issued: Any, city_office: Any, tmp_path: Path
) -> None:
    import datetime as dt

    from zhicheng.certificates import keys as keystore
    from zhicheng.certificates.operations import revoke_certificate
    from zhicheng.certificates.queries import revocation_list
    from zhicheng.certificates.signing import verify_revocation_list

    cert = issued()
    before = Client().get("/verify/revocations.json").json()["list"]
    revoke_certificate(cert, city_office, evidence="伪造业绩材料（核查记录）",
                       decision_number="连人社〔2024〕100号")
    after = Client().get("/verify/revocations.json").json()["list"]
    assert after["sequence"] > before["sequence"]  # a list from after a revocation is newer
    this_update = dt.datetime.fromisoformat(after["this_update"])
    assert dt.datetime.fromisoformat(after["next_update"]) == this_update + dt.timedelta(hours=24)

    old = revocation_list(now=dt.datetime.now(dt.UTC) - dt.timedelta(days=2))
    with pytest.raises(ValueError, match="已过期"):
        verify_revocation_list(old, keystore.load_public_keys())
    keys = _published(Client(), "/verify/keys.json", tmp_path / "keys.json")
    stale = tmp_path / "old.json"
    stale.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    out = run_tool("revocations.py", "--keys", str(keys), str(stale))
    assert out.returncode == 1 and "stale" in out.stdout


def test_qr_is_a_verification_link_and_a_revoked_pdf_is_stamped(
    issued: Any, city_office: Any, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from zhicheng.certificates.operations import revoke_certificate
    from zhicheng.certificates.pdf import qr_content

    cert = issued(name="赵撤销")
    link = qr_content(cert, "https://zc.example.invalid/verify/")
    assert link == f"https://zc.example.invalid/verify/#{cert.qr_text}"
    keys = _published(Client(), "/verify/keys.json", tmp_path / "keys.json")
    assert run_tool("certificate.py", "--keys", str(keys), link).returncode == 0
    holder = Client()
    holder.force_login(cert.holder)
    clean = PdfReader(io.BytesIO(holder.get(f"/certificates/{cert.number}.pdf").content))
    assert "已撤销" not in clean.pages[0].extract_text()

    revoke_certificate(cert, city_office, evidence="伪造论文（核查记录）",
                       decision_number="连人社〔2024〕101号")
    stamped = PdfReader(io.BytesIO(holder.get(f"/certificates/{cert.number}.pdf").content))
    text = stamped.pages[0].extract_text()
    assert "已撤销" in text and "连人社〔2024〕101号" in text
    # The offline verifier reads the code from a pasted link too.
    out = io.StringIO()
    call_command("certificate", "verify", link, "--keys", str(keys), stdout=out)
    assert "签名有效" in out.getvalue() or "有效" in out.getvalue()


def test_certificate_names_the_committee_that_evaluated_and_its_pass_date(
    world: Any, make_approved: Any, city_office: Any, tmp_path: Path
) -> None:
    import datetime as dt

    from pypdf import PdfReader

    from zhicheng.certificates.operations import issue_certificate
    from zhicheng.evaluation.models import Case

    app = make_approved(name="周评委会")
    meeting = world.meeting(date=dt.date(2024, 10, 25))
    Case.objects.create(meeting=meeting, application=app)  # test setup: the meeting's case
    world.today("2024-11-15")
    cert = issue_certificate(app, city_office, approval_number="连职称办〔2024〕12号")
    signed = json.loads(cert.payload)
    assert signed["committee"] == world.committee.name  # its real name, not a made-up one
    assert signed["passed"] == "2024-10-25" and signed["qualified"] == "2024-11-15"
    keys = _published(Client(), "/verify/keys.json", tmp_path / "keys.json")
    out = run_tool("certificate.py", "--keys", str(keys), cert.qr_text)
    assert out.returncode == 0 and "passed: 2024-10-25" in out.stdout
    holder = Client()
    holder.force_login(cert.holder)
    text = PdfReader(io.BytesIO(holder.get(f"/certificates/{cert.number}.pdf").content)
                     ).pages[0].extract_text()
    assert world.committee.name in text and "评审通过日期" in text and "批准日期" in text
