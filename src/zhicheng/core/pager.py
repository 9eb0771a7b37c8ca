"""A pager that never counts the whole list (docs/performance.md, "Page budgets").

Django's Paginator runs an exact COUNT(*) of the list to number its pages; on the public
publicity list that is ~57,000 rows per request at 100,000 applications, more than the
page's whole SQL budget. `NextPager` reads one row more than a page holds instead: that row
says whether a next page exists, and the page shows 上一页 / 第N页 / 下一页 without "共M页".
Same rows in the same order as `Paginator(queryset, size).get_page(number)` for every page
that has rows; a number past the end falls back to the exact count once, to show the last
page as Paginator does.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator

# Beyond any list's last page: a larger number (an edited link) is read as this one, whose
# OFFSET the database can still take, and so shows the last page like any number past the end.
MAX_PAGE = 1_000_000


class NextPage:
    """The part of Django's Page that a "next page" pager can answer."""

    def __init__(self, object_list: list[Any], number: int, has_next: bool) -> None:
        self.object_list = object_list
        self.number = number
        self._has_next = has_next

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def next_page(queryset: Any, size: int, number: Any) -> NextPage:
    """Page `number` (as typed in ?page=: invalid means 1, as Paginator.get_page does)."""
    text = str(number if number is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or not text.strip("0"):
        n = 1
    else:  # long digit strings are not converted at all (int() refuses 4,300+ digits)
        n = MAX_PAGE if len(text) > len(str(MAX_PAGE)) else min(int(text), MAX_PAGE)
    start = (n - 1) * size
    rows = list(queryset[start:start + size + 1])
    if not rows and n > 1:  # past the end (an old link): the last page, counted once
        last = Paginator(queryset, size).get_page(n)
        return NextPage(list(last.object_list), last.number, False)
    return NextPage(rows[:size], n, len(rows) > size)
