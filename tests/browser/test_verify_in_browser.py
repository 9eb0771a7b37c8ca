"""The public verification page checks a certificate's signature in the visitor's browser
(WebCrypto Ed25519): the QR code's link opens the page with the code in its fragment and
the page says the signature is valid; one changed byte and it says forged."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories.certificates import (  # noqa: F401  (fixtures)
    _keys_and_date,
    city_office,
    issued,
    make_approved,
)

pytestmark = pytest.mark.browser


def test_qr_link_verifies_in_the_browser(page: Any, live_server: Any, issued: Any) -> None:  # noqa: F811
    from zhicheng.certificates.payload import b64d, b64e, encode
    from zhicheng.certificates.pdf import qr_content

    cert = issued(name="孙浏览")
    base = live_server.url
    page.goto(qr_content(cert, f"{base}/verify/"))
    page.wait_for_selector("#browser-check-label")
    assert "浏览器已验证签名" in page.inner_text("#browser-check-label")
    assert page.inner_text("#browser-check [data-field=name]") == "孙浏览"
    assert page.input_value("#v-code") == cert.qr_text

    body = bytearray(cert.payload.encode("utf-8"))
    body[body.index("孙".encode())] ^= 0x01
    forged = encode(bytes(body), b64d(cert.signature), cert.key_id)
    assert forged != cert.qr_text and b64e(bytes(body))
    page.fill("#v-code", forged)
    page.click("#browser-verify")
    page.wait_for_function(  # a function, not a string: the site's CSP forbids eval
        "() => document.getElementById('browser-check-label').textContent.includes('失败')")
    assert "内容被改动或伪造" in page.inner_text("#browser-check-label")


def test_an_sm2_code_is_not_claimed_by_the_browser_and_the_server_checks_it(
    page: Any, live_server: Any, issued: Any,  # noqa: F811
) -> None:
    """WebCrypto has no SM2: the page says the browser did not check the signature, and one
    click has the server check it, which its answer says (docs/trust.md §Signature
    algorithms)."""
    from django.core.management import call_command

    from zhicheng.certificates.pdf import qr_content

    call_command("certificate", "rotate", "--algorithm", "SM2")
    cert = issued(name="周国密")
    page.goto(qr_content(cert, f"{live_server.url}/verify/"))
    page.wait_for_selector("#browser-check-label")
    assert "浏览器无法自行验证SM2签名" in page.inner_text("#browser-check-label")
    assert "浏览器已验证签名" not in page.inner_text("#browser-check")
    page.click("#by-code button[type=submit]")
    page.wait_for_selector("#server-checked")
    assert "签名由服务器验证" in page.inner_text("#server-checked")
    assert "有效" in page.inner_text("#result-label")
