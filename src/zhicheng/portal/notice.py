"""Render a notice's Markdown to HTML with an anchor on every clause.

The source is inconsistent: sections appear as ``### 一、``, ``## 二、`` or ``#### 四、``;
sub-clauses as headings (``### (一)``, ``#### （四）``) or as paragraphs opening with
``(一) `` / ``（二）``; numbered items as ordered lists or paragraphs (``1.因岗位…``). Each
gets the id from :mod:`zhicheng.portal.clauses`. Raw HTML in the source is escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .clauses import ATTACHMENT_ANCHOR, NUMERAL, anchor_for, cn_number

_SECTION = re.compile(rf"^({NUMERAL})\s*、")
_SUB = re.compile(rf"^[（(]\s*({NUMERAL})\s*[)）]")
_ITEM = re.compile(r"^(\d{1,2})\s*[.．、]")
_ATTACHMENT_HEADING = re.compile(r"^#{1,6}\s*附件\s*$", re.MULTILINE)


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    label: str
    level: int  # 1 = section, 2 = sub-clause


@dataclass(frozen=True)
class RenderedNotice:
    html: str
    toc: tuple[TocEntry, ...]
    anchors: frozenset[str]
    attachment_text: str


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False})


def _label(text: str, limit: int = 24) -> str:
    first = re.split(r"[。；]", text.strip(), maxsplit=1)[0]
    return first if len(first) <= limit else first[:limit] + "…"


def _assign_anchors(tokens: list[Token]) -> tuple[list[TocEntry], set[str]]:
    section: int | None = None
    sub: int | None = None
    toc: list[TocEntry] = []
    used: set[str] = set()

    def give(token: Token, anchor: str) -> bool:
        if anchor in used:
            return False
        token.attrSet("id", anchor)
        token.attrJoin("class", "clause")
        used.add(anchor)
        return True

    for index, token in enumerate(tokens):
        if token.type == "list_item_open" and token.info.isdigit():
            if section is not None and sub is not None:
                give(token, anchor_for(section, sub, int(token.info)))
            continue
        if token.type not in ("heading_open", "paragraph_open") or index + 1 >= len(tokens):
            continue
        text = tokens[index + 1].content.strip()
        if token.type == "heading_open":
            # One outline whatever the source's levels: sections h2, sub-clauses h3.
            level = "h2" if _SECTION.match(text) or not _SUB.match(text) else "h3"
            token.tag = tokens[index + 2].tag = level
        if match := _SECTION.match(text):
            section, sub = cn_number(match[1]), None
            if give(token, anchor_for(section)):
                toc.append(TocEntry(anchor_for(section), _label(text), 1))
        elif (match := _SUB.match(text)) and section is not None:
            sub = cn_number(match[1])
            anchor = anchor_for(section, sub)
            if give(token, anchor):
                toc.append(TocEntry(anchor, _label(text), 2))
        elif (match := _ITEM.match(text)) and section is not None and sub is not None:
            in_list = index > 0 and tokens[index - 1].type == "list_item_open"
            if not in_list:
                give(token, anchor_for(section, sub, int(match[1])))
    return toc, used


@lru_cache(maxsize=16)
def render_notice(body: str) -> RenderedNotice:
    """HTML of the notice body; the attachment (a tab-separated table) is returned apart."""
    match = _ATTACHMENT_HEADING.search(body)
    main, attachment = (body[: match.start()], body[match.end() :]) if match else (body, "")
    md = _markdown()
    tokens = md.parse(main)
    toc, anchors = _assign_anchors(tokens)
    rendered = md.renderer.render(tokens, md.options, {})
    if match:
        anchors.add(ATTACHMENT_ANCHOR)
        toc.append(TocEntry(ATTACHMENT_ANCHOR, "附件", 1))
    return RenderedNotice(
        html=rendered,
        toc=tuple(toc),
        anchors=frozenset(anchors),
        attachment_text=attachment.strip("\n"),
    )


def attachment_parts(text: str) -> tuple[list[str], str]:
    """Headings of the attachment (Markdown ``#`` lines) and its table text (unescaped)."""
    headings = [
        line.lstrip("#").strip() for line in text.splitlines() if line.lstrip().startswith("#")
    ]
    table = "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("#")
    ).strip("\n")
    return headings, table
