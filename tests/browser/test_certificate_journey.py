"""Certificates in Chromium: from an approved result the city title office
issues the certificate; the holder downloads the PDF from “我的证书”; anyone verifies it on
the public page, by number and name and by the QR code's text."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.browser.sessions import hand_session
from tests.factories.certificates import (  # noqa: F401  (fixtures)
    _keys_and_date,
    city_office,
    make_approved,
)

pytestmark = pytest.mark.browser


def test_certificate_journey(page, live_server, make_approved, city_office, tmp_path):  # noqa: F811
    from zhicheng.certificates.models import Certificate

    base = live_server.url
    app = make_approved(name="钱旅程")

    # 1. The city title office issues the certificate of the approved result.
    hand_session(page, base, city_office)
    page.goto(f"{base}/certificates/office/")
    row = page.locator(f"#app-{app.pk}")
    row.locator("input[name=approval_number]").fill("连职称办〔2024〕50号")
    row.locator("button:has-text('签发电子证书')").click()
    page.wait_for_selector("text=已签发电子证书")
    cert = Certificate.objects.get(application=app)

    # 2. The holder downloads it from “我的证书”.
    hand_session(page, base, app.applicant)
    page.goto(f"{base}/certificates/")
    assert cert.number in page.inner_text("#certificates")
    with page.expect_download() as info:
        page.click("text=下载证书PDF")
    path = tmp_path / "certificate.pdf"
    info.value.save_as(path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    code = str(reader.metadata["/Keywords"])
    assert code.startswith("ZC1.") and cert.number in reader.pages[0].extract_text()

    # 3. Anyone verifies it on the public page: by number and name, then by the QR text.
    page.context.clear_cookies()
    page.goto(f"{base}/verify/")
    page.fill("#v-number", cert.number)
    page.fill("#v-name", "钱旅程")
    page.click("#by-number button")
    assert page.inner_text("#result-label") == "有效"
    assert cert.id_masked in page.inner_text("#certificate")
    page.fill("#v-code", code)
    page.click("#by-code button")
    assert page.inner_text("#result-label") == "有效"
    assert "连职称办〔2024〕50号" in page.inner_text("#certificate")
