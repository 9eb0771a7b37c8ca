"""Streaming an openpyxl write-only workbook: rows go to a spooled file (memory stays bounded
whatever the number of rows), which is then read out in chunks for a StreamingHttpResponse."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from openpyxl import Workbook


def stream_workbook(wb: Workbook, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    # closed by the generator below once the response has streamed it
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    wb.save(spool)
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        try:
            while chunk := spool.read(chunk_size):
                yield chunk
        finally:
            spool.close()

    return chunks()
