"""Small real files made on the fly: PDFs and JPEG/PNG images."""

from __future__ import annotations

import io

from PIL import Image
from reportlab.pdfgen.canvas import Canvas


def make_pdf(pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for number in range(pages):
        canvas.drawString(72, 720, f"page {number + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def make_image(kind: str, size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    for x in range(size[0]):  # some structure, so the compressed data is not trivial
        image.putpixel((x, x % size[1]), (x * 4 % 256, 10, 200))
    buffer = io.BytesIO()
    image.save(buffer, format=kind)
    return buffer.getvalue()
