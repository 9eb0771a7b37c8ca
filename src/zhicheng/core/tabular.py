"""Reading a table the office saved itself: an Excel workbook (.xlsx) or a CSV in UTF-8 (with
or without BOM) or GB18030/GBK, Excel's default on a Chinese system. The kind of file is told
by its content, not its name; a file that is neither is refused with a Chinese message."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

MAX_TABLE_BYTES = 2 * 1024 * 1024


class TableRefused(ValueError):
    """The file as a whole cannot be read as a table (wrong kind, encoding, empty)."""


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not) first, then GB18030 (a superset of GBK and GB2312)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableRefused(
        "无法识别文件的文字编码：请在Excel中“另存为”Excel工作簿（.xlsx）或“CSV UTF-8”后重新上传。"
    )


def kind_of(data: bytes) -> str:
    """"xlsx" or "csv", told by the content; anything else is refused."""
    if len(data) > MAX_TABLE_BYTES:
        raise TableRefused(f"文件超过{MAX_TABLE_BYTES // 1024 // 1024}MB，不像是一张表格。")
    if not data.strip():
        raise TableRefused("文件是空的：请上传填好的表格。")
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TableRefused(
            "这是旧版Excel文件（.xls）：请在Excel中“另存为”Excel工作簿（.xlsx）后重新上传。"
        )
    if b"\x00" in data[:4096] or data[:5] == b"%PDF-":
        raise TableRefused("文件不是表格：请上传Excel工作簿（.xlsx）或CSV文件。")
    return "csv"


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def first_sheet(data: bytes) -> Worksheet:
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise TableRefused(
            "文件不是有效的Excel工作簿（.xlsx），可能已损坏：请在Excel中重新保存后上传。"
        ) from exc
    return workbook.worksheets[0]


def check_table(data: bytes) -> str:
    """The quick check made before an upload is kept (jobs/imports.py): the content is a
    workbook that opens as a zip with a workbook part, or text in a known encoding. The rows
    themselves are read later, by the import's preview. Returns "xlsx" or "csv"."""
    kind = kind_of(data)
    if kind == "csv":
        decode_text(data)
        return kind
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableRefused(
            "文件不是有效的Excel工作簿（.xlsx），可能已损坏：请在Excel中重新保存后上传。"
        ) from exc
    if "xl/workbook.xml" not in parts:
        raise TableRefused("文件不是Excel工作簿（.xlsx）：请上传Excel工作簿或CSV文件。")
    return kind


def _counted_rows(rows: Iterable[Iterable[Any]], on_row: Callable[[], None] | None,
                  ) -> list[list[str]]:
    found = []
    for values in rows:
        found.append([cell_text(v) for v in values])
        if on_row is not None:
            on_row()
    return found


def _calamine_rows(data: bytes) -> list[list[Any]] | None:
    """The first sheet with python-calamine (a Rust reader: ~12x less CPU than openpyxl's
    read-only mode on a 20,000-row roster, bench/README.md), every row and column kept so that
    sheet rows and columns are named as in Excel. None when calamine cannot read the file:
    openpyxl then reads it (and says what is wrong)."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            return None
        rows: list[list[Any]] = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:  # any failure: the openpyxl path reads it again and gives the reason
        return None
    return rows


def _streamed_rows(data: bytes, on_row: Callable[[], None] | None = None) -> list[list[str]]:
    fast = _calamine_rows(data)
    if fast is not None:
        return _counted_rows(fast, on_row)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise TableRefused(
            "文件不是有效的Excel工作簿（.xlsx），可能已损坏：请在Excel中重新保存后上传。"
        ) from exc
    try:
        if not workbook.worksheets:
            raise TableRefused("工作簿里没有工作表：请上传填好的表格。")
        sheet = workbook.worksheets[0]
        return _counted_rows(sheet.iter_rows(values_only=True), on_row)
    finally:
        workbook.close()


def read_rows(data: bytes, *, streaming: bool = False,
              on_row: Callable[[], None] | None = None) -> list[list[str]]:
    """Every row of the first sheet (or of the CSV) as stripped text. `streaming` reads the
    workbook with openpyxl's read-only mode (no merged cells, lower memory): for tables
    that have no merged cells to infer from (the provincial results, docs/exchange.md).
    `on_row` is called after each row read (an import job's progress). The streaming read
    uses python-calamine when it can (`_calamine_rows`)."""
    if kind_of(data) == "xlsx":
        if streaming:
            return _streamed_rows(data, on_row)
        sheet = first_sheet(data)
        return _counted_rows(sheet.iter_rows(values_only=True), on_row)
    text = decode_text(data)
    return _counted_rows(csv.reader(io.StringIO(text)), on_row)
