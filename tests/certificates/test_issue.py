"""Issuing: numbering, fields, the state machine, permissions, 初定 rounds, PDF, downloads."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest
from django.test import Client

from zhicheng.applications.states import State
from zhicheng.certificates import keys
from zhicheng.certificates.models import Certificate
from zhicheng.certificates.operations import issue_certificate
from zhicheng.certificates.signing import verify_text
from zhicheng.core.operations import NotPermitted, OperationError

pytestmark = pytest.mark.django_db


def test_issue_numbers_signs_and_fires(issued) -> None:
    cert = issued()
    assert re.fullmatch(r"LYG-2024-ENGINEERING-M-\d{6}", cert.number)
    cert.application.refresh_from_db()
    assert cert.application.state == State.CERTIFICATE_ISSUED
    result = verify_text(cert.qr_text, keys.load_public_keys())
    assert result.valid
    data = result.data
    assert data["no"] == cert.number and data["name"] == "张证书"
    assert "*" in data["idm"] and cert.holder.id_number not in cert.payload
    assert data["approval"] == "连职称办〔2024〕12号" and data["kid"] == cert.key_id
    second = issued()
    assert int(second.number[-6:]) == int(cert.number[-6:]) + 1
    assert cert.holder.notifications.filter(kind="certificate.issued").exists()


def test_only_city_office_issues(make_approved, demo_users) -> None:
    app = make_approved()
    for user in (demo_users["unit_hr"], app.applicant, demo_users["gongxin_committee"]):
        with pytest.raises(NotPermitted):
            issue_certificate(app, user, approval_number="x")
    assert not Certificate.objects.filter(application=app).exists()


def test_not_approved_is_refused(make_approved, city_office) -> None:
    app = make_approved(state="result_publicity")
    with pytest.raises(OperationError):
        issue_certificate(app, city_office, approval_number="x")
    assert not Certificate.objects.exists()


def test_initial_determination_only_in_round_months(make_approved, city_office, settings) -> None:
    app = make_approved(route="initial_determination")
    settings.ZHICHENG_TODAY = "2024-08-01"
    with pytest.raises(OperationError, match="6月、11月"):
        issue_certificate(app, city_office, approval_number="x")
    settings.ZHICHENG_TODAY = "2024-11-20"
    cert = issue_certificate(app, city_office, approval_number="x")
    assert cert.round_label == "2024年11月批次" and cert.route == "初定"
    assert "2024年11月批次" in cert.payload


def test_assessment_recognition_route(make_approved, city_office) -> None:
    cert = issue_certificate(make_approved(route="assessment_recognition"), city_office,
                             approval_number="x")
    assert cert.route == "考核认定" and "考核认定" in cert.committee


def test_holder_downloads_pdf_others_get_404(issued, demo_users, city_office, tmp_path) -> None:
    from pypdf import PdfReader

    cert = issued()
    client = Client()
    client.force_login(cert.holder)
    listing = client.get("/certificates/")
    assert cert.number in listing.content.decode()
    response = client.get(f"/certificates/{cert.number}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata["/Keywords"] == cert.qr_text
    text = reader.pages[0].extract_text()
    assert cert.number in text and "专业技术资格证书" in text
    path = tmp_path / "c.pdf"
    path.write_bytes(response.content)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    rows = out.stdout.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), out.stdout
    other = Client()
    other.force_login(demo_users["applicant"])
    assert other.get(f"/certificates/{cert.number}.pdf").status_code == 404
    assert cert.number not in other.get("/certificates/").content.decode()
    anon = Client().get(f"/certificates/{cert.number}.pdf")
    assert anon.status_code == 302


def test_office_page_issue_via_http(make_approved, city_office, demo_users) -> None:
    app = make_approved()
    client = Client()
    client.force_login(city_office)
    page = client.get("/certificates/office/")
    assert page.status_code == 200 and f"app-{app.pk}" in page.content.decode()
    client.post(f"/certificates/office/issue/{app.pk}/", {"approval_number": "连职称办〔2024〕9号"})
    assert Certificate.objects.get(application=app).approval_number == "连职称办〔2024〕9号"
    hr = Client()
    hr.force_login(demo_users["applicant"])
    assert hr.get("/certificates/office/").status_code == 404


def test_offline_verifier_command(issued, tmp_path) -> None:
    from pypdf import PdfReader  # noqa: F401

    cert = issued()
    pdf = tmp_path / "c.pdf"
    client = Client()
    client.force_login(cert.holder)
    pdf.write_bytes(client.get(f"/certificates/{cert.number}.pdf").content)
    # Only the public key files: copy them elsewhere, no private key, no database.
    pub_dir = tmp_path / "pub"
    pub_dir.mkdir()
    for p in (tmp_path / "keys").glob("*.pub.json"):
        (pub_dir / p.name).write_bytes(p.read_bytes())
    env = {"ZHICHENG_KEY_DIR": str(tmp_path / "nowhere"), "DATABASE_URL": "sqlite:////nonexistent/x.db",
           "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "zhicheng", "certificate", "verify", "--keys", str(pub_dir)]
    ok = subprocess.run([*cmd, str(pdf)], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    assert "证书签名有效" in ok.stdout and "valid" in ok.stdout
    ok2 = subprocess.run([*cmd, cert.qr_text], capture_output=True, text=True, env=env)
    assert ok2.returncode == 0, ok2.stderr
    text = cert.qr_text
    parts = text.split(".")
    body = bytearray(__import__("base64").urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    body[5] ^= 1
    from zhicheng.certificates.payload import b64e

    forged = ".".join([parts[0], b64e(bytes(body)), parts[2], parts[3]])
    bad = subprocess.run([*cmd, forged], capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and "验证失败" in bad.stderr and "failed" in bad.stderr


def test_issue_approved_and_revocations_commands(make_approved, city_office, tmp_path) -> None:
    import json

    from django.core.management import call_command

    from zhicheng.certificates.signing import verify_revocation_list

    apps = [make_approved(), make_approved(name="孙批量")]
    out = io.StringIO()
    call_command("certificate", "issue-approved", "--approval-number", "连职称办〔2024〕60号",
                 stdout=out, stderr=io.StringIO())
    assert "签发 2 份" in out.getvalue()
    assert Certificate.objects.filter(application__in=apps).count() == 2
    target = tmp_path / "rev.json"
    call_command("certificate", "revocations", "--output", str(target))
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert verify_revocation_list(doc, keys.load_public_keys()) == {}
    with pytest.raises(Exception, match="rotate"):
        call_command("certificate", "keygen")
    call_command("certificate", "rotate", stdout=io.StringIO())
    assert len(keys.published_keys()) == 2


def test_initial_determination_takes_the_shorter_path_inside_a_round(
    make_approved, city_office, settings
) -> None:
    from zhicheng.applications.states import TransitionRefused
    from zhicheng.certificates.operations import confirm_special_route

    app = make_approved(route="initial_determination", state="preliminary_review")
    settings.ZHICHENG_TODAY = "2024-08-01"
    with pytest.raises(TransitionRefused, match="6月、11月"):
        confirm_special_route(app, city_office)
    app.refresh_from_db()
    assert app.state == "preliminary_review"
    settings.ZHICHENG_TODAY = "2024-11-20"
    confirm_special_route(app, city_office)
    app.refresh_from_db()
    assert app.state == "approved"
    cert = issue_certificate(app, city_office, approval_number="连职称办〔2024〕99号")
    assert cert.round_label == "2024年11月批次"


def test_a_normal_route_cannot_skip_the_meeting(make_approved, city_office) -> None:
    from zhicheng.applications.states import TransitionRefused
    from zhicheng.certificates.operations import confirm_special_route

    app = make_approved(route="normal", state="committee_recheck")
    with pytest.raises(TransitionRefused, match="二（六）"):
        confirm_special_route(app, city_office)
    app.refresh_from_db()
    assert app.state == "committee_recheck"


def test_assessment_recognition_is_confirmed_without_a_round(make_approved, city_office) -> None:
    from zhicheng.certificates.operations import confirm_special_route

    app = make_approved(route="assessment_recognition", state="committee_recheck")
    confirm_special_route(app, city_office)
    app.refresh_from_db()
    assert app.state == "approved"


def test_the_number_prefix_is_the_seasons_own(make_approved, city_office) -> None:
    """The city's prefix is season data (certificates.number_prefix): another city's season
    numbers its certificates with its own; a season without one is refused by name."""
    app = make_approved()
    assert issue_certificate(app, city_office, approval_number="x").number.startswith("LYG-2024-")
    season = app.season
    season.parameters = {**season.parameters, "certificates": {"number_prefix": {"value": "yh"}}}
    season.save(update_fields=["parameters"])
    other = make_approved()
    assert issue_certificate(other, city_office, approval_number="x").number.startswith("YH-2024-")
    season.parameters = {k: v for k, v in season.parameters.items() if k != "certificates"}
    season.save(update_fields=["parameters"])
    with pytest.raises(OperationError, match="certificates.number_prefix"):
        issue_certificate(make_approved(), city_office, approval_number="x")
