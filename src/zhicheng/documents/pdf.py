"""The printable 专业技术资格评审申报表, rendered from the frozen application snapshot.

`render_application_form(snapshot, qr_url=...)` returns the bytes of an A4 PDF laid out like
the paper form: title with a QR code for staff, personal data, education, titles, work,
assessments, continuing education, achievements (代表作 marked), the materials with their
SHA-256 prefixes, the applicant's commitment, and boxes for the unit's opinion (signature and
seal), the preliminary review and the committee office's re-check. Every page carries the
application number and “第 N 页 共 M 页”. The Chinese font is embedded (see `fonts`).
The output is deterministic: the same snapshot and URL give the same bytes.

The snapshot's shape is `zhicheng.documents.snapshot.ApplicationSnapshot` (re-exported here).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from zhicheng.documents.fonts import register_cjk_font
from zhicheng.documents.qr import qr_png
from zhicheng.documents.snapshot import (
    AchievementRow,
    ApplicantData,
    ApplicationSnapshot,
    AssessmentRow,
    CommitmentData,
    ContinuingEducationRow,
    EducationRow,
    MaterialRow,
    RequestData,
    SnapshotError,
    TitleRow,
    WorkRow,
    validate_snapshot,
)
from zhicheng.documents.uploads import format_size

__all__ = [
    "AchievementRow",
    "ApplicantData",
    "ApplicationSnapshot",
    "AssessmentRow",
    "CommitmentData",
    "ContinuingEducationRow",
    "EducationRow",
    "MaterialRow",
    "RequestData",
    "SnapshotError",
    "TitleRow",
    "WorkRow",
    "render_application_form",
]

FORM_TITLE = "专业技术资格评审申报表"
SHANGHAI = ZoneInfo("Asia/Shanghai")

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 18 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN_X  # 174 mm

INK = colors.black
HEAD_FILL = colors.HexColor("#d9d9d9")  # section title rows
LABEL_FILL = colors.HexColor("#f2f2f2")  # column headers and field labels
MARK_FILL = colors.HexColor("#fff4cc")  # representative works
RULE = colors.HexColor("#9a9a9a")


def _gap(width: int) -> str:
    """Blank space to write in by hand (paragraphs collapse ordinary and ideographic spaces)."""
    return "&nbsp;" * (width * 3)


DATE_BLANKS = f"{_gap(4)}年{_gap(2)}月{_gap(2)}日"


# --- text helpers -------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _markup(value: object) -> str:
    """Escape user text for a ReportLab paragraph; newlines become line breaks."""
    return escape(_text(value)).replace("\r\n", "\n").replace("\n", "<br/>")


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


def _date_parts(value: object) -> tuple[int, int, int | None] | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.year, value.month, value.day
    match = _ISO_DATE.match(_text(value))
    if match is None:
        return None
    return int(match[1]), int(match[2]), int(match[3]) if match[3] else None


def _ym(value: object) -> str:
    """Year and month as the paper form prints them: ``2008.09``."""
    parts = _date_parts(value)
    return f"{parts[0]}.{parts[1]:02d}" if parts else _text(value)


def _ymd(value: object) -> str:
    parts = _date_parts(value)
    if parts is None:
        return _text(value)
    year, month, day = parts
    return f"{year}.{month:02d}.{day:02d}" if day else f"{year}.{month:02d}"


def _period(start: object, end: object) -> str:
    """``2006.09—2010.06``; no end: ``…—至今``; no start: the end alone (e.g. a graduation)."""
    if not _text(start):
        return _ym(end)
    return f"{_ym(start)}—{_ym(end) or '至今'}"


def _moment(value: object) -> str:
    """A point in time in Asia/Shanghai: ``2024年07月20日 10:31``."""
    if value is None or value == "":
        return ""
    moment: dt.datetime | None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(_text(value))
        except ValueError:
            return _text(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    local = moment.astimezone(SHANGHAI)
    return local.strftime("%Y年%m月%d日 %H:%M")


def _number(value: object) -> float | None:
    try:
        return float(_text(value))
    except ValueError:
        return None


def _hours(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


# --- styles -------------------------------------------------------------------------------


class _Styles:
    def __init__(self, font: str) -> None:
        def style(name: str, size: float, **extra: Any) -> ParagraphStyle:
            return ParagraphStyle(
                name,
                fontName=font,
                fontSize=size,
                leading=extra.pop("leading", size * 1.4),
                wordWrap="CJK",
                **extra,
            )

        self.font = font
        self.title = style("title", 20, alignment=TA_CENTER, leading=26)
        self.subtitle = style("subtitle", 11, alignment=TA_CENTER)
        self.meta = style("meta", 9, leading=14)
        self.meta_right = style("meta_right", 9, leading=14, alignment=TA_RIGHT)
        self.section = style("section", 10.5, leading=14)
        self.head = style("head", 8.5, alignment=TA_CENTER, leading=11)
        self.label = style("label", 9, alignment=TA_CENTER, leading=12)
        self.cell = style("cell", 9, leading=12.5)
        self.cell_center = style("cell_center", 9, leading=12.5, alignment=TA_CENTER)
        self.small = style("small", 8, leading=11)
        self.small_center = style("small_center", 7, leading=9, alignment=TA_CENTER)
        self.mono = style("mono", 8, leading=11, alignment=TA_CENTER)
        self.body = style("body", 9.5, leading=15, firstLineIndent=19)
        self.right = style("right", 9.5, leading=16, alignment=TA_RIGHT)
        self.left = style("left", 9.5, leading=16, alignment=TA_LEFT)
        self.vertical = style("vertical", 11, leading=16, alignment=TA_CENTER)
        self.vertical_long = style("vertical_long", 10, leading=12, alignment=TA_CENTER)


def _grid(font: str) -> list[tuple[Any, ...]]:
    return [
        ("FONT", (0, 0), (-1, -1), font, 9),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, INK),
        ("BOX", (0, 0), (-1, -1), 1.0, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]


# --- building blocks ----------------------------------------------------------------------


class _Form:
    """Builds the story (list of flowables) of one form."""

    def __init__(self, snapshot: ApplicationSnapshot, qr_url: str, font: str) -> None:
        self.s = snapshot
        self.qr_url = qr_url
        self.st = _Styles(font)
        self.font = font

    def p(self, value: object, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(_markup(value), style or self.st.cell)

    def section(
        self,
        title: str,
        headers: Sequence[str],
        widths_mm: Sequence[float],
        rows: list[list[Flowable | str]],
        *,
        extra: Sequence[tuple[Any, ...]] = (),
        footnote: str = "",
    ) -> Table:
        """A bordered table: a title row, a header row, the rows (or “无”), a footnote row.

        The title and header rows repeat on every page the table runs over.
        """
        columns = len(headers)
        data: list[list[Flowable | str]] = [
            [self.p(title, self.st.section)] + [""] * (columns - 1),
            [self.p(h, self.st.head) for h in headers],
        ]
        commands: list[tuple[Any, ...]] = [
            *_grid(self.font),
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
            ("BACKGROUND", (0, 1), (-1, 1), LABEL_FILL),
        ]
        if rows:
            data.extend(rows)
        else:
            data.append([self.p("无", self.st.cell_center)] + [""] * (columns - 1))
            commands.append(("SPAN", (0, 2), (-1, 2)))
        if footnote:
            data.append([self.p(footnote, self.st.small)] + [""] * (columns - 1))
            commands.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
        commands.extend(extra)
        return Table(
            data,
            colWidths=[w * mm for w in widths_mm],
            repeatRows=2,
            style=TableStyle(commands),
            hAlign="CENTER",
            # A row taller than the space left (a long work history or achievement) splits
            # across the page break instead of leaving the page half empty — or, taller than
            # a whole page, failing to lay out at all.
            splitInRow=1,
        )

    # -- head ---------------------------------------------------------------------------

    def heading(self) -> list[Flowable]:
        st = self.st
        qr = Image(io.BytesIO(qr_png(self.qr_url, scale=8, border=2)), 25 * mm, 25 * mm)
        qr_cell = [qr, Paragraph("扫码查看申报", st.small_center)]
        title_cell = [
            Spacer(1, 5 * mm),
            Paragraph(FORM_TITLE, st.title),
            Spacer(1, 1.5 * mm),
            Paragraph(f"（{_markup(self.s['season'])}）", st.subtitle),
        ]
        top = Table(
            [["", title_cell, qr_cell]],
            colWidths=[28 * mm, WIDTH - 56 * mm, 28 * mm],
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.font, 9),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (2, 0), (2, 0), "RIGHT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
        )
        submitted = _moment(self.s["submitted_at"]) or "尚未提交（草稿）"
        meta = Table(
            [
                [self.p(f"评审委员会：{_text(self.s['committee'])}", st.meta), ""],
                [self.p(f"评审计划：{_text(self.s['plan'])}", st.meta), ""],
                [
                    self.p(f"申报编号：{_text(self.s['application_no'])}", st.meta),
                    self.p(f"提交时间：{submitted}", st.meta_right),
                ],
            ],
            colWidths=[WIDTH / 2, WIDTH / 2],
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.font, 9),
                    ("SPAN", (0, 0), (-1, 0)),
                    ("SPAN", (0, 1), (-1, 1)),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                ]
            ),
        )
        return [top, Spacer(1, 2 * mm), meta, Spacer(1, 2 * mm)]

    def personal(self) -> Table:
        a: ApplicantData = self.s["applicant"]
        r: RequestData = self.s["request"]
        st = self.st

        def label(text: str) -> Paragraph:
            return Paragraph(text, st.label)

        years = _text(r["years_in_profession"])
        if _number(years) is not None:
            years = f"{years} 年"
        number = a.get("id_number") or a["id_masked"]
        identity = f"{_text(a['id_type'])}　{_text(number)}".strip()
        current = _text(r["current_title"]) or "无"
        rows: list[list[Flowable | str]] = [
            [self.p("一、基本情况", st.section), "", "", ""],
            [label("姓名"), self.p(a["name"]), label("性别"), self.p(a["gender"])],
            [label("出生年月"), self.p(_ym(a["birth_date"])), label("身份证件"), self.p(identity)],
            [label("工作单位"), self.p(a["unit"]), "", ""],
            [label("申报系列"), self.p(r["series"]), label("申报专业"), self.p(r["specialty"])],
            [label("申报层级"), self.p(r["level"]), label("申报职称名称"), self.p(r["title_name"])],
            [label("申报途径"), self.p(r["route"]), label("联系电话"), self.p(a.get("phone", ""))],
            [
                label("现职称"),
                self.p(current),
                label("取得时间"),
                self.p(_ym(r["current_title_date"])),
            ],
            [label("从事专业技术<br/>工作年限"), self.p(years), "", ""],
        ]
        commands: list[tuple[Any, ...]] = [
            *_grid(self.font),
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
            ("SPAN", (1, 3), (3, 3)),
            ("SPAN", (1, 8), (3, 8)),
            ("BACKGROUND", (0, 1), (0, -1), LABEL_FILL),
            ("BACKGROUND", (2, 1), (2, 2), LABEL_FILL),
            ("BACKGROUND", (2, 4), (2, 7), LABEL_FILL),
        ]
        return Table(
            rows,
            colWidths=[26 * mm, 61 * mm, 26 * mm, 61 * mm],
            rowHeights=[None] + [8 * mm] * 8,
            style=TableStyle(commands),
        )

    # -- sections -----------------------------------------------------------------------

    def education(self) -> Table:
        rows: list[list[Flowable | str]] = []
        for e in self.s["education"]:
            verified = e.get("verified_online")
            rows.append(
                [
                    self.p(_period(e["start"], e["end"]), self.st.cell_center),
                    self.p(e["school"]),
                    self.p(e["major"]),
                    self.p(e["education"], self.st.cell_center),
                    self.p(e["degree"], self.st.cell_center),
                    self.p(e["mode"], self.st.cell_center),
                    self.p("已核验" if verified else "—", self.st.cell_center),
                ]
            )
        return self.section(
            "二、学历",
            ["起止年月", "毕业院校", "所学专业", "学历", "学位", "学习形式", "学信网核验"],
            [30, 38, 32, 20, 20, 17, 17],
            rows,
        )

    def titles(self) -> Table:
        rows: list[list[Flowable | str]] = [
            [
                self.p(t["name"]),
                self.p(t["specialty"]),
                self.p(t["level"], self.st.cell_center),
                self.p(_ym(t["date"]), self.st.cell_center),
                self.p(t["obtained_via"], self.st.cell_center),
                self.p(t["issuer"]),
                self.p(t["certificate_number"], self.st.mono),
            ]
            for t in self.s["titles"]
        ]
        return self.section(
            "三、专业技术职称及职业资格",
            ["名称", "专业", "层级", "取得时间", "取得方式", "审批或发证机关", "证书编号"],
            [34, 24, 18, 17, 15, 38, 28],
            rows,
        )

    def work(self) -> Table:
        rows: list[list[Flowable | str]] = [
            [
                self.p(_period(w["start"], w["end"]), self.st.cell_center),
                self.p(w["employer"]),
                self.p(w["position"]),
                self.p(w["duties"]),
            ]
            for w in self.s["work"]
        ]
        return self.section(
            "四、工作经历",
            ["起止年月", "工作单位", "岗位或职务", "从事专业技术工作内容"],
            [30, 42, 26, 76],
            rows,
        )

    def assessments(self) -> Table:
        rows: list[list[Flowable | str]] = [
            [
                self.p(a["year"], self.st.cell_center),
                self.p(a["grade"], self.st.cell_center),
                self.p(a.get("unit", "")),
                self.p(a.get("note", "")),
            ]
            for a in self.s["assessments"]
        ]
        return self.section(
            "五、年度考核", ["年度", "考核结果", "考核单位", "备注"], [22, 30, 70, 52], rows
        )

    def continuing_education(self) -> Table:
        rows: list[list[Flowable | str]] = []
        for c in self.s["continuing_education"]:
            public, professional = _number(c["public_hours"]), _number(c["professional_hours"])
            both = public is not None and professional is not None
            total = _hours((public or 0) + (professional or 0)) if both else ""
            certificate = c.get("public_certificate")
            rows.append(
                [
                    self.p(c["year"], self.st.cell_center),
                    self.p(c["public_hours"], self.st.cell_center),
                    self.p(c["professional_hours"], self.st.cell_center),
                    self.p(total, self.st.cell_center),
                    self.p(
                        "" if certificate is None else ("有" if certificate else "无"),
                        self.st.cell_center,
                    ),
                    self.p(c.get("note", "")),
                ]
            )
        return self.section(
            "六、继续教育",
            ["年度", "公需科目学时", "专业科目学时", "合计学时", "公需科目合格证明", "备注"],
            [20, 26, 26, 22, 30, 50],
            rows,
        )

    def achievements(self) -> Table:
        rows: list[list[Flowable | str]] = []
        marked: list[tuple[Any, ...]] = []
        representative = 0
        for index, a in enumerate(self.s["achievements"], 1):
            source = _text(a["source"])
            level = _text(a.get("level", ""))
            if level:
                source = f"{source}（{level}）" if source else level
            if a["representative"]:
                representative += 1
                row = len(rows) + 2
                marked.append(("BACKGROUND", (0, row), (-1, row), MARK_FILL))
            rows.append(
                [
                    self.p(index, self.st.cell_center),
                    self.p(a["kind"], self.st.cell_center),
                    self.p(a["title"]),
                    self.p(_ym(a["date"]), self.st.cell_center),
                    self.p(source),
                    self.p(a["role"], self.st.cell_center),
                    self.p("★代表作" if a["representative"] else "", self.st.cell_center),
                ]
            )
        footnote = f"★ 为代表作，共 {representative} 项。" if rows else ""
        return self.section(
            "七、业绩成果与论文",
            [
                "序号",
                "类别",
                "名称",
                "时间",
                "刊物、出版单位或授予单位",
                "本人排名或角色",
                "代表作",
            ],
            [10, 12, 62, 16, 36, 22, 16],
            rows,
            extra=marked,
            footnote=footnote,
        )

    def materials(self) -> Table:
        rows: list[list[Flowable | str]] = []
        total = 0
        for index, m in enumerate(self.s["materials"], 1):
            size = int(m["size"]) if _number(m["size"]) is not None else 0
            total += size
            pages = m.get("pages")
            extent = f"{pages}页 · {format_size(size)}" if pages else format_size(size)
            digest = _text(m["sha256"]).lower()[:16]
            rows.append(
                [
                    self.p(index, self.st.cell_center),
                    self.p(m["title"]),
                    self.p(m["category"], self.st.cell_center),
                    self.p(_ymd(m["date"]), self.st.cell_center),
                    self.p(_text(m["kind"]).upper(), self.st.cell_center),
                    self.p(extent, self.st.cell_center),
                    self.p(f"{digest[:8]} {digest[8:]}", self.st.mono),
                ]
            )
        footnote = (
            f"共 {len(rows)} 份材料，合计 {format_size(total)}。"
            "SHA-256 摘要在上传时计算，完整摘要以系统记录为准；公示和评审会议以该摘要核对材料。"
            if rows
            else ""
        )
        return self.section(
            "八、申报材料清单",
            ["序号", "材料名称", "类别", "材料日期", "格式", "页数·大小", "SHA-256（前16位）"],
            [10, 52, 24, 20, 14, 24, 30],
            rows,
            footnote=footnote,
        )

    def commitment(self) -> Flowable:
        c: CommitmentData = self.s["commitment"]
        st = self.st
        paragraphs = [p for p in re.split(r"\n\s*\n|\r?\n", _text(c["text"])) if p.strip()]
        accepted = _moment(c["accepted_at"])
        if accepted:
            where = _text(c.get("accepted_ip", ""))
            online = f"申报人已于 {accepted} 在线阅读并确认本承诺" + (
                f"（IP地址：{where}）。" if where else "。"
            )
        else:
            online = "申报人尚未在线确认本承诺。"
        data: list[list[Flowable | str]] = [[self.p("九、申报人承诺", st.section)]]
        data += [[self.p(text, st.body)] for text in paragraphs] or [[self.p("无", st.body)]]
        data += [
            [self.p(online, st.small)],
            [Paragraph(f"申报人（签名）：{_gap(10)}{DATE_BLANKS}", st.right)],
        ]
        table = Table(
            data,
            colWidths=[WIDTH],
            repeatRows=1,
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.font, 9),
                    ("BOX", (0, 0), (-1, -1), 1.0, INK),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, INK),
                    ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 1), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
                    ("TOPPADDING", (0, -1), (-1, -1), 10),
                ]
            ),
        )
        return KeepTogether([table])

    def opinion_box(
        self, label: str, lines: int, *, prompt: str = "", seal: str, signer: str
    ) -> Flowable:
        """A box for a handwritten opinion: ruled blank lines, signature, seal and date."""
        st = self.st
        inner_width = WIDTH - 14 * mm
        content: list[list[Flowable | str]] = []
        heights: list[float | None] = []
        if prompt:
            content.append([Paragraph(prompt, st.left)])
            heights.append(None)
        for _ in range(lines):
            content.append([""])
            heights.append(8 * mm)
        content.append([Paragraph(f"{signer}：{_gap(12)}（{seal}）", st.right)])
        heights.append(10 * mm)
        content.append([Paragraph(DATE_BLANKS, st.right)])
        heights.append(7 * mm)
        ruled = [
            ("LINEBELOW", (0, i), (-1, i), 0.4, RULE)
            for i in range(1 if prompt else 0, (1 if prompt else 0) + lines)
        ]
        body = Table(
            content,
            colWidths=[inner_width - 8 * mm],
            rowHeights=heights,
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.font, 9),
                    *ruled,
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
        )
        vertical = Paragraph(
            "<br/>".join(label), st.vertical if len(label) <= 6 else st.vertical_long
        )
        box = Table(
            [[vertical, body]],
            colWidths=[14 * mm, inner_width],
            style=TableStyle(
                [
                    *_grid(self.font),
                    ("BACKGROUND", (0, 0), (0, 0), LABEL_FILL),
                    ("VALIGN", (1, 0), (1, 0), "TOP"),
                    ("LEFTPADDING", (1, 0), (1, 0), 4 * mm),
                    ("TOPPADDING", (1, 0), (1, 0), 3 * mm),
                    ("BOTTOMPADDING", (1, 0), (1, 0), 3 * mm),
                ]
            ),
        )
        return KeepTogether([box])

    def opinions(self) -> list[Flowable]:
        since = f"{_gap(3)}年{_gap(2)}月{_gap(2)}日"
        publicity = (
            f"公示情况：{since}至{since}在本单位公示，公示期内"
            f"&nbsp;□无异议&nbsp;&nbsp;□有异议（处理情况另附）。<br/>单位推荐意见："
        )
        return [
            self.opinion_box("单位意见", 4, prompt=publicity, seal="单位盖章", signer="负责人签字"),
            Spacer(1, 4 * mm),
            self.opinion_box("初审意见", 3, seal="初审单位盖章", signer="审核人签字"),
            Spacer(1, 4 * mm),
            self.opinion_box(
                "评委会办事机构复核意见", 3, seal="评委会办事机构盖章", signer="复核人签字"
            ),
        ]

    def story(self) -> list[Flowable]:
        gap = Spacer(1, 4 * mm)
        story: list[Flowable] = [*self.heading(), self.personal(), gap]
        for part in (
            self.education,
            self.titles,
            self.work,
            self.assessments,
            self.continuing_education,
            self.achievements,
            self.materials,
            self.commitment,
        ):
            story += [part(), gap]
        story += self.opinions()
        return story


# --- page furniture -----------------------------------------------------------------------


Furniture = Callable[[Canvas, int, int], None]


def _numbered_canvas(furniture: Furniture) -> type[Canvas]:
    """A canvas that holds pages back until the end, to print “共 M 页” on each."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                furniture(self, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def _furniture(snapshot: ApplicationSnapshot, font: str) -> Furniture:
    number_text = f"申报编号：{_text(snapshot['application_no'])}"
    applicant = _text(snapshot["applicant"]["name"])
    submitted = _moment(snapshot["submitted_at"])
    digest = _text(snapshot.get("snapshot_sha256", "")).lower()[:16]
    draft = not submitted

    def draw(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - 12 * mm
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#333333"))
        canvas.drawString(MARGIN_X, top, f"{FORM_TITLE} · {applicant}")
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, number_text)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top - 2 * mm, PAGE_WIDTH - MARGIN_X, top - 2 * mm)
        bottom = 10 * mm
        canvas.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
        canvas.setFont(font, 9)
        canvas.drawCentredString(PAGE_WIDTH / 2, bottom, f"第 {number} 页 共 {total} 页")
        canvas.setFont(font, 7)
        canvas.drawString(MARGIN_X, bottom, f"提交时间：{submitted}" if submitted else "草稿")
        if digest:
            canvas.drawRightString(PAGE_WIDTH - MARGIN_X, bottom, f"快照摘要：{digest}")
        if draft:
            canvas.setFillColor(colors.HexColor("#c00000"))
            canvas.setFillAlpha(0.12)
            canvas.setFont(font, 64)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, "草稿 未提交")
        canvas.restoreState()

    return draw


