"""A printable office document as plain data, and its PDF (embedded Chinese font).

The same `PrintDocument` feeds the PDF (`render_pdf`) and the print layout of the page
(`templates/documents/print.html`, print CSS in `static/documents/print.css`), so what an
office prints from the browser and what it downloads say the same thing (docs/documents.md
§Meeting documents). Values are what is printed: labels, never codes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .fonts import register_cjk_font

SIGNATURE_LINE = "签字（盖章）：____________　　____年____月____日"


@dataclass(frozen=True)
class PrintDocument:
    """One document. Every part is optional except the title."""

    title: str
    header: str = ""                      # the issuing office's heading line (红头)
    number: str = ""                      # document number (文号), under the heading
    intro: list[str] = field(default_factory=list)        # paragraphs before the table
    facts: list[tuple[str, str]] = field(default_factory=list)  # a two-column form
    columns: list[str] = field(default_factory=list)      # the table's headers
    widths: list[float] = field(default_factory=list)     # relative column widths
    rows: list[list[str]] = field(default_factory=list)
    empty: str = "无"                      # printed instead of an empty table
    after: list[str] = field(default_factory=list)        # paragraphs after the table
    boxes: list[str] = field(default_factory=list)        # opinion / signature boxes
    contact: str = ""
    issuer: str = ""                      # signed at the bottom right
    date: str = ""                        # under the issuer
    landscape: bool = False

    def table(self) -> list[list[str]]:
        return [self.columns, *self.rows] if self.columns else []


def render_pdf(doc: PrintDocument) -> bytes:
    """A4 PDF bytes of `doc`; deterministic for the same document."""
    font = register_cjk_font()
    red = ParagraphStyle("header", fontName=font, fontSize=22, leading=30, alignment=1,
                         textColor=colors.HexColor("#c00000"))
    number = ParagraphStyle("number", fontName=font, fontSize=11, leading=18, alignment=1)
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=24, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=19, firstLineIndent=22)
    cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13)
    right = ParagraphStyle("right", fontName=font, fontSize=11, leading=19, alignment=2)

    size = landscape(A4) if doc.landscape else A4
    usable = size[0] - 36 * mm

    def para(text: str, style: Any) -> Any:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    def grid(rows: list[list[str]], widths: list[float], head: bool) -> Any:
        t = Table([[para(c, cell) for c in r] for r in rows], colWidths=widths,
                  repeatRows=1 if head else 0)
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        if head:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")))
        t.setStyle(TableStyle(style))
        return t

    story: list[Any] = []
    if doc.header:
        story.append(para(doc.header, red))
    if doc.number:
        story.append(para(doc.number, number))
    if doc.header or doc.number:
        story.append(Spacer(1, 6 * mm))
    story += [para(doc.title, title), Spacer(1, 5 * mm)]
    story += [para(p, body) for p in doc.intro]
    if doc.facts:
        story += [Spacer(1, 2 * mm),
                  grid([[k, v] for k, v in doc.facts], [usable * 0.28, usable * 0.72], False)]
    if doc.columns:
        weights = doc.widths or [1.0] * len(doc.columns)
        widths = [usable * w / sum(weights) for w in weights]
        story.append(Spacer(1, 3 * mm))
        if doc.rows:
            story.append(grid(doc.table(), widths, True))
        else:
            story += [grid([doc.columns], widths, True), para(doc.empty, body)]
    if doc.after:
        story.append(Spacer(1, 3 * mm))
        story += [para(p, body) for p in doc.after]
    for box in doc.boxes:
        lines = [[para(box, cell)], [""], [""], [para(SIGNATURE_LINE, cell)]]
        t = Table(lines, colWidths=[usable], rowHeights=[None, 12 * mm, 12 * mm, None])
        t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.black)]))
        story += [Spacer(1, 4 * mm), KeepTogether(t)]
    if doc.contact:
        story += [Spacer(1, 4 * mm), para(doc.contact, body)]
    if doc.issuer or doc.date:
        story.append(Spacer(1, 10 * mm))
        story += [para(x, right) for x in (doc.issuer, doc.date) if x]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=size, leftMargin=18 * mm, rightMargin=18 * mm,
                      topMargin=18 * mm, bottomMargin=18 * mm, title=doc.title,
                      author=doc.issuer, subject=doc.number or doc.title,
                      invariant=True).build(story)
    return out.getvalue()
