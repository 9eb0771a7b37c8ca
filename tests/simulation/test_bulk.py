"""Bulk paths stream: memory does not grow with the number of rows or certificates."""

from __future__ import annotations

import io
import sys
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_bulk import _applications, _certificates

from zhicheng.reviews.exports import worklist_xlsx


def _export_peak(rows: int) -> tuple[int, int]:
    tracemalloc.start()
    size = sum(len(chunk) for chunk in worklist_xlsx(_applications(rows)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, size


def test_the_roster_export_does_not_hold_its_rows() -> None:
    _export_peak(50)  # openpyxl's first-use allocations out of the way
    small, small_size = _export_peak(500)
    large, large_size = _export_peak(5000)
    assert large_size > 5 * small_size  # ten times the rows really were written
    # An in-memory workbook keeps every cell (~12 MiB for 5,000 rows of 12 columns);
    # the write-only export keeps only the compressed file being spooled.
    assert large - small < 2 * 2**20, (small, large)


def test_the_certificate_zip_renders_one_pdf_at_a_time(settings: Any, tmp_path: Any) -> None:
    from zhicheng.certificates.keys import ensure_key
    from zhicheng.simulation.bulk import certificates_zip

    settings.ZHICHENG_KEY_DIR = str(tmp_path / "keys")
    ensure_key()
    consumed: list[int] = []

    def certs() -> Any:
        for i, cert in enumerate(_certificates(3)):
            consumed.append(i)
            yield cert

    out = io.BytesIO()
    assert certificates_zip(certs(), out) == 3
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        names = zf.namelist()
        assert names == [f"LYG2024-ENG-M-{i:06d}.pdf" for i in range(3)]
        assert all(zf.read(n).startswith(b"%PDF") for n in names)
    assert consumed == [0, 1, 2]


@pytest.mark.django_db
def test_the_bulk_certificate_task_stores_a_seasons_zip(season: Any, settings: Any,
                                                        tmp_path: Any) -> None:
    from zhicheng.simulation.bulk import certificates_zip_task

    settings.MEDIA_ROOT = str(tmp_path / "media")
    result = certificates_zip_task.delay(season.pk).get()
    stored = Path(settings.MEDIA_ROOT) / result["name"]
    assert stored.is_file() and result["count"] == 0  # no certificates yet: an empty zip
    assert zipfile.ZipFile(stored).namelist() == []
