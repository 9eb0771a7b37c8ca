"""The attachment of the notice: the season's plan table (评审计划表), as printed.

The source has defects (docs/domain.md §Plan table defects): rows 21–40 are missing, merged
cells leave fields blank, some phone numbers are suspect. The file `plans.csv` keeps every
value as printed; `merges.csv` says which blank fields take a value from another row (and why).
Nothing is silently changed: problems come back as `PlanProblem`s naming the line and field.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

# The column titles of the printed attachment (and of the template), then accepted synonyms.
COLUMN_TITLES: dict[str, tuple[str, ...]] = {
    "row": ("序号", "row"),
    "specialty": ("专业名称", "评委会名称", "专业", "specialty"),
    "office": ("评委会办事机构", "办事机构", "office"),
    "phone": ("联系电话", "电话", "phone"),
    "address": ("材料报送地址", "报送地址", "地址", "address"),
    "acceptance": ("申报材料受理时间", "受理时间", "acceptance"),
    "evaluation": ("计划评审时间", "评审时间", "evaluation"),
    "remarks": ("备注", "remarks"),
}

SEASONS_DIR = Path(__file__).parent / "seasons"

PLAN_COLUMNS = (
    "row",
    "specialty",
    "office",
    "phone",
    "address",
    "acceptance",
    "evaluation",
    "remarks",
)
MERGE_COLUMNS = ("row", "field", "from_row", "reason")
INFERABLE_FIELDS = ("office", "phone", "address", "acceptance", "evaluation", "remarks")
# Words the source uses for level-specific windows (attachment row 4).
LEVEL_WORDS = {"正高": "full_senior", "高级": "associate_senior"}
UNSTATED_MARKERS = ("具体见", "另行通知")
PHONE_RE = re.compile(r"^\d{8}$")

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class PlanProblem:
    severity: Severity
    line: int | None
    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"第{self.line}行(line {self.line})")
        if self.row is not None:
            where.append(f"序号{self.row}")
        where.append(f"字段 {self.field}")
        label = "错误" if self.severity == "error" else "提示"
        return f"[{label}] {'，'.join(where)}：{self.message}"


@dataclass(frozen=True)
class Window:
    """Months of a year, per level where the source distinguishes levels."""

    text: str
    by_level: dict[str | None, frozenset[int]]
    initial_determination: bool = False

    @property
    def stated(self) -> bool:
        return bool(self.by_level)

    def months(self, level: str | None = None) -> frozenset[int] | None:
        if level in self.by_level:
            return self.by_level[level]
        if None in self.by_level:
            return self.by_level[None]
        return None

    @property
    def all_months(self) -> frozenset[int]:
        out: frozenset[int] = frozenset()
        for months in self.by_level.values():
            out |= months
        return out


@dataclass(frozen=True)
class Inference:
    from_row: int
    reason: str


@dataclass(frozen=True)
class PlanRow:
    row: int
    specialty: str
    office: str
    phone: str
    address: str
    acceptance_text: str
    evaluation_text: str
    remarks: str
    inferred: dict[str, Inference] = field(default_factory=dict)

    @property
    def acceptance(self) -> Window:
        return parse_window(self.acceptance_text)

    @property
    def evaluation(self) -> Window:
        return parse_window(self.evaluation_text)

    def acceptance_months(self, level_code: str | None = None) -> frozenset[int] | None:
        """Months in which the office accepts dossiers; None when the source states none."""
        return self.acceptance.months(level_code)

    def provenance(self, field_name: str) -> str:
        if field_name in self.inferred:
            return "inferred"
        return "printed" if getattr(self, _attr(field_name)) else "blank"


@dataclass
class PlanTable:
    season: str
    rows: dict[int, PlanRow]
    problems: list[PlanProblem]

    @property
    def errors(self) -> list[PlanProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[PlanProblem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def missing_rows(self) -> list[int]:
        if not self.rows:
            return []
        present = set(self.rows)
        return [n for n in range(1, max(present) + 1) if n not in present]


def _attr(field_name: str) -> str:
    return {"acceptance": "acceptance_text", "evaluation": "evaluation_text"}.get(
        field_name, field_name
    )


_MONTH_RANGE = re.compile(r"(\d{1,2})\s*月?\s*(?:[-—–~至]\s*(\d{1,2})\s*月?)?")


class WindowError(ValueError):
    pass


def _months(segment: str) -> frozenset[int]:
    months: set[int] = set()
    for match in _MONTH_RANGE.finditer(segment):
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if not (1 <= first <= 12 and 1 <= last <= 12) or last < first:
            raise WindowError(f"月份“{match.group(0)}”不在1–12月之间或顺序颠倒")
        months.update(range(first, last + 1))
    return frozenset(months)


@cache
def parse_window(text: str) -> Window:
    """Parse a printed window: `7月`, `4-6 月`, `5月-7月`, `高级5-6月 正高7月`, `6月初定`."""
    clean = text.strip()
    if not clean or any(marker in clean for marker in UNSTATED_MARKERS):
        return Window(text=clean, by_level={})
    initial = "初定" in clean
    body = clean.replace("初定", "")
    by_level: dict[str | None, frozenset[int]] = {}
    pieces = re.split(r"(正高|高级)", body)
    if len(pieces) == 1:
        months = _months(body)
        if not months:
            raise WindowError(f"无法识别时间“{clean}”：应写作“7月”“4-6月”或“高级5-6月 正高7月”")
        by_level[None] = months
    else:
        if pieces[0].strip():
            raise WindowError(f"无法识别时间“{clean}”：层级前不应有其他文字")
        for word, segment in zip(pieces[1::2], pieces[2::2], strict=True):
            months = _months(segment)
            if not months:
                raise WindowError(f"无法识别时间“{clean}”：{word}后缺少月份")
            by_level[LEVEL_WORDS[word]] = months
    return Window(text=clean, by_level=by_level, initial_determination=initial)


def _read_csv(
    text: str, columns: tuple[str, ...], name: str, problems: list[PlanProblem]
) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(PlanProblem("error", 1, None, "header", f"{name} 是空文件"))
        return []
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in columns if c not in header]
    if missing:
        problems.append(
            PlanProblem("error", 1, None, ",".join(missing), f"{name} 缺少列：{', '.join(missing)}")
        )
        return []
    out = []
    for index, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(
                PlanProblem(
                    "error",
                    index,
                    None,
                    "*",
                    f"{name} 此行有{len(values)}列，表头有{len(header)}列（是否漏了引号？）",
                )
            )
            continue
        out.append((index, {h: v.strip() for h, v in zip(header, values, strict=True)}))
    return out


def _int(value: str, line: int, field_name: str, problems: list[PlanProblem]) -> int | None:
    try:
        number = int(value)
    except ValueError:
        problems.append(PlanProblem("error", line, None, field_name, f"“{value}”不是整数"))
        return None
    if number < 1:
        problems.append(PlanProblem("error", line, None, field_name, f"序号{number}应为正整数"))
        return None
    return number


def parse_plan_table(season: str, plans_text: str, merges_text: str = "") -> PlanTable:
    problems: list[PlanProblem] = []
    raw: dict[int, tuple[int, dict[str, str]]] = {}
    for line, record in _read_csv(plans_text, PLAN_COLUMNS, "plans.csv", problems):
        number = _int(record["row"], line, "row", problems)
        if number is None:
            continue
        if number in raw:
            problems.append(
                PlanProblem(
                    "error", line, number, "row", f"序号{number}重复（第{raw[number][0]}行已有）"
                )
            )
            continue
        if not record["specialty"]:
            problems.append(PlanProblem("error", line, number, "specialty", "专业名称不能为空"))
            continue
        raw[number] = (line, record)

    inferred: dict[int, dict[str, Inference]] = {}
    if merges_text:
        for line, record in _read_csv(merges_text, MERGE_COLUMNS, "merges.csv", problems):
            target = _int(record["row"], line, "row", problems)
            source = _int(record["from_row"], line, "from_row", problems)
            field_name = record["field"]
            if target is None or source is None:
                continue
            if field_name not in INFERABLE_FIELDS:
                problems.append(
                    PlanProblem(
                        "error", line, target, "field", f"merges.csv 未知字段“{field_name}”"
                    )
                )
                continue
            if target not in raw or source not in raw:
                problems.append(
                    PlanProblem(
                        "error",
                        line,
                        target,
                        "from_row",
                        f"merges.csv 引用了不存在的序号（{target}←{source}）",
                    )
                )
                continue
            if raw[target][1][field_name]:
                problems.append(
                    PlanProblem(
                        "error",
                        line,
                        target,
                        field_name,
                        "merges.csv 试图覆盖原文已印出的值；推断只能填补空白",
                    )
                )
                continue
            inferred.setdefault(target, {})[field_name] = Inference(source, record["reason"])

    rows: dict[int, PlanRow] = {}
    for number in sorted(raw):
        line, record = raw[number]
        values = dict(record)
        for field_name, inference in inferred.get(number, {}).items():
            values[field_name] = raw[inference.from_row][1][field_name]
        row = PlanRow(
            row=number,
            specialty=values["specialty"],
            office=values["office"],
            phone=values["phone"],
            address=values["address"],
            acceptance_text=values["acceptance"],
            evaluation_text=values["evaluation"],
            remarks=values["remarks"],
            inferred=inferred.get(number, {}),
        )
        for field_name in ("acceptance", "evaluation"):
            try:
                parse_window(values[field_name])
            except WindowError as exc:
                problems.append(PlanProblem("error", line, number, field_name, str(exc)))
        problems.extend(_warnings(line, row))
        rows[number] = row

    table = PlanTable(season=season, rows=rows, problems=problems)
    missing = table.missing_rows
    if missing:
        problems.append(
            PlanProblem(
                "warning",
                None,
                missing[0],
                "row",
                f"原文缺失序号{_ranges(missing)}（共{len(missing)}行），请市职称办补录",
            )
        )
    return table


def _warnings(line: int, row: PlanRow) -> list[PlanProblem]:
    found = []
    if row.phone and not PHONE_RE.match(row.phone):
        found.append(
            PlanProblem(
                "warning",
                line,
                row.row,
                "phone",
                f"电话“{row.phone}”不是8位数字，按原文保留，请核实",
            )
        )
    if not row.office:
        found.append(PlanProblem("warning", line, row.row, "office", "原文未印评委会办事机构"))
    try:
        stated = parse_window(row.acceptance_text).stated
    except WindowError:
        stated = True  # already reported as an error
    if not stated:
        found.append(
            PlanProblem(
                "warning",
                line,
                row.row,
                "acceptance",
                "原文未写明受理时间"
                + (f"（“{row.acceptance_text}”）" if row.acceptance_text else ""),
            )
        )
    return found


def _ranges(numbers: list[int]) -> str:
    spans: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [0]:
        if n != prev + 1:
            spans.append(f"{start}–{prev}" if start != prev else str(start))
            start = n
        prev = n
    return "、".join(spans)


def season_dir(season: str) -> Path:
    return SEASONS_DIR / season


def read_plan_table(season: str, directory: Path | None = None) -> PlanTable:
    base = directory or season_dir(season)
    plans_text = (base / "plans.csv").read_text(encoding="utf-8")
    merges_path = base / "merges.csv"
    merges_text = merges_path.read_text(encoding="utf-8") if merges_path.exists() else ""
    return parse_plan_table(season, plans_text, merges_text)


@cache
def load_plans(season: str) -> dict[int, PlanRow]:
    return read_plan_table(season).rows
