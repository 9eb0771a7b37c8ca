"""Bulk paths of a season: every certificate PDF into one zip, streamed and chunked.

`certificates_zip(certs, fh)` writes one PDF at a time into a zip on `fh` (a certificate's
PDF is rendered, written and dropped before the next one), so memory does not grow with the
number of certificates. The Celery task `bulk.certificates_zip` runs it for a season over
the database in chunks (`iterator(chunk_size=...)`) into a temporary file and stores the
zip under `certificates/bulk/` in the default storage (S3-compatible in production)."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from celery import shared_task
from django.core.files import File
from django.core.files.storage import default_storage

from zhicheng.certificates.models import Certificate
from zhicheng.certificates.pdf import render_certificate


def certificates_zip(certs: Iterable[Any], fh: IO[bytes]) -> int:
    count = 0
    with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as zf:  # PDFs are compressed already
        for cert in certs:
            zf.writestr(f"{cert.number}.pdf", render_certificate(cert))
            count += 1
    return count


@shared_task(name="bulk.certificates_zip")
def certificates_zip_task(season_id: int, chunk_size: int = 200) -> dict[str, Any]:
    """All valid certificates of a season as one zip in storage; returns its name and count."""
    certs = (Certificate.objects.filter(application__season_id=season_id, status="valid")
             .order_by("number").iterator(chunk_size=chunk_size))
    with tempfile.TemporaryFile() as spool:
        count = certificates_zip(certs, spool)
        spool.seek(0)
        name = default_storage.save(f"certificates/bulk/season-{season_id}.zip", File(spool))
    return {"name": name, "count": count}
