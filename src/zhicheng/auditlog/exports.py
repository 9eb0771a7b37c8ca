"""The search result as CSV or Excel, streamed (openpyxl write-only: constant memory)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl import Workbook

from zhicheng.core.xlsx import stream_workbook

from .queries import EXPORT_COLUMNS


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list[Any]]) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    # The BOM lets Excel open the UTF-8 file with its Chinese text intact.
    yield "\ufeff".encode()
    yield writer.writerow(EXPORT_COLUMNS).encode("utf-8")
    for row in rows:
        yield writer.writerow(
            [v.isoformat(sep=" ") if hasattr(v, "isoformat") else v for v in row]
        ).encode("utf-8")


def xlsx_stream(rows: Iterable[list[Any]], chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志")
    ws.append(EXPORT_COLUMNS)
    for row in rows:
        ws.append(row)
    return stream_workbook(wb, chunk_size)
