"""The meeting's records as a PDF (embedded Chinese font) and the data report (Excel, JSON;
schema in docs/data-report.md)."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from django.db.models import Q
from openpyxl import Workbook
from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zhicheng.catalogue.models import Level, Title
from zhicheng.core import labels
from zhicheng.documents.fonts import register_cjk_font

from . import queries
from .models import Attendance, Meeting

SCHEMA_VERSION = "1.0"


def data_report_payload(meeting: Meeting) -> dict[str, Any]:
    """One meeting's evaluation data, in the standard format (docs/data-report.md)."""
    cases = list(meeting.cases.select_related("application__applicant", "application__employer",
                                              "application__series").order_by("pk"))
    # Experts present at the meeting: at any of its sittings (one sitting: its attendance).
    present = (Attendance.objects.filter(sitting__meeting=meeting).filter(
        Q(seat__reserve=False) | Q(seat__called_in=True)).values("seat_id").distinct().count())
    return {
        "schema": "zhicheng.data-report",
        "schema_version": SCHEMA_VERSION,
        "season": meeting.season.code,
        "committee": meeting.committee.name,
        "office": meeting.committee.office.name,
        "meeting": {
            "id": meeting.pk,
            "date": meeting.date.isoformat(),
            "place": meeting.place,
            "experts_drawn": meeting.seats.filter(reserve=False).count(),
            "experts_present": present,
            "seed_sha256": meeting.seed_hash,
            "pass_rate_percent": str(meeting.pass_rate) if meeting.pass_rate is not None else None,
            "results_published_on": (meeting.results_published_on.isoformat()
                                     if meeting.results_published_on else None),
        },
        "summary": {
            "roster": len(cases),
            "passed": sum(1 for c in cases if c.passed and not c.held_back),
            "not_passed": sum(1 for c in cases if not (c.passed and not c.held_back)),
        },
        "applicants": [
            {
                "application_id": c.application_id,
                "name": str(c.application.applicant),
                "employer": str(c.application.employer or ""),
                "series": c.application.series.code,
                "specialty": c.application.specialty,
                "level": c.application.level,
                "agree": c.agree,
                "disagree": c.disagree,
                "abstain": c.abstain,
                "not_voted": c.not_voted,
                "attending": c.attending,
                "result": "passed" if c.passed and not c.held_back else "not_passed",
                "held_back_by_pass_rate": c.held_back,
            }
            for c in cases
        ],
    }


def data_report_json(meeting: Meeting) -> bytes:
    return json.dumps(data_report_payload(meeting), ensure_ascii=False, indent=2).encode()


# The sheet 评审对象, column by column (docs/exports.md §data-report.xlsx): labels for people;
# the keys the JSON payload lacks (sex, identity number, title name, committee, approval
# number) come from `_people` (the recipients, the committee office and the city office,
# handle the dossiers and are entitled to the full identity number).
APPLICANT_COLUMNS = [
    ("application_id", "申报编号"), ("name", "姓名"), ("sex", "性别"),
    ("id_number", "身份证件号码"), ("employer", "工作单位"),
    ("series", "系列"), ("specialty", "专业"), ("level", "层级"), ("title_name", "申报职称名称"),
    ("committee", "评委会"), ("date", "会议日期"),
    ("agree", "同意"), ("disagree", "不同意"), ("abstain", "弃权"), ("not_voted", "未投票"),
    ("attending", "参加表决人数（应投）"),
    ("result", "评审结果"), ("held_back_by_pass_rate", "因通过率未通过"),
    ("approval_number", "核准备案文号"),
]
# The codes another system reads (docs/data-report.md), after the labels, in named columns.
CODE_COLUMNS = [
    ("series", "系列代码（系统用）"), ("level", "层级代码（系统用）"),
    ("result", "评审结果代码（系统用）"),
]
RESULT_LABELS = {"passed": "通过", "not_passed": "未通过"}
MEETING_LABELS = {
    "schema": "数据格式", "schema_version": "格式版本", "season": "评审年度",
    "committee": "评委会", "office": "评委会办事机构",
    "id": "会议编号", "date": "会议日期", "place": "会议地点",
    "experts_drawn": "抽取评委人数", "experts_present": "出席评委人数",
    "seed_sha256": "抽取种子哈希（SHA-256）", "pass_rate_percent": "通过率上限（%）",
    "results_published_on": "结果公布日期", "approval_number": "核准备案文号",
    "roster": "评审人数", "passed": "通过人数", "not_passed": "未通过人数",
}
DATE_KEYS = {"date", "results_published_on"}
DATE_FORMAT = "yyyy-mm-dd"


