"""Application test helpers: a one-page PDF upload."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from zhicheng.documents.placeholder import one_page_pdf


def pdf_bytes(text: str = "zhicheng test material") -> bytes:
    return one_page_pdf(text)


def pdf_upload(name: str = "证书.pdf", text: str = "material") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")
