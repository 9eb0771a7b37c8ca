"""Bulk paths of a season: every certificate PDF into one zip, streamed and chunked.

`certificates_zip(certs, fh)` (certificates/exports.py, shared with the certificate office's
bulk job, docs/jobs.md) writes one PDF at a time into a zip on `fh`, so memory does not grow
with the number of certificates. The Celery task `bulk.certificates_zip` runs it for a season over
the database in chunks (`iterator(chunk_size=...)`) into a temporary file and stores the
zip under `certificates/bulk/` in the default storage (S3-compatible in production)."""

from __future__ import annotations

import tempfile
from typing import Any

from celery import shared_task
from django.core.files import File
from django.core.files.storage import default_storage

from zhicheng.certificates.exports import certificates_zip, season_certificates

__all__ = ["certificates_zip", "certificates_zip_task"]


@shared_task(name="bulk.certificates_zip")
def certificates_zip_task(season_id: int, chunk_size: int = 200) -> dict[str, Any]:
    """All valid certificates of a season as one zip in storage; returns its name and count."""
    certs = season_certificates(season_id).iterator(chunk_size=chunk_size)
    with tempfile.TemporaryFile() as spool:
        count = certificates_zip(certs, spool)
        spool.seek(0)
        name = default_storage.save(f"certificates/bulk/season-{season_id}.zip", File(spool))
    return {"name": name, "count": count}
