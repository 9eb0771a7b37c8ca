"""The printable 公示 notice of one batch (PDF): what an office posts on its notice board.

A batch is one posting: the same kind of publicity, posting office, plan row and period
(queries.public_batch). The notice carries the title, the issuing office, the period in working
days with its clause, the numbered list (序号、姓名、工作单位、申报专业、申报层级), where to
object and how, and the issuing date (docs/publicity.md). The city office adjusts the heading,
title, issuing office, closing, contact and the optional columns (性别, 申报层级) in the
season's document template (docs/documents.md §Document templates).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zhicheng.documents.fonts import register_cjk_font
from zhicheng.policy.dates import cn_date
from zhicheng.seasons.doctemplates import table
from zhicheng.seasons.queries import document_template

from .models import Kind, Publicity

# The notice's title by kind, after the issuing office's name.
TITLES: dict[str, str] = {
    Kind.UNIT: "关于{year}年度职称申报人员的公示",
    Kind.PRE_EVALUATION: "关于{year}年度{committee}职称评审评前公示",
    Kind.RESULT: "关于{year}年度{committee}职称评审结果的公示",
}
# What is being made public, in the body's first sentence.
SUBJECTS: dict[str, str] = {
    Kind.UNIT: "经本单位审核，现将申报{year}年度专业技术资格评审的人员名单予以公示",
    Kind.PRE_EVALUATION: "经评委会办事机构复核，现将提交{committee}评审的人员名单予以公示",
    Kind.RESULT: "经{committee}评审表决，现将评审通过人员名单予以公示",
}


def _name(p: Publicity) -> str:
    applicant = p.application.applicant
    return str(applicant.full_name or applicant.username)


def _employer(p: Publicity) -> str:
    employer = p.application.employer
    return str(employer.name) if employer is not None else "自由职业"


def _sex(p: Publicity) -> str:
    return str(p.application.applicant.get_sex_display() or "—")


def render_batch_notice(batch: Sequence[Publicity], *, site_url: str = "") -> bytes:
    """A4 PDF bytes of the notice of `batch` (at least one entry, all of one batch)."""
    first = batch[0]
    font = register_cjk_font()
    year = first.application.season.year
    committee = f"{first.application.plan.specialty}专业评委会"
    office = first.organisation.name

    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=24, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=19, firstLineIndent=22)
    cell = ParagraphStyle("cell", fontName=font, fontSize=10, leading=13)
    right = ParagraphStyle("right", fontName=font, fontSize=11, leading=19, alignment=2)

    period = f"{first.date_range_full}"
    how = f"公示期间，对公示对象有异议的，可实名或匿名向{office}反映"
    if first.kind != Kind.UNIT and first.application.plan.phone:
        how += f"（联系电话：{first.application.plan.phone}）"
    if site_url:
        how += f"，也可在职称评审系统“公示”页面在线提出（{site_url}）"
    how += "。反映问题须实事求是，并留下联系方式以便核实和答复；联系方式不予公开。"

    tpl = document_template(first.application.season, "publicity_notice")
    values = {"年度": year, "评委会": committee, "公示单位": office, "人数": len(batch)}
    issuer = tpl.fill(tpl.office_name, values) or office
    people = [{"序号": str(number), "姓名": _name(p), "性别": _sex(p), "工作单位": _employer(p),
               "申报专业": f"{p.application.series.name} · {p.application.specialty}",
               "申报层级": str(p.application.get_level_display())}
              for number, p in enumerate(batch, 1)]
    columns, weights, cells = table(tpl, people)
    widths = [174 * mm * w / sum(weights) for w in weights]
    rows: list[list[object]] = [list(columns)]
    rows += [[Paragraph(escape(v), cell) for v in r] for r in cells]
    table_ = Table(rows, colWidths=widths, repeatRows=1)
    table_.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 10),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
    ]))
    header = ParagraphStyle("header", fontName=font, fontSize=20, leading=28, alignment=1,
                            textColor=colors.HexColor("#c00000"))

    story: list[object] = []
    if tpl.header:
        story += [Paragraph(escape(tpl.fill(tpl.header, values)), header), Spacer(1, 4 * mm)]
    story += [
        Paragraph(escape(tpl.fill(tpl.title, values))
                  or office + TITLES[first.kind].format(year=year, committee=committee), title),
        Spacer(1, 6 * mm),
        Paragraph(
            SUBJECTS[first.kind].format(year=year, committee=committee)
            + f"（共{len(batch)}人）。公示期：{period}（{first.clause}）。", body),
        Spacer(1, 3 * mm),
        table_,
        Spacer(1, 5 * mm),
        Paragraph(how, body),
    ]
    for text in (tpl.fill(tpl.closing, values), tpl.fill(tpl.contact, values)):
        if text:
            story.append(Paragraph(escape(text), body))
    story += [
        Spacer(1, 12 * mm),
        Paragraph(escape(issuer), right),
        Paragraph(cn_date(first.first_day), right),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=20 * mm, bottomMargin=18 * mm,
                            title=f"{office}公示", author=office, subject="公示")
    doc.build(story)
    return out.getvalue()
