"""The State Council's annual holiday arrangement (国务院办公厅关于某年部分节假日安排的通知),
entered once a year by the city office for a year the installed chinese-calendar does not
cover: the rest days of each festival and the make-up working days (调休上班).

Entered either through a short form (per festival: first and last rest day, make-up days)
or as an uploaded table (日期, 安排 放假/上班, 节日). Before the year is published it is
checked complete: every festival of the arrangement has its rest days in its months, every
date lies in the year, a make-up working day is a Saturday or Sunday, no date is given twice
with different meanings. A refused year changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font

from zhicheng.core.actors import Actor
from zhicheng.policy.workdays import BUILTIN_FIRST_YEAR, BUILTIN_LAST_YEAR, CalendarDataMissing

from .models import CalendarDay, CalendarYear
from .operations import OperationError, operation
from .tabular import read_rows

# The festivals of every arrangement since 2008, with the months their rest days fall in.
FESTIVALS: tuple[tuple[str, frozenset[int]], ...] = (
    ("元旦", frozenset({1})),
    ("春节", frozenset({1, 2, 3})),
    ("清明节", frozenset({4})),
    ("劳动节", frozenset({4, 5})),
    ("端午节", frozenset({5, 6})),
    ("中秋节", frozenset({9, 10})),
    ("国庆节", frozenset({10})),
)
FESTIVAL_NAMES = tuple(name for name, _months in FESTIVALS)
REST_WORDS = ("放假", "休息", "休", "假", "节假日")
WORK_WORDS = ("上班", "调休上班", "补班", "班", "工作日")
WEEKDAY = "一二三四五六日"


class CalendarRefused(OperationError):
    """A calendar year that cannot be published, with every problem named."""

    code = "calendar_refused"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("；".join(problems))


class CalendarMissingRefusal(OperationError):
    """An operation needs a date in a year the calendar does not have."""

    code = "calendar_missing"


@dataclass(frozen=True)
class ArrangedDay:
    date: dt.date
    is_workday: bool
    festival: str

    @property
    def label(self) -> str:
        return f"{self.festival}{'调休上班' if self.is_workday else '放假'}"


@dataclass
class Arrangement:
    year: int
    days: list[ArrangedDay] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def cn_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{WEEKDAY[day.weekday()]}）"


def calendar_missing_text(year: int) -> str:
    return (
        f"工作日历没有{year}年的数据：请市职称办在“评审监督 › 工作日历”中录入国务院办公厅公布的"
        f"{year}年放假安排后再办理。"
    )


def refuse_outside_calendar(exc: CalendarDataMissing, what: str) -> CalendarMissingRefusal:
    """The refusal an operation raises when a due date falls in a year without data."""
    return CalendarMissingRefusal(f"无法计算{what}：{calendar_missing_text(exc.year)}")


def parse_date(text: str, year: int) -> dt.date:
    """`2027-01-01`, `2027/1/1`, `2027年1月1日`, or `1月1日` / `1-1` in `year`."""
    clean = text.strip().replace(" ", "")
    match = re.fullmatch(r"(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?", clean)
    if not match:
        raise ValueError(f"“{text}”不是日期（应写作2027-01-01或1月1日）")
    return dt.date(int(match.group(1) or year), int(match.group(2)), int(match.group(3)))


def _dates(text: str, year: int) -> list[dt.date]:
    """One date, or a range `A至B` / `A~B` / `A—B`."""
    parts = re.split(r"\s*(?:至|到|~|～|—|–)\s*", text.strip())
    if len(parts) == 1:
        return [parse_date(parts[0], year)]
    if len(parts) != 2:
        raise ValueError(f"“{text}”不是日期或日期范围（应写作2027-02-05至2027-02-11）")
    first, last = parse_date(parts[0], year), parse_date(parts[1], year)
    if last < first:
        raise ValueError(f"“{text}”的结束日期早于开始日期")
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _pieces(text: str) -> list[str]:
    """The dates or ranges of one table cell: separated by 、，; or, when the cell holds no
    range, by spaces (`2027-09-26 2027-10-09`)."""
    parts = [p.strip() for p in re.split(r"[,，、;；]+", text) if p.strip()]
    if not re.search(r"至|到|~|～|—|–", text):
        parts = [q for p in parts for q in p.split()]
    return parts


def from_form(year: int, fields: dict[str, str]) -> Arrangement:
    """The short form: per festival `<name>-rest` (a date or range) and `<name>-work` (make-up
    days separated by spaces, commas or 、)."""
    arrangement = Arrangement(year)
    for name in FESTIVAL_NAMES:
        for key, is_workday in ((f"{name}-rest", False), (f"{name}-work", True)):
            text = fields.get(key, "").strip()
            if not text:
                continue
            pieces = [p for p in re.split(r"[\s,，、;；]+", text) if p] if is_workday else [text]
            for piece in pieces:
                try:
                    dates = _dates(piece, year)
                except ValueError as exc:
                    arrangement.problems.append(f"{name}{'上班' if is_workday else '放假'}：{exc}")
                    continue
                arrangement.days.extend(ArrangedDay(d, is_workday, name) for d in dates)
    return arrangement


def from_table(year: int, data: bytes) -> Arrangement:
    """An uploaded table: a header with 日期, 安排 (放假/上班) and 节日 (or 说明); one date or
    range per row. Refused as a whole (TableRefused) when it is not a table at all."""
    rows = read_rows(data)
    arrangement = Arrangement(year)
    head = next((i for i, r in enumerate(rows[:10]) if any("日期" in c for c in r)), None)
    if head is None:
        arrangement.problems.append("找不到表头：应有“日期”“安排”“节日”三列（可下载模板对照）")
        return arrangement
    titles = ["".join(c.split()) for c in rows[head]]

    def column(*names: str) -> int | None:
        return next((i for i, t in enumerate(titles) if any(n in t for n in names)), None)

    at_date = column("日期")
    at_kind, at_name = column("安排", "类别", "放假"), column("节日", "说明")
    if at_kind is None or at_name is None:
        arrangement.problems.append(f"第{head + 1}行表头缺少“安排”或“节日”列")
        return arrangement
    assert at_date is not None
    for number, values in enumerate(rows[head + 1:], start=head + 2):
        if not any(values):
            continue
        cell = dict(enumerate(values))
        if not cell.get(at_date, "").strip():
            continue  # a template line left blank (a missing festival is named by the check)
        kind, name = cell.get(at_kind, ""), cell.get(at_name, "")
        if kind in WORK_WORDS or "上班" in kind:
            is_workday = True
        elif kind in REST_WORDS or "放假" in kind or "休" in kind:
            is_workday = False
        else:
            arrangement.problems.append(f"第{number}行：安排“{kind}”应为“放假”或“上班”")
            continue
        dates = []
        try:
            for piece in _pieces(cell.get(at_date, "")):
                dates.extend(_dates(piece, year))
        except ValueError as exc:
            arrangement.problems.append(f"第{number}行：{exc}")
            continue
        # kept as written: "国庆节、中秋节" counts for both festivals
        arrangement.days.extend(ArrangedDay(d, is_workday, name or "—") for d in dates)
    return arrangement


def to_lines(arrangement: Arrangement) -> str:
    """The arrangement as plain lines `日期,放假|上班,节日` (the preview carries them to the
    confirmation; `from_lines` reads them back)."""
    return "\n".join(f"{d.date.isoformat()},{'上班' if d.is_workday else '放假'},{d.festival}"
                     for d in sorted(arrangement.days, key=lambda d: (d.date, d.is_workday)))


def from_lines(year: int, text: str) -> Arrangement:
    """The lines of `to_lines`, read back (a line that does not parse is a named problem)."""
    arrangement = Arrangement(year)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(",", 2)]
        try:
            day = dt.date.fromisoformat(parts[0])
        except ValueError:
            arrangement.problems.append(f"预览数据第{number}行不是日期，请重新检查并预览")
            continue
        arrangement.days.append(ArrangedDay(day, len(parts) > 1 and parts[1] == "上班",
                                            parts[2] if len(parts) > 2 else "—"))
    return arrangement


@dataclass(frozen=True)
class PreviewDay:
    date: dt.date
    is_workday: bool
    festivals: str

    @property
    def weekday(self) -> str:
        return f"星期{WEEKDAY[self.date.weekday()]}"


def preview(arrangement: Arrangement) -> list[PreviewDay]:
    """What the year will hold: every holiday and make-up working day in date order (a date
    given for two festivals, as 国庆节、中秋节, is one day naming both)."""
    days: dict[tuple[dt.date, bool], list[str]] = {}
    for d in arrangement.days:
        names = days.setdefault((d.date, d.is_workday), [])
        if d.festival not in names:
            names.append(d.festival)
    return [PreviewDay(day, work, "、".join(names))
            for (day, work), names in sorted(days.items())]


TEMPLATE_HEADER = ("日期", "安排", "节日")


def template_workbook(year: int) -> bytes:
    """The downloadable template of a year's arrangement: the three columns, one line per
    festival to fill in (a range `开始至结束` in one cell), make-up days as 上班, and a sheet
    that says how."""


    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年放假安排"
    ws.append(list(TEMPLATE_HEADER))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for name, _months in FESTIVALS:
        ws.append(["", "放假", name])
        ws.append(["", "上班", name])
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["C"].width = 16
    notes = wb.create_sheet("填写说明")
    for line in (
        f"按国务院办公厅关于{year}年部分节假日安排的通知填写，每行一个日期或一段日期。",
        f"日期写作{year}-01-01，一段日期写作{year}-02-06至{year}-02-13。",
        "安排写“放假”或“上班”（调休上班日）；没有调休上班日的节日，把“上班”一行的日期留空。",
        "节日与通知一致（元旦、春节、清明节、劳动节、端午节、中秋节、国庆节）；"
        "合并放假写“国庆节、中秋节”。",
        "周末本来休息的日子不必写。日期留空的行不读取。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def check_complete(arrangement: Arrangement) -> list[str]:
    """Every problem that keeps the year from being published (empty: complete)."""
    year = arrangement.year
    problems = list(arrangement.problems)
    if BUILTIN_FIRST_YEAR <= year <= BUILTIN_LAST_YEAR:
        problems.append(
            f"{year}年已由系统内置日历（chinese-calendar）提供，无需录入；个别日期的更正请在管理后台"
            "“工作日历调整”中修改"
        )
    seen: dict[dt.date, ArrangedDay] = {}
    for day in arrangement.days:
        if day.date.year != year:
            problems.append(f"{day.label}：{cn_day(day.date)}不在{year}年内")
            continue
        earlier = seen.get(day.date)
        if earlier is not None and earlier.is_workday != day.is_workday:
            problems.append(f"{cn_day(day.date)}既写了{earlier.label}又写了{day.label}")
        seen[day.date] = day
        if day.is_workday and day.date.weekday() < 5:
            problems.append(
                f"{day.label}：{cn_day(day.date)}本来就是工作日，调休上班日应是周六或周日"
            )
    for name, months in FESTIVALS:
        rest = [d for d in arrangement.days if name.rstrip("节") in d.festival
                and not d.is_workday and d.date.year == year]
        if not rest:
            problems.append(
                f"缺少{name}的放假日期（{'、'.join(f'{m}月' for m in sorted(months))}）"
            )
            continue
        outside = [d for d in rest if d.date.month not in months and d.festival == name]
        if outside:
            problems.append(f"{name}放假日期{cn_day(outside[0].date)}不在"
                            f"{'、'.join(f'{m}月' for m in sorted(months))}")
    return problems


def publish_year(actor: Actor, arrangement: Arrangement, source: str) -> CalendarYear:
    """Publish the year in one audited operation; refuse the whole year when incomplete."""
    with operation(actor, "calendar.year.publish", permission="core.add_calendaryear") as op:
        problems = check_complete(arrangement)
        if not source.strip():
            problems.insert(0, "请填写依据（国务院办公厅放假安排通知的文号）")
        if problems:
            raise CalendarRefused(problems)
        year = arrangement.year
        unique = {d.date: d for d in arrangement.days}
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(date=d.date, is_workday=d.is_workday, name=d.label[:60])
            for d in sorted(unique.values(), key=lambda d: d.date)
        )
        entry, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": source.strip()[:200], "published": True}
        )
        rest = sum(not d.is_workday for d in unique.values())
        work = len(unique) - rest
        op.obj = entry
        op.summary = f"发布{year}年工作日历（{source.strip()}）：放假{rest}天，调休上班{work}天"
        op.data = {"year": year, "source": source.strip(),
                   "days": {d.isoformat(): v.is_workday for d, v in sorted(unique.items())}}
    return entry


def covered_years(office_years: Iterable[int]) -> list[tuple[int, str]]:
    """(year, where its data comes from) for the built-in range and the office's years."""
    out = [(y, "builtin") for y in range(BUILTIN_FIRST_YEAR, BUILTIN_LAST_YEAR + 1)]
    out += [(y, "office") for y in sorted(set(office_years)) if y > BUILTIN_LAST_YEAR
            or y < BUILTIN_FIRST_YEAR]
    return out
