"""The expert roster (评审专家花名册) a committee office receives, read from an Excel workbook
(.xlsx) or a CSV in UTF-8 (with or without BOM) or GB18030/GBK, and its template workbook.
Every problem is placed by sheet row and column (docs/exchange.md §专家花名册).

No database here: `roster_import` resolves people and units and adds the experts."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhicheng.catalogue.models import Level
from zhicheng.core.tabular import MAX_TABLE_BYTES, TableRefused, read_rows
from zhicheng.seasons.plan_files import CellProblem

MAX_UPLOAD_BYTES = MAX_TABLE_BYTES
HEADER_SEARCH_ROWS = 10

COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("name", "姓名", ()),
    ("id_number", "证件号码", ("身份证号码", "身份证号")),
    ("username", "账户名", ("用户名",)),
    ("series", "系列", ("职称系列",)),
    ("specialty", "专业", ("评审专业", "专业名称")),
    ("title_level", "职称层级", ("层级", "职称等级")),
    ("unit", "工作单位（全称或统一社会信用代码）", ("工作单位", "单位")),
    ("term_start", "入库日期", ()),
    ("term_end", "任期届满", ("任期届满日期", "任期截止")),
)
REQUIRED = ("name", "specialty", "title_level", "unit", "term_start", "term_end")
TITLES = {name: title for name, title, _ in COLUMNS}
LEVELS = {str(label): code for code, label in Level.choices} | {
    "副高": Level.ASSOCIATE_SENIOR, "正高": Level.FULL_SENIOR, "高级": Level.ASSOCIATE_SENIOR,
}

NOTES = (
    "第一行为表头，列名不要改动；从第二行起每行一位专家。上传时只读取第一个工作表。",
    "“证件号码”或“账户名”至少填一项，用来找到专家已开通的账户；姓名须与账户一致。",
    "“系列”填评委会评审范围内的系列名称，留空则为评委会的第一个系列。",
    "“职称层级”填员级、助理级、中级、副高级或正高级；“工作单位”填全称或统一社会信用代码。",
    "日期写作2024-01-01、2024/1/1或2024年1月1日。已在专家库中的专家（同一系列、专业）跳过。",
    "也可以另存为CSV（UTF-8或Excel默认的中文编码均可）后上传。",
)


def _normal(title: str) -> str:
    return "".join(title.split()).lstrip("\ufeff").replace("(", "（").replace(")", "）")


_TITLE_TO_FIELD = {
    _normal(title): name for name, main, others in COLUMNS for title in (main, *others)
}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> dt.date | None:
    found = _DATE.match(text.strip().split("T")[0].split(" ")[0])
    if not found:
        return None
    try:
        return dt.date(*(int(g) for g in found.groups()))
    except ValueError:
        return None


@dataclass(frozen=True)
class RosterRow:
    sheet_row: int
    name: str
    id_number: str
    username: str
    series: str
    specialty: str
    title_level: str
    unit: str
    term_start: dt.date
    term_end: dt.date


@dataclass
class RosterFile:
    filename: str
    digest: str
    rows: list[RosterRow]
    problems: list[CellProblem]
    labels: dict[str, str]  # field -> "C列（专业）"

    @property
    def errors(self) -> list[CellProblem]:
        return self.problems


def read_roster_file(filename: str, data: bytes,
                     on_row: Callable[[], None] | None = None) -> RosterFile:
    """Read an expert roster; the file as a whole is refused with `TableRefused`."""
    rows = read_rows(data, streaming=True, on_row=on_row)
    if not any(any(v for v in values) for values in rows):
        raise TableRefused("文件里没有内容：请上传填好的专家花名册。")
    head = next((i for i, values in enumerate(rows[:HEADER_SEARCH_ROWS])
                 if {"name", "specialty"} <= {_TITLE_TO_FIELD.get(_normal(v)) for v in values}),
                None)
    if head is None:
        raise TableRefused("找不到表头：表的前10行中应有一行写着“姓名”“专业”“职称层级”等列名"
                           "（可下载模板对照）。")
    header_row = head + 1
    columns: dict[str, int] = {}
    problems: list[CellProblem] = []
    for position, title in enumerate(rows[head]):
        name = _TITLE_TO_FIELD.get(_normal(title))
        if name is not None and name not in columns:
            columns[name] = position
    missing = [n for n in REQUIRED if n not in columns]
    if "id_number" not in columns and "username" not in columns:
        missing.append("id_number")
    if missing:
        raise TableRefused(f"第{header_row}行的表头缺少列：{'、'.join(TITLES[n] for n in missing)}"
                           "（可下载模板对照）。")
    labels = {n: f"{get_column_letter(p + 1)}列（{TITLES[n]}）" for n, p in columns.items()}
    found: list[RosterRow] = []
    for offset, values in enumerate(rows[head + 1:], start=1):
        sheet_row = header_row + offset
        if not any(values):
            continue
        cells = {n: (values[p] if p < len(values) else "") for n, p in columns.items()}
        row_problems: list[CellProblem] = []

        def problem(name: str, message: str, row: int = sheet_row,
                    into: list[CellProblem] = row_problems) -> None:
            into.append(CellProblem("error", row, labels.get(name, ""), None, message))

        for name in ("name", "specialty", "unit"):
            if not cells[name]:
                problem(name, f"{TITLES[name].split('（')[0]}未填写")
        id_number = "".join(cells.get("id_number", "").split()).upper()
        username = cells.get("username", "")
        if not id_number and not username:
            problem("id_number" if "id_number" in columns else "username",
                    "证件号码和账户名至少填一项")
        level = LEVELS.get(cells["title_level"], "")
        if not level:
            problem("title_level", f"职称层级应为员级、助理级、中级、副高级或正高级，"
                                   f"现为“{cells['title_level']}”")
        dates: dict[str, dt.date] = {}
        for name in ("term_start", "term_end"):
            value = parse_date(cells[name])
            if value is None:
                problem(name, f"无法识别日期“{cells[name]}”" if cells[name]
                        else f"{TITLES[name]}未填写")
            else:
                dates[name] = value
        if len(dates) == 2 and dates["term_end"] <= dates["term_start"]:
            problem("term_end", "任期届满日期应晚于入库日期")
        problems.extend(row_problems)
        if row_problems:
            continue
        found.append(RosterRow(
            sheet_row=sheet_row, name=cells["name"], id_number=id_number, username=username,
            series=cells.get("series", ""), specialty=cells["specialty"], title_level=level,
            unit=cells["unit"], term_start=dates["term_start"], term_end=dates["term_end"],
        ))
    return RosterFile(filename=filename, digest=hashlib.sha256(data).hexdigest(), rows=found,
                      problems=problems, labels=labels)


def roster_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "评审专家花名册"
    sheet.append([main for _, main, _ in COLUMNS])
    for position, width in enumerate((10, 22, 14, 14, 18, 10, 30, 12, 12), start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
        sheet.cell(row=1, column=position).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    # Text, so Excel keeps all 18 digits of an ID number typed in (a number keeps 15).
    sheet.column_dimensions["B"].number_format = "@"
    notes = workbook.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 100
    for line in NOTES:
        notes.append([line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
