"""Citations of the notice (``二（二）``, ``二（三）1``, ``附件``) and their HTML anchors.

Every citation in the product links to the rendered notice at ``#<clause_anchor(...)>``:

    一 -> clause-1     二（二） -> clause-2-2     二（三）1 -> clause-2-3-1     附件 -> attachment
"""

from __future__ import annotations

import re

DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUMERAL = "[一二三四五六七八九十]+"
ATTACHMENT_ANCHOR = "attachment"

_CITATION = re.compile(
    rf"^\s*(?P<section>{NUMERAL})\s*(?:[（(]\s*(?P<sub>{NUMERAL})\s*[)）])?\s*(?P<item>\d+)?\s*$"
)


def cn_number(text: str) -> int:
    """A Chinese numeral from 一 to 九十九 as an int (ValueError otherwise)."""
    if not text or any(ch not in DIGITS and ch != "十" for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(f"not a Chinese numeral: {text!r}")
        return DIGITS[text]
    tens, _, units = text.partition("十")
    if "十" in units or len(tens) > 1 or len(units) > 1:
        raise ValueError(f"not a Chinese numeral: {text!r}")
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[units] if units else 0)


def anchor_for(section: int, sub: int | None = None, item: int | None = None) -> str:
    parts = [str(section)]
    if sub is not None:
        parts.append(str(sub))
        if item is not None:
            parts.append(str(item))
    return "clause-" + "-".join(parts)


def clause_anchor(citation: str) -> str:
    """The anchor id of a citation; ValueError when it does not name a clause.

    Only the first clause counts in a list such as ``四（一）、五（四）``.
    """
    text = citation.strip()
    if text.startswith("附件"):
        return ATTACHMENT_ANCHOR
    first = re.split(r"[、，,；;/\s]+(?=[一二三四五六七八九十附])", text, maxsplit=1)[0]
    match = _CITATION.match(first)
    if not match:
        raise ValueError(f"not a clause of the notice: {citation!r}")
    sub = cn_number(match["sub"]) if match["sub"] else None
    item = int(match["item"]) if match["item"] and sub is not None else None
    return anchor_for(cn_number(match["section"]), sub, item)
