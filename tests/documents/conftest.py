"""Small real files made on the fly: PDFs (plain, encrypted, truncated), JPEG and PNG."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from tests.factories.documents import make_image, make_pdf


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
