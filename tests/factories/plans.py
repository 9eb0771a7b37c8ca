"""Plan tables as the office's files: workbooks with merged cells, CSVs in several encodings."""

from __future__ import annotations

import io

from openpyxl import Workbook

TITLES = ["序号", "专业名称", "评委会办事机构", "联系电话", "材料报送地址",
          "申报材料受理时间", "计划评审时间", "备注"]
ROWS = [
    [1, "统计（高级）", "市统计局", "85831080", "海州区朝阳东路69号", "7月", "9月", ""],
    [2, "体育教练", "市体育局", "85817650", "海州区苍梧路36号", "6月", "10月", ""],
    [3, "运动防护师", None, None, None, None, None, None],
    [4, "无人机驾驶", "市低空经济办", "85550000", "连云区港城大道1号", "8月", "11月", "新增"],
]


def workbook(rows: list[list[object]] | None = None, merge_rows: tuple[int, int] | None = (3, 4),
             title: bool = True) -> bytes:
    """Sheet: an optional title row merged across, the header, the rows. `merge_rows` are
    the sheet rows whose office..remarks cells are merged (rows 2–3 of the table)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if title:
        ws.append(["连云港市2025年职称评审计划表（示例）"])
        ws.merge_cells("A1:H1")
    ws.append(TITLES)
    for row in ROWS if rows is None else rows:
        ws.append(row)
    if merge_rows is not None:
        first, last = (r + (1 if title else 0) for r in merge_rows)
        for col in "CDEFGH":
            ws.merge_cells(f"{col}{first}:{col}{last}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_text(rows: list[list[object]] | None = None) -> str:
    lines = [",".join(TITLES)]
    for row in ROWS if rows is None else rows:
        lines.append(",".join("" if v is None else str(v) for v in row))
    return "\n".join(lines) + "\n"
