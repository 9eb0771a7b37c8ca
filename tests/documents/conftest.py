"""Small real files made on the fly: PDFs (plain, encrypted, truncated), JPEG and PNG."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
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


@pytest.fixture
def pdf_bytes() -> bytes:
    return make_pdf(pages=2)


@pytest.fixture
def encrypted_pdf_bytes() -> bytes:
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(make_pdf())).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def jpeg_bytes() -> bytes:
    return make_image("JPEG", (320, 240))


@pytest.fixture
def png_bytes() -> bytes:
    return make_image("PNG")
