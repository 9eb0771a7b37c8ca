from __future__ import annotations

import pytest

from zhicheng.documents.qr import PNG_SIGNATURE, qr_code, qr_png, qr_svg

URL = "https://zhicheng.example/applications/LYG-2024-GC-000123"


def test_png() -> None:
    assert qr_png(URL).startswith(PNG_SIGNATURE)


def test_svg() -> None:
    svg = qr_svg(URL)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")


def test_code_is_regular_and_nonempty() -> None:
    code = qr_code(URL)
    assert not code.is_micro
    assert code.designator.endswith("-M")
    rows = list(code.matrix)
    assert len(rows) >= 21 and any(any(row) for row in rows)


def test_empty_data_refused() -> None:
    with pytest.raises(ValueError):
        qr_png("")
