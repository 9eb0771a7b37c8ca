"""Reading the plan table (评审计划表) from the city office's own files: an Excel workbook
(.xlsx, merged cells included) or a CSV in UTF-8 (with or without BOM) or GB18030/GBK (what
Excel saves by default on a Chinese system). Both end in `policy.plans.parse_plan_table`, so
an uploaded table, a season folder and the command line apply the same checks and the same
inference marks: a blank cell covered by a merged cell takes the value of the range's first
row, recorded as an `Inference` with that row's 序号, exactly as `merges.csv` does.

No database here: `plan_import` compares the result with the stored table and writes it.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from zhicheng.core.tabular import (
    MAX_TABLE_BYTES,
    TableRefused,
    cell_text,
    decode_text,
    first_sheet,
    kind_of,
)
from zhicheng.policy.plans import (
    COLUMN_TITLES,
    INFERABLE_FIELDS,
    MERGE_COLUMNS,
    PLAN_COLUMNS,
    PlanTable,
    parse_plan_table,
)

MAX_UPLOAD_BYTES = MAX_TABLE_BYTES

OPTIONAL_COLUMNS = ("remarks",)
HEADER_SEARCH_ROWS = 10


def column_title(field_name: str) -> str:
    """The Chinese title of a plan column (people never see the code)."""
    return COLUMN_TITLES.get(field_name, (field_name,))[0]


# A refused plan file is a refused table (wrong kind, encoding, empty) or a missing header.
PlanFileRefused = TableRefused


@dataclass(frozen=True)
class CellProblem:
    """A problem placed where the office will look for it: sheet row and column."""

    severity: str
    sheet_row: int | None
    column: str  # "C（评委会办事机构）", or "" for the whole row / file
    plan_row: int | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet_row is not None:
            where.append(f"第{self.sheet_row}行")
        if self.column:
            where.append(self.column)
        if self.plan_row is not None:
            where.append(f"序号{self.plan_row}")
        label = "错误" if self.severity == "error" else "提示"
        return f"[{label}] {'，'.join(where) or '整个文件'}：{self.message}"


@dataclass
class PlanFile:
    """A plan table read from a file, with every problem placed by sheet row and column."""

    filename: str
    kind: str  # "xlsx" | "csv"
    digest: str
    table: PlanTable
    problems: list[CellProblem]
    # The table as a package's plans.csv and merges.csv (what a season draft stores).
    plans_text: str = ""
    merges_text: str = ""

    @property
    def errors(self) -> list[CellProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[CellProblem]:
        return [p for p in self.problems if p.severity == "warning"]


def _normal(title: str) -> str:
    return "".join(title.split()).lstrip("\ufeff").lower()


_TITLE_TO_FIELD = {
    _normal(title): name for name, titles in COLUMN_TITLES.items() for title in titles
}


def _header_index(rows: list[list[str]]) -> int:
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = {_TITLE_TO_FIELD.get(_normal(v)) for v in values}
        if {"row", "specialty"} <= fields:
            return index
    raise PlanFileRefused(
        "找不到表头：表的前10行中应有一行写着“序号”“专业名称”“评委会办事机构”等列名"
        "（可下载模板对照）。"
    )


def _read_rows(
    filename: str, kind: str, rows: list[list[str]], merged: list[tuple[int, int, int, int]]
) -> tuple[str, str, list[CellProblem], int, dict[str, str]]:
    """Turn sheet rows into the loader's plans/merges CSV texts. Returns (plans, merges,
    early problems, header sheet row, column label per field)."""
    head = _header_index(rows)
    header_row = head + 1  # sheet rows count from 1
    columns: dict[str, int] = {}
    problems: list[CellProblem] = []
    for position, title in enumerate(rows[head]):
        field_name = _TITLE_TO_FIELD.get(_normal(title))
        if field_name is None:
            continue
        if field_name in columns:
            problems.append(CellProblem(
                "error", header_row, _label(position, field_name), None,
                f"列“{column_title(field_name)}”出现了两次",
            ))
            continue
        columns[field_name] = position
    missing = [n for n in PLAN_COLUMNS if n not in columns and n not in OPTIONAL_COLUMNS]
    if missing:
        raise PlanFileRefused(
            f"第{header_row}行的表头缺少列：{'、'.join(column_title(n) for n in missing)}"
            "（可下载模板对照）。"
        )
    labels = {name: _label(position, name) for name, position in columns.items()}

    plans = io.StringIO()
    writer = csv.writer(plans, lineterminator="\n")
    writer.writerow(PLAN_COLUMNS)
    numbers: dict[int, str] = {}  # sheet row -> 序号 as written
    for offset, values in enumerate(rows[head + 1:], start=1):
        sheet_row = header_row + offset
        record = [
            values[columns[n]] if n in columns and columns[n] < len(values) else ""
            for n in PLAN_COLUMNS
        ]
        if kind == "csv" and len(values) > len(rows[head]):
            extra = [v for v in values[len(rows[head]):] if v]
            if extra:
                problems.append(CellProblem(
                    "error", sheet_row, "", None,
                    f"此行比表头多出{len(values) - len(rows[head])}列（是否漏了引号？）",
                ))
        writer.writerow(record)
        numbers[sheet_row] = record[0]

    merges = io.StringIO()
    merge_writer = csv.writer(merges, lineterminator="\n")
    merge_writer.writerow(MERGE_COLUMNS)
    by_position = {position: name for name, position in columns.items()}
    for min_row, max_row, min_col, max_col in merged:
        if max_row <= header_row or min_row == max_row:
            continue
        for col in range(min_col, max_col + 1):
            field_name = by_position.get(col - 1)
            if field_name is None:
                continue
            if field_name not in INFERABLE_FIELDS:
                problems.append(CellProblem(
                    "error", min_row, labels[field_name], None,
                    f"“{column_title(field_name)}”列不能合并单元格（第{min_row}–{max_row}行），"
                    "请每行分别填写",
                ))
                continue
            source = numbers.get(min_row, "")
            for target in range(max(min_row + 1, header_row + 1), max_row + 1):
                if numbers.get(target) and source:
                    merge_writer.writerow([
                        numbers[target], field_name, source,
                        f"合并单元格（{filename} 第{min_row}–{max_row}行）",
                    ])
    merge_text = merges.getvalue() if merges.getvalue().count("\n") > 1 else ""
    return plans.getvalue(), merge_text, problems, header_row, labels


def _label(position: int, field_name: str) -> str:
    return f"{get_column_letter(position + 1)}列（{column_title(field_name)}）"


def _xlsx_rows(data: bytes) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    sheet = first_sheet(data)
    rows = [[cell_text(v) for v in values] for values in sheet.iter_rows(values_only=True)]
    merged = [(r.min_row, r.max_row, r.min_col, r.max_col) for r in sheet.merged_cells.ranges]
    return rows, merged


def read_plan_file(season: str, filename: str, data: bytes, merges_text: str = "") -> PlanFile:
    """Read one uploaded or stored plan table; `merges_text` is a season folder's merges.csv."""
    kind = kind_of(data)
    if kind == "xlsx":
        rows, merged = _xlsx_rows(data)
    else:
        text = decode_text(data)
        rows = [[v.strip() for v in values] for values in csv.reader(io.StringIO(text))]
        merged = []
    if not any(any(v for v in values) for values in rows):
        raise PlanFileRefused("文件里没有内容：请上传填好的评审计划表。")
    plans_text, file_merges, problems, header_row, labels = _read_rows(
        filename, kind, rows, merged
    )
    table = parse_plan_table(season, plans_text, merges_text or file_merges)
    for problem in table.problems:
        sheet_row = None if problem.line is None else problem.line + header_row - 1
        column = labels.get(problem.field, "")
        message = problem.message
        if problem.message.startswith("merges.csv"):
            sheet_row = None  # a line of merges.csv (or of the merged ranges), not of the sheet
            if merges_text:
                message = f"merges.csv 第{problem.line}行：{message.removeprefix('merges.csv ')}"
        problems.append(CellProblem(problem.severity, sheet_row, column, problem.row, message))
    return PlanFile(
        filename=filename,
        kind=kind,
        digest=hashlib.sha256(data).hexdigest(),
        table=table,
        problems=problems,
        plans_text=plans_text,
        merges_text=merges_text or file_merges,
    )


