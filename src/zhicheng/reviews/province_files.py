"""The provincial exchange's files (docs/exchange.md): the results form a committee office
sends with its senior dossiers and the province returns filled in (评审结果, 省级文号), and
the reading of that returned form from an Excel workbook (.xlsx) or a CSV in UTF-8 (with or
without BOM) or GB18030/GBK. Every problem is placed by sheet row and column.

No database here: `province_import` matches the rows with the forwarded dossiers."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from zhicheng.core.tabular import MAX_TABLE_BYTES, TableRefused, read_rows
from zhicheng.seasons.plan_files import CellProblem

MAX_UPLOAD_BYTES = MAX_TABLE_BYTES
HEADER_SEARCH_ROWS = 10
FORM_VERSION = "1.0"
SHEET_TITLE = "省高评委评审结果"

# (field, header written in the form, other headers accepted when reading)
COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("plan_row", "计划表序号", ("评审计划表序号", "计划序号", "序号（评审计划表）")),
    ("specialty", "评审专业", ("专业", "专业名称")),
    ("name", "姓名", ()),
    ("id_number", "证件号码", ("身份证号码", "身份证号", "证件号")),
    ("employer", "工作单位", ("单位",)),
    ("level", "申报层级", ("层级",)),
    ("forwarded_at", "报送日期", ("报送时间",)),
    ("result", "评审结果", ("结果",)),
    ("document_number", "省级文号", ("文号", "批准文号")),
    ("application_id", "申报编号（系统用）", ("申报编号",)),
    ("level_code", "层级代码（系统用）", ()),
)
REQUIRED = ("plan_row", "id_number", "result", "document_number")
TITLES = {name: title for name, title, _ in COLUMNS}

PASS_WORDS = {"通过", "评审通过", "合格", "passed", "pass"}
FAIL_WORDS = {"未通过", "不通过", "评审未通过", "不合格", "failed", "fail", "not_passed"}

FORM_NOTES = (
    "本表由评委会办事机构随高级申报材料报送省级高评委会，省级高评委会评审后填写“评审结果”和“省级文号”两列返回"
    "（四（四））。",
    "“评审结果”填“通过”或“未通过”；“省级文号”填省级高评委会评审结果的文号，有结果的行必填。",
    "系统按“证件号码”和“计划表序号”逐行匹配已报送的申报；“姓名”与系统不一致的行列为冲突，不导入。",
    "尚无结果的行两列都留空，导入时跳过。请不要改动表头，也不要删除最后两列（系统用）。",
    "也可以另存为CSV（UTF-8或Excel默认的中文编码均可）后上传。",
)


def _normal(title: str) -> str:
    return "".join(title.split()).lstrip("\ufeff").replace("(", "（").replace(")", "）").lower()


_TITLE_TO_FIELD = {
    _normal(title): name
    for name, main, others in COLUMNS for title in (main, *others)
}


def _column(position: int, name: str) -> str:
    return f"{get_column_letter(position + 1)}列（{TITLES[name]}）"


@dataclass(frozen=True)
class ResultRow:
    """One filled row of the returned form."""

    sheet_row: int
    plan_row: int
    id_number: str
    name: str
    passed: bool
    document_number: str
    application_id: int | None
    columns: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass
class ResultsFile:
    filename: str
    kind: str
    digest: str
    rows: list[ResultRow]
    problems: list[CellProblem]
    skipped: list[int]  # sheet rows left blank (no result yet)

    @property
    def errors(self) -> list[CellProblem]:
        return [p for p in self.problems if p.severity == "error"]


def _header(rows: list[list[str]]) -> int:
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = {_TITLE_TO_FIELD.get(_normal(v)) for v in values}
        if {"id_number", "result"} <= fields:
            return index
    raise TableRefused(
        "找不到表头：表的前10行中应有一行写着“计划表序号”“证件号码”“评审结果”“省级文号”等列名"
        "（可下载结果表对照）。"
    )


def _digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() accepts "²", which int() refuses."""
    return text.isascii() and text.isdigit()


def _kind(data: bytes) -> str:
    return "xlsx" if data[:4] == b"PK\x03\x04" else "csv"


