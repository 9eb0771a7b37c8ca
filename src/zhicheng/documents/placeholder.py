"""A one-page PDF with a line of text: the material demos, the simulator, the load seeder and
the tests upload (a real PDF, so the upload checks by content accept it)."""

from __future__ import annotations

import io


def one_page_pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas  # start-up time: reportlab loads only for a PDF

    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buf.getvalue()
