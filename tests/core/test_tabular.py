"""Reading uploaded tables (core/tabular.py): the fast reader (python-calamine) gives the same
rows as openpyxl, with sheet rows and columns where Excel shows them; the quick check made
before an upload is kept refuses by content."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from zhicheng.core import tabular


def _xlsx(cells: dict[str, object]) -> bytes:
    wb = Workbook()
    for ref, value in cells.items():
        wb.active[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _openpyxl_rows(data: bytes) -> list[list[str]]:
    return tabular._counted_rows(tabular.first_sheet(data).iter_rows(values_only=True), None)


def _trimmed(rows: list[list[str]]) -> list[list[str]]:
    return [list(r) + [""] * (max(map(len, rows)) - len(r)) for r in rows]


def test_the_fast_reader_reads_what_openpyxl_reads():
    data = _xlsx({"B3": "姓名", "C3": "入库日期", "D3": "人数", "E3": "有效",
                  "B4": "王专家", "C4": dt.date(2024, 1, 1), "D4": 12, "E4": True,
                  "B6": " 空行之后 ", "D6": 1.5})
    assert tabular._calamine_rows(data) is not None  # the fast path is the one taken
    rows = tabular.read_rows(data, streaming=True)
    assert rows[2][1:5] == ["姓名", "入库日期", "人数", "有效"]  # row 3, column B
    assert rows[3][1:5] == ["王专家", "2024-01-01", "12", "是"]
    assert rows[5][1] == "空行之后" and rows[5][3] == "1.5"
    assert _trimmed(rows) == _trimmed(_openpyxl_rows(data))


def test_rows_are_counted_as_they_are_read():
    data = _xlsx({f"A{n}": f"第{n}行" for n in range(1, 8)})
    seen: list[int] = []
    tabular.read_rows(data, streaming=True, on_row=lambda: seen.append(1))
    assert len(seen) == 7


@pytest.mark.parametrize(("data", "reason"), [
    (b"%PDF-1.7 a document", "文件不是表格"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "旧版Excel文件"),
    (b"PK\x03\x04 not a zip at all", "不是有效的Excel工作簿"),
    (b"\xff\xfe\x00\x00 utf-32?", "文件不是表格"),
])
def test_the_quick_check_refuses_by_content(data, reason):
    with pytest.raises(tabular.TableRefused, match=reason):
        tabular.check_table(data)


def test_the_quick_check_accepts_a_workbook_and_chinese_csv():
    assert tabular.check_table(_xlsx({"A1": "姓名"})) == "xlsx"
    assert tabular.check_table("姓名,专业\r\n王,质量".encode("gb18030")) == "csv"