# --- entry point --------------------------------------------------------------------------


def render_application_form(
    snapshot: ApplicationSnapshot | Mapping[str, Any],
    *,
    qr_url: str,
    font_path: str | None = None,
    font_index: int | None = None,
) -> bytes:
    """Render the 专业技术资格评审申报表 of one application as A4 PDF bytes.

    `snapshot` has the shape of `ApplicationSnapshot` (see docs/documents.md); a missing or
    unknown key raises `SnapshotError` naming it. `qr_url` is encoded in the QR code at the
    top right (staff scan it to open the application). The font defaults to the
    ``ZHICHENG_PDF_FONT`` setting, else WenQuanYi Micro Hei; a missing font raises
    `zhicheng.documents.fonts.FontUnavailable`.
    """
    validate_snapshot(snapshot)
    data: ApplicationSnapshot = snapshot  # type: ignore[assignment]
    font = register_cjk_font(font_path, font_index)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{FORM_TITLE} {_text(data['application_no'])}",
        author=_text(data["applicant"]["name"]),
        subject=f"{_text(data['season'])} {_text(data['committee'])}",
        creator="zhicheng",
        invariant=1,
        lang="zh-CN",
        # Start every page in the embedded font: by default ReportLab declares Helvetica,
        # a font that is not embedded, on each page.
        initialFontName=font,
    )
    document.build(
        _Form(data, qr_url, font).story(),
        canvasmaker=_numbered_canvas(_furniture(data, font)),
    )
    return buffer.getvalue()
