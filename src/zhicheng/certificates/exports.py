"""Every certificate PDF of a season into one zip, one PDF at a time (a PDF is rendered,
written and dropped before the next one, so memory does not grow with the number of
certificates). The bulk job of the certificate office page runs it (docs/jobs.md); the
simulator's `bulk.certificates_zip` task too (docs/simulation.md)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from typing import IO, Any

from django.db.models import QuerySet

from .models import Certificate
from .pdf import render_certificate


def season_certificates(season_id: int) -> QuerySet[Certificate]:
    """The valid certificates of a season, in number order (what the bulk zip holds)."""
    return Certificate.objects.filter(
        application__season_id=season_id, status="valid").order_by("number")


def certificates_zip(certs: Iterable[Any], fh: IO[bytes],
                     step: Callable[[], None] | None = None) -> int:
    count = 0
    with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as zf:  # PDFs are compressed already
        for cert in certs:
            zf.writestr(f"{cert.number}.pdf", render_certificate(cert))
            count += 1
            if step is not None:
                step()
    return count