def _cell(key: str, value: Any) -> Any:
    """What a person reads in the workbook: labels, 是/否, real dates, — for nothing."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "—"
    if key in DATE_KEYS and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if key == "series":
        return labels.label(value, "series")
    if key == "level":
        return labels.label(value, "level")
    if key == "result":
        return RESULT_LABELS.get(value, value)
    return value


def _people(meeting: Meeting) -> dict[int, dict[str, Any]]:
    """Per application: what the sheet shows beyond the JSON payload."""
    cases = list(meeting.cases.select_related("application__applicant", "application__series"))
    titles = {(t.series_id, t.level): t.name
              for t in Title.objects.filter(
                  series_id__in={c.application.series_id for c in cases}).order_by("-pk")}
    out = {}
    for c in cases:
        a = c.application
        who = a.applicant
        out[a.pk] = {
            "sex": who.get_sex_display() or None, "id_number": who.id_number or None,
            "title_name": titles.get((a.series_id, a.level),
                                     f"{a.series.name}{a.get_level_display()}"),
            "committee": meeting.committee.name, "date": meeting.date,
            "approval_number": meeting.approval_number or None,
        }
    return out


def data_report_xlsx(meeting: Meeting) -> bytes:
    payload = data_report_payload(meeting)
    people = _people(meeting)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "评审对象"
    ws.append([text for _, text in APPLICANT_COLUMNS] + [text for _, text in CODE_COLUMNS])
    for row in payload["applicants"]:
        full = {**row, **people.get(row["application_id"], {})}
        ws.append([_cell(key, full[key]) for key, _ in APPLICANT_COLUMNS]
                  + [row[key] for key, _ in CODE_COLUMNS])
    info = wb.create_sheet("会议")
    info.append(["项目", "内容"])
    for key in ("schema", "schema_version", "season", "committee", "office"):
        value = meeting.season.name if key == "season" else payload[key]
        info.append([MEETING_LABELS[key], _cell(key, value)])
    for key, value in (*payload["meeting"].items(),
                       ("approval_number", meeting.approval_number),
                       *payload["summary"].items()):
        info.append([MEETING_LABELS.get(key, key), _cell(key, value)])
    for sheet in (ws, info):
        for cells in sheet.iter_rows(min_row=2):
            for c in cells:
                if isinstance(c.value, dt.date):
                    c.number_format = DATE_FORMAT
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _n(value: Any) -> Any:
    return "—" if value is None else value


def _signed(flag: bool) -> str:
    return "已签字" if flag else "未签字"


def minutes_pdf(meeting: Meeting) -> bytes:
    """The meeting's records: roster, attendance, draw protocol (seed hash and seed), tally."""
    font = register_cjk_font()
    h = ParagraphStyle("h", fontName=font, fontSize=15, leading=20)
    p = ParagraphStyle("p", fontName=font, fontSize=9.5, leading=14)
    small = ParagraphStyle("s", fontName=font, fontSize=8, leading=11)

    def table(rows: list[list[Any]], widths: list[float]) -> Table:
        t = Table([[Paragraph(str(c), small) for c in r] for r in rows], colWidths=widths,
                  repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
        return t

    story: list[Any] = [
        Paragraph(f"{meeting.committee} 评审会议纪要", h), Spacer(1, 4 * mm),
        Paragraph(f"会议日期：{meeting.date:%Y-%m-%d}　地点：{meeting.place}", p),
        Paragraph(f"年度：{meeting.season}　评审通过率：" + (
            f"{meeting.pass_rate}%" if meeting.pass_rate is not None else "未设定上限"), p),
        Spacer(1, 3 * mm), Paragraph("一、评审对象花名册", p),
    ]
    cases = list(meeting.cases.select_related("application__applicant",
                                              "application__employer")
                 .prefetch_related("recusals"))
    days = queries.sittings_of(meeting)
    several = len(days) > 1
    number = {d.pk: d.number for d in days}
    first = days[0].number if days else 1
    if several:  # which sitting voted on each case
        story.append(table(
            [["序号", "姓名", "工作单位", "专业", "层级", "场次"]]
            + [[i, c.application.applicant, c.application.employer or "",
                c.application.specialty, Level(c.application.level).label,
                f"第{number.get(c.sitting_id or 0, first)}场"] for i, c in enumerate(cases, 1)],
            [12 * mm, 26 * mm, 56 * mm, 41 * mm, 23 * mm, 16 * mm]))
    else:
        story.append(table(
            [["序号", "姓名", "工作单位", "专业", "层级"]]
            + [[i, c.application.applicant, c.application.employer or "",
                c.application.specialty, Level(c.application.level).label]
               for i, c in enumerate(cases, 1)],
            [12 * mm, 28 * mm, 60 * mm, 45 * mm, 25 * mm]))
    story += [Spacer(1, 3 * mm), Paragraph("二、抽取记录", p),
              Paragraph(f"抽取前公布的种子哈希（SHA-256）：{meeting.seed_hash}", small),
              Paragraph(f"随机种子（抽取后公开）：{meeting.seed}", small),
              Paragraph(f"抽取前回避{meeting.exclusions.count()}项（"
                        f"撤销{meeting.exclusions.filter(overridden=True).count()}项）；"
                        f"复核命令：zhicheng draw verify {meeting.pk}", small),
              Spacer(1, 3 * mm), Paragraph("三、评委出席情况", p)]
    seats = list(meeting.seats.select_related("expert__user", "expert__unit"))
    seat_names = {s.pk: f"第{s.position}位 {s.expert.user}" for s in seats}
    attended = queries.present_by_sitting(meeting)
    present = {d.pk: attended.get(d.pk, set()) for d in days}

    def mark(s: Any, day: Any) -> str:
        here = day is not None and s.pk in present[day.pk]
        return "出席" if here else ("缺席" if s.sits else "—")

    def kind(s: Any) -> str:
        return "备选递补" if s.called_in else ("备选（未递补）" if s.reserve else "抽取")

    if several:  # one column per sitting, then each sitting's day, place, presiding, quorum
        story.append(table(
            [["顺序", "评委", "工作单位", "类别"] + [f"第{d.number}场" for d in days]]
            + [[s.position, s.expert.user, s.expert.unit, kind(s)] + [mark(s, d) for d in days]
               for s in seats],
            [12 * mm, 26 * mm, 50 * mm, 24 * mm] + [68 * mm / len(days)] * len(days)))
        for d in days:
            holds, n, size = queries.quorum(meeting, d)
            away = [s for s in seats if s.sits and s.pk not in present[d.pk]]
            who = (f"{d.presiding.expert.user}（{d.presiding.get_role_display()}）"
                   if d.presiding else "未指定")
            voted = sum(1 for c in cases if number.get(c.sitting_id or 0, first) == d.number)
            story.append(Paragraph(
                f"第{d.number}场：{d.date:%Y-%m-%d}，{d.place}；主持人：{who}；"
                f"出席{n}人 / 抽取{size}人（法定人数至少{queries.quorum_needed(meeting, size)}人，"
                f"{'达到' if holds else '未达到'}）；"
                "缺席：" + ("、".join(seat_names[s.pk] for s in away) if away else "无")
                + f"；评审对象{voted}人", small))
    else:
        day = days[0] if days else None
        story.append(table(
            [["顺序", "评委", "工作单位", "专业", "类别", "出席"]]
            + [[s.position, s.expert.user, s.expert.unit, s.expert.specialty, kind(s),
                mark(s, day)] for s in seats],
            [12 * mm, 26 * mm, 52 * mm, 34 * mm, 24 * mm, 14 * mm]))
        absent = [s for s in seats if s.sits and not (day and s.pk in present[day.pk])]
        story.append(Paragraph(
            "缺席：" + ("、".join(seat_names[s.pk] for s in absent) if absent else "无"), small))
    for s in seats:
        if s.called_in:
            story.append(Paragraph(
                f"备选递补：第{s.position}位 {s.expert.user}，"
                f"理由：{s.call_in_reason or '—'}", small))
    presiding = meeting.presiding
    story.append(Paragraph(
        "会议主持人：" + (f"{presiding.expert.user}（{presiding.get_role_display()}）"
                       if presiding else "未指定"), small))
    story += [Spacer(1, 3 * mm), Paragraph("四、回避与答辩", p)]
    recusals = [(c, r) for c in cases for r in c.recusals.all()]
    story.append(table(
        [["评审对象", "回避评委", "回避理由"]]
        + [[c.application.applicant, seat_names.get(r.seat_id, r.seat_id), r.reason]
           for c, r in recusals] + ([] if recusals else [["—", "无回避", ""]]),
        [40 * mm, 45 * mm, 95 * mm]))
    notes = [c for c in cases if c.defence_note]
    for c in notes:
        story.append(Paragraph(f"答辩记录（{c.application.applicant}）：{c.defence_note}", small))
    if not notes:
        story.append(Paragraph("答辩记录：无", small))
    story += [Spacer(1, 3 * mm), Paragraph("五、表决结果", p)]
    story.append(table(
        [["姓名", "同意", "不同意", "弃权", "未投票", "应投", "回避", "结果"]]
        + [[c.application.applicant, _n(c.agree), _n(c.disagree), _n(c.abstain),
            _n(c.not_voted), _n(c.attending), len(c.recusals.all()),
            "未表决" if not c.ballot_closed else (
                "通过" if c.passed and not c.held_back else (
                    "超出通过率" if c.held_back else "未通过"))]
           for c in cases],
        [33 * mm, 16 * mm, 16 * mm, 16 * mm, 16 * mm, 16 * mm, 14 * mm, 30 * mm]))
    for c in cases:
        for seat_id, why in sorted((c.missing_reasons or {}).items()):
            story.append(Paragraph(
                f"{c.application.applicant}：{seat_names.get(int(seat_id), seat_id)}未投票，"
                f"原因：{why}", small))
    if meeting.ceiling_decision:
        story.append(Paragraph(f"超出通过率的处理决定：{meeting.ceiling_decision}", small))
    counter = meeting.counter.expert.user if meeting.counter else "—"
    scrutineer = meeting.scrutineer.expert.user if meeting.scrutineer else "—"
    chair = (f"{presiding.get_role_display()} {presiding.expert.user}" if presiding
             else "会议主持人（未指定）")
    story += [Spacer(1, 4 * mm),
              Paragraph(f"计票人：{counter}（{_signed(meeting.counter_signed)}）"
                        f"　监票人：{scrutineer}（{_signed(meeting.scrutineer_signed)}）", p),
              Paragraph(f"会议主持人签字（{chair}）：____________", p),
              Paragraph(f"计票人签字（{counter}）：____________　"
                        f"监票人签字（{scrutineer}）：____________", p)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=f"{meeting} 评审会议纪要",
                      leftMargin=15 * mm, rightMargin=15 * mm).build(story)
    return out.getvalue()


# --- the expert's copy of a material ------------------------------------------------------------


def _watermark_page(width: float, height: float, text: str, font: str) -> Any:
    """A transparent page the size of the material's page with `text` repeated diagonally."""

    out = io.BytesIO()
    c = Canvas(out, pagesize=(width, height))
    c.setFillColor(colors.Color(0.55, 0.55, 0.55, alpha=0.28))
    c.setFont(font, 11)
    c.saveState()
    c.translate(width / 2, height / 2)
    c.rotate(35)
    step = 70
    span = int(max(width, height))
    for y in range(-span, span, step):
        c.drawCentredString(0, y, text)
    c.restoreState()
    c.setFillColor(colors.Color(0.4, 0.4, 0.4, alpha=0.8))
    c.setFont(font, 7)
    c.drawString(8, 8, text)
    c.save()
    return PdfReader(io.BytesIO(out.getvalue())).pages[0]


def watermarked_material(data: bytes, content_type: str, text: str) -> bytes:
    """The material as a PDF with every page watermarked with `text` (the expert's name and
    the time), so a leaked copy can be traced (docs/evaluation.md §What experts evaluate).
    PDFs keep their pages; images become one A4 page."""

    font = register_cjk_font()
    if content_type == "application/pdf":
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        for page in writer.pages:
            box = page.mediabox
            page.merge_page(_watermark_page(float(box.width), float(box.height), text, font))
    else:

        image = ImageReader(io.BytesIO(data))
        iw, ih = image.getSize()
        width, height = A4
        scale = min((width - 20 * mm) / iw, (height - 20 * mm) / ih, 1.0)
        out = io.BytesIO()
        c = Canvas(out, pagesize=A4)
        c.drawImage(image, (width - iw * scale) / 2, (height - ih * scale) / 2,
                    iw * scale, ih * scale)
        c.save()
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
        writer.pages[0].merge_page(_watermark_page(width, height, text, font))
    writer.add_metadata({"/Title": text})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
