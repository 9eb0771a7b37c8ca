"""Escaping for the pages whose rows are built as HTML in Python (reviews/rows.py,
publicity/rows.py: docs/performance.md, "Page budgets")."""

from __future__ import annotations

import html


def escape_text(value: object) -> str:
    """Django's `escape` of a plain value (text and numbers from the database, catalogue
    words), as `html.escape` of its text: without `escape`'s check of every argument for a
    lazy string and its SafeString wrapper, a cost on pages of a few hundred values. The
    caller marks the finished row safe as a whole."""
    return html.escape(str(value))
