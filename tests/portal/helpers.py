"""Small parsers for the portal's HTML in tests."""

from __future__ import annotations

import re

ROW_RE = re.compile(r'<tr class="zc-plan[^"]*" data-row="(\d+)"')
# 18-character resident ID numbers (17 digits + digit/X) and similar long digit runs.
ID_LIKE = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")


def plan_rows(html: str) -> list[int]:
    return [int(n) for n in ROW_RE.findall(html)]
