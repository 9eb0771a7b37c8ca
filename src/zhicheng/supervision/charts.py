"""Server-rendered SVG charts (no JavaScript). Each chart is an image with a title and a
description for screen readers, visible text labels and values, and a tooltip (<title>)
on every bar; the same numbers are always in a table beside it."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 760
LABEL_WIDTH = 210
ROW_HEIGHT = 24
BAR_HEIGHT = 16
TOP = 34
_ids = itertools.count(1)


@dataclass(frozen=True)
class Segment:
    label: str
    colour: str


def _short(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(title: str, desc: str, height: int) -> tuple[str, list[str]]:
    n = next(_ids)
    tid, did = f"zc-chart-{n}-title", f"zc-chart-{n}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="zc-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{tid} {did}" font-family="sans-serif" font-size="12">'
        f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>'
    )
    return head, []


def stacked_bars(title: str, desc: str, segments: Sequence[Segment],
                 rows: Sequence[tuple[str, Sequence[int]]]) -> SafeString:
    """One horizontal bar per row, split into `segments`; the total at the bar's end."""
    height = TOP + ROW_HEIGHT * max(len(rows), 1) + 8
    head, parts = _open(title, desc, height)
    # Legend.
    x = 0
    for seg in segments:
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{escape(seg.colour)}"/>'
            f'<text x="{x + 16}" y="14">{escape(seg.label)}</text>'
        )
        x += 24 + 13 * len(seg.label)
    biggest = max((sum(values) for _l, values in rows), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - 50) / biggest
    for i, (label, values) in enumerate(rows):
        y = TOP + i * ROW_HEIGHT
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 12}" text-anchor="end">'
            f'<title>{escape(label)}</title>{escape(_short(label))}</text>'
        )
        x0 = float(LABEL_WIDTH)
        for seg, value in zip(segments, values, strict=True):
            if not value:
                continue
            w = value * scale
            parts.append(
                f'<rect x="{x0:.1f}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{escape(seg.colour)}"><title>{escape(label)} · {escape(seg.label)}：'
                f'{value}</title></rect>'
            )
            x0 += w
        parts.append(f'<text x="{x0 + 4:.1f}" y="{y + 12}">{sum(values)}</text>')
    return mark_safe(head + "".join(parts) + "</svg>")  # every text above is escaped


def percent_bars(title: str, desc: str, rows: Sequence[tuple[str, Decimal | None, str]],
                 colour: str = "#2e7d32", empty: str = "—") -> SafeString:
    """One bar per row on a 0–100 % scale; `rows` = (label, percent or None, note)."""
    height = TOP + ROW_HEIGHT * max(len(rows), 1) + 8
    head, parts = _open(title, desc, height)
    span = WIDTH - LABEL_WIDTH - 120
    for tick in (0, 50, 100):
        x = LABEL_WIDTH + span * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height - 8}" '
            f'stroke="#ccc"/><text x="{x:.1f}" y="{TOP - 10}" text-anchor="middle">{tick}%</text>'
        )
    for i, (label, pct, note) in enumerate(rows):
        y = TOP + i * ROW_HEIGHT
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 12}" text-anchor="end">'
            f'<title>{escape(label)}</title>{escape(_short(label))}</text>'
        )
        text = empty if pct is None else f"{pct}%"
        w = 0.0 if pct is None else float(pct) / 100 * span
        if w:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{escape(colour)}"><title>{escape(label)}：{escape(text)} '
                f'{escape(note)}</title></rect>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + w + 4:.1f}" y="{y + 12}">{escape(text)} '
            f'{escape(note)}</text>'
        )
    return mark_safe(head + "".join(parts) + "</svg>")  # every text above is escaped