def read_results_file(filename: str, data: bytes,
                      on_row: Callable[[], None] | None = None) -> ResultsFile:
    """Read a returned results form; the file as a whole is refused with `TableRefused`."""
    rows = read_rows(data, streaming=True, on_row=on_row)
    if not any(any(v for v in values) for values in rows):
        raise TableRefused("文件里没有内容：请上传省级高评委会返回的评审结果表。")
    head = _header(rows)
    header_row = head + 1
    columns: dict[str, int] = {}
    problems: list[CellProblem] = []
    for position, title in enumerate(rows[head]):
        name = _TITLE_TO_FIELD.get(_normal(title))
        if name is None:
            continue
        if name in columns:
            problems.append(CellProblem("error", header_row, _column(position, name), None,
                                        f"列“{TITLES[name]}”出现了两次"))
            continue
        columns[name] = position
    missing = [n for n in REQUIRED if n not in columns]
    if missing:
        raise TableRefused(
            f"第{header_row}行的表头缺少列：{'、'.join(TITLES[n] for n in missing)}"
            "（可下载结果表对照）。"
        )
    labels = {name: _column(position, name) for name, position in columns.items()}

    found: list[ResultRow] = []
    skipped: list[int] = []
    seen: dict[tuple[str, int], int] = {}
    for offset, values in enumerate(rows[head + 1:], start=1):
        sheet_row = header_row + offset

        def cell(name: str, values: list[str] = values) -> str:
            position = columns.get(name)
            return values[position] if position is not None and position < len(values) else ""

        if not any(values):
            continue
        result, number = cell("result"), cell("document_number")
        if not result and not number:
            skipped.append(sheet_row)
            continue
        row_problems: list[CellProblem] = []

        def problem(name: str, message: str, row: int = sheet_row,
                    into: list[CellProblem] = row_problems) -> None:
            into.append(CellProblem("error", row, labels.get(name, ""), None, message))

        raw_row = cell("plan_row")
        plan_row = int(raw_row) if _digits(raw_row) and int(raw_row) > 0 else 0
        if not plan_row:
            problem("plan_row", f"计划表序号应为正整数，现为“{raw_row}”" if raw_row
                    else "计划表序号未填写")
        id_number = "".join(cell("id_number").split()).upper()
        if not id_number:
            problem("id_number", "证件号码未填写")
        passed: bool | None = None
        if result.lower() in PASS_WORDS:
            passed = True
        elif result.lower() in FAIL_WORDS:
            passed = False
        else:
            problem("result", f"评审结果应填“通过”或“未通过”，现为“{result}”" if result
                    else "评审结果未填写（已填省级文号）")
        if not number:
            problem("document_number", "省级文号未填写（已填评审结果）")
        raw_id = cell("application_id")
        application_id = int(raw_id) if _digits(raw_id) else None
        if raw_id and application_id is None:
            problem("application_id", f"申报编号应为数字，现为“{raw_id}”（请勿改动此列）")
        key = (id_number, plan_row)
        if id_number and plan_row:
            if key in seen:
                problem("id_number", f"与第{seen[key]}行的证件号码和计划表序号相同（重复的行）")
            else:
                seen[key] = sheet_row
        problems.extend(row_problems)
        if row_problems or passed is None:
            continue
        found.append(ResultRow(
            sheet_row=sheet_row, plan_row=plan_row, id_number=id_number, name=cell("name"),
            passed=passed, document_number=number, application_id=application_id,
            columns=labels,
        ))
    if not found and not problems:
        problems.append(CellProblem("error", None, "", None,
                                    "文件中没有填写评审结果的行：请填写“评审结果”和“省级文号”后上传。"))
    return ResultsFile(filename=filename, kind=_kind(data),
                       digest=hashlib.sha256(data).hexdigest(), rows=found,
                       problems=problems, skipped=skipped)


def results_form(rows: Iterable[dict[str, Any]], *, title: str) -> bytes:
    """The results form (a template workbook with Chinese headers): one row per forwarded
    dossier, the result columns empty until the province fills them."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    sheet.append([main for _, main, _ in COLUMNS])
    for row in rows:
        sheet.append([row.get(name, "") for name, _, _ in COLUMNS])
    widths = (10, 24, 10, 22, 28, 12, 12, 10, 24, 14, 16)
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
        sheet.cell(row=1, column=position).font = Font(bold=True)
        sheet.cell(row=1, column=position).alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 100
    notes.append([title])
    notes["A1"].font = Font(bold=True)
    notes.append([f"表格版本：{FORM_VERSION}（上传时只读取第一个工作表）"])
    for line in FORM_NOTES:
        notes.append([line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
