"""Read a rendered table row as a user sees it: the text of each cell, in order."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Rows(HTMLParser):
    def __init__(self, attr: str, value: str) -> None:
        super().__init__()
        self.attr, self.value = attr, value
        self.inside = False
        self.cells: list[str] = []
        self.depth = 0
        self.current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr" and (self.attr, self.value) in attrs:
            self.inside = True
        elif self.inside and tag in ("td", "th"):
            self.current = []

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag in ("td", "th") and self.current is not None:
            self.cells.append(re.sub(r"\s+", " ", "".join(self.current)).strip())
            self.current = None
        elif tag == "tr":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current.append(data)


def row_cells(html: str, attr: str, value: str) -> list[str]:
    parser = _Rows(attr, value)
    parser.feed(html)
    return parser.cells