def read_plan_folder(season: str, base: Path) -> PlanFile:
    """A season folder's table: plans.xlsx if present, else plans.csv (any of the encodings),
    with merges.csv for the inferences of a CSV."""
    merges_path = base / "merges.csv"
    merges_text = decode_text(merges_path.read_bytes()) if merges_path.exists() else ""
    xlsx = base / "plans.xlsx"
    path = xlsx if xlsx.exists() else base / "plans.csv"
    return read_plan_file(season, path.name, path.read_bytes(),
                          "" if path is xlsx else merges_text)


TEMPLATE_EXAMPLE = (
    1, "统计（高级）", "市统计局", "85831080", "海州区朝阳东路69号A楼416室", "7月", "9月", "",
)
TEMPLATE_NOTES = (
    "第一行为表头，列名不要改动；从第二行起每行一个评委会（专业）。",
    "“序号”填正整数，不可重复；“专业名称”必填。",
    "同一办事机构的多行可以合并单元格（办事机构、电话、地址、时间、备注列），系统按合并单元格的第一行补全，"
    "并在计划表中标明“推断自序号N”。序号和专业名称列不能合并。",
    "时间写作“7月”“4-6月”“5月-7月”或“高级5-6月 正高7月”；尚未确定的写“具体见…”或“另行通知”。",
    "联系电话按原文填写；不是8位数字的会提示核实，但不会被修改。",
    "办事机构名称与系统中已有机构的简称或全称一致时自动关联；不一致的，导入前须逐一选择关联到已有机构或新建。",
    "也可以另存为CSV（UTF-8或Excel默认的中文编码均可）后上传。",
)


def template_workbook() -> bytes:
    """The downloadable template: the plan sheet with its header and one example row, and
    a sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "评审计划表"
    sheet.append([column_title(n) for n in PLAN_COLUMNS])
    sheet.append(list(TEMPLATE_EXAMPLE))
    widths = (6, 24, 18, 12, 36, 18, 18, 20)
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
        sheet.cell(row=1, column=position).font = Font(bold=True)
        sheet.cell(row=1, column=position).alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 100
    notes.append(["填写说明（上传时只读取第一个工作表）"])
    notes["A1"].font = Font(bold=True)
    for line in TEMPLATE_NOTES:
        notes.append([line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
