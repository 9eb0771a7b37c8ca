"""Page-budget test helpers: a one-page PDF upload and a logged-in client."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhicheng.documents.placeholder import one_page_pdf


def pdf_bytes(text: str = "zhicheng load material") -> bytes:
    return one_page_pdf(text)


def pdf_upload(text: str = "material") -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", pdf_bytes(text), content_type="application/pdf")


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c
