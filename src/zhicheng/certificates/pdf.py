"""The certificate PDF: A4 landscape, embedded Chinese font, the QR code holding the signed
payload (`ZC1.<payload>.<signature>.<key id>`), deterministic for the same certificate."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from zhicheng.documents.fonts import register_cjk_font
from zhicheng.documents.qr import qr_png

TITLE = "专业技术资格证书"


def qr_content(cert: Any, verify_url: str = "") -> str:
    """What the QR code holds: the verification page's link with the signed code in its
    fragment (`…/verify/#ZC1.…`), so a phone scan opens the page, which verifies the code in
    the browser; the fragment is never sent to the server, and the code still verifies
    offline (docs/trust.md §Certificate). Without a link, the bare code."""
    return f"{verify_url}#{cert.qr_text}" if verify_url else cert.qr_text


def _revoked_stamp(c: Canvas, cert: Any, font: str, width: float, height: float) -> None:
    """已撤销 across the page with the revocation's document number and date: a revoked
    certificate's PDF never downloads clean."""
    c.saveState()
    c.setFillColor(colors.HexColor("#c00000"))
    c.setStrokeColor(colors.HexColor("#c00000"))
    c.translate(width / 2 - 40 * mm, height / 2 - 10 * mm)
    c.rotate(20)
    c.setLineWidth(3)
    c.rect(-10 * mm, -22 * mm, 130 * mm, 62 * mm)
    c.setFont(font, 60)
    c.drawString(0, 12 * mm, "已撤销")
    c.setFont(font, 12)
    day = cert.revoked_on.isoformat() if cert.revoked_on else ""
    c.drawString(0, 0, f"撤销决定文号：{cert.revocation_decision_number or '—'}")
    c.drawString(0, -8 * mm, f"撤销日期：{day}")
    c.drawString(0, -16 * mm, "本证书已撤销，不再有效")
    c.restoreState()


def render_certificate(cert: Any, *, verify_url: str = "") -> bytes:
    font = register_cjk_font()
    width, height = landscape(A4)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(width, height), invariant=1, initialFontName=font)
    c.setTitle(f"{TITLE} {cert.number}")
    c.setAuthor(cert.issuing_authority)
    c.setSubject(cert.number)
    c.setKeywords(cert.qr_text)  # the signed code, for `zhicheng certificate verify FILE.pdf`
    c.setStrokeColor(colors.HexColor("#8b1a1a"))
    c.setLineWidth(3)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setLineWidth(0.8)
    c.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    c.setFillColor(colors.HexColor("#8b1a1a"))
    c.setFont(font, 28)
    c.drawCentredString(width / 2, height - 40 * mm, TITLE)
    c.setFont(font, 11)
    c.drawCentredString(width / 2, height - 48 * mm, "（电子证书）")
    c.setFillColor(colors.black)
    rows = [
        ("证书编号", cert.number),
        ("姓　　名", cert.holder_name),
        ("证件号码", f"{cert.id_type} {cert.id_masked}".strip() or "—"),
        ("系　　列", cert.series_name),
        ("专　　业", cert.specialty),
        ("职称名称", f"{cert.title_name}（{cert.level}）"),
        ("取得途径", cert.route + (f"（{cert.round_label}）" if cert.round_label else "")),
        ("评审委员会", cert.committee),
        ("评审编号", cert.review_number),
        ("批准文号", cert.approval_number),
        *([("评审通过日期", cert.passed_on.isoformat())] if cert.passed_on else []),
        ("批准日期", cert.qualification_date.isoformat()),
        ("发证日期", cert.issue_date.isoformat()),
        ("制发证机构", cert.issuing_authority),
    ]
    y = height - 64 * mm
    for label, value in rows:
        c.setFont(font, 11)
        c.setFillColor(colors.HexColor("#555555"))
        c.drawString(30 * mm, y, label)
        c.setFillColor(colors.black)
        c.setFont(font, 12)
        c.drawString(62 * mm, y, str(value)[:60])
        y -= 8.0 * mm
    qr_size = 72 * mm
    qr = ImageReader(io.BytesIO(qr_png(qr_content(cert, verify_url), scale=4, border=2, error="l")))
    qx, qy = width - 30 * mm - qr_size, 40 * mm
    c.drawImage(qr, qx, qy, qr_size, qr_size)
    c.setFont(font, 8)
    c.drawCentredString(qx + qr_size / 2, qy - 5 * mm, "扫码或在证书查验页面核验真伪")
    if verify_url:
        c.drawCentredString(qx + qr_size / 2, qy - 9 * mm, verify_url)
    c.drawCentredString(qx + qr_size / 2, qy - 13 * mm, f"Ed25519 签名密钥 {cert.key_id}")
    c.setFont(font, 8)
    c.setFillColor(colors.HexColor("#555555"))
    c.drawString(
        30 * mm, 22 * mm,
        "本证书为电子证书，由持证人自行下载打印，与纸质证书具有同等效力；真伪以查验结果为准。",
    )
    if cert.is_revoked:
        _revoked_stamp(c, cert, font, width, height)
    c.showPage()
    c.save()
    return buf.getvalue()
