"""Active content is taken out of uploaded PDFs (docs/security.md §Uploads): crafted PDFs
with JavaScript, an embedded executable, a launch action and a PDF/HTML polyglot are
stored without it, the pages unchanged, the uploaded file's hash kept; a plain PDF is
stored byte for byte; what cannot be cleaned is refused with a clear message."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pypdf import PdfReader

from tests.factories.documents import crafted_pdf as crafted
from tests.factories.documents import (
    make_pdf,
    with_embedded_exe,
    with_javascript,
    with_launch,
)
from zhicheng.documents import pdfclean
from zhicheng.documents.uploads import UploadRefused, inspect_upload


def page_texts(data: bytes) -> list[str]:
    return [p.extract_text().strip() for p in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize(("build", "expected"), [
    (with_javascript, {"javascript", "open_action", "event_action"}),
    (with_embedded_exe, {"embedded_file"}),
    (with_launch, {"launch"}),
])
def test_active_content_is_removed_and_the_pages_stay(build, expected):
    original = crafted(build)
    assert set(pdfclean.scan(original)) >= expected
    checked = inspect_upload(io.BytesIO(original))
    assert set(checked.removed) == expected
    assert checked.cleaned is not None and pdfclean.scan(checked.cleaned) == []
    assert checked.original_sha256 != checked.sha256 and len(checked.original_sha256) == 64
    assert checked.size == len(checked.cleaned) and checked.pages == 2
    assert page_texts(checked.cleaned) == page_texts(original) == ["page 1", "page 2"]


def test_the_embedded_executable_is_gone_from_the_bytes():
    checked = inspect_upload(io.BytesIO(crafted(with_embedded_exe)))
    assert checked.cleaned is not None
    assert b"cannot be run in DOS mode" not in checked.cleaned
    assert b"setup.exe" not in checked.cleaned
    with pikepdf.open(io.BytesIO(checked.cleaned)) as pdf:
        assert len(pdf.attachments) == 0
        assert len(pdf.pages[1].obj.get("/Annots", pikepdf.Array())) == 0


def test_an_ordinary_link_survives_the_cleaning():
    checked = inspect_upload(io.BytesIO(crafted(with_launch)))
    assert checked.cleaned is not None
    with pikepdf.open(io.BytesIO(checked.cleaned)) as pdf:
        actions = [str(a.A.S) for a in pdf.pages[0].obj.Annots if "/A" in a]
    assert actions == ["/URI"]


def test_a_pdf_html_polyglot_loses_its_markup():
    plain = make_pdf(1)
    polyglot = plain.replace(b"\n", b"\n%<html><script>alert(document.cookie)</script>\n", 1)
    checked = inspect_upload(io.BytesIO(polyglot))
    assert checked.removed == ("outside_pdf",)
    assert checked.cleaned is not None and b"<script" not in checked.cleaned.lower()
    assert page_texts(checked.cleaned) == ["page 1"]


def test_a_plain_pdf_is_kept_byte_for_byte():
    plain = make_pdf(1)
    checked = inspect_upload(io.BytesIO(plain))
    assert checked.cleaned is None and checked.removed == () and checked.original_sha256 == ""
    import hashlib
    assert checked.sha256 == hashlib.sha256(plain).hexdigest()


def test_what_cannot_be_cleaned_is_refused(monkeypatch):
    original = crafted(with_javascript)
    monkeypatch.setattr(pdfclean, "scan", lambda data: ["javascript"])  # still there after
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(io.BytesIO(original))
    assert refused.value.code == "pdf_uncleanable"
    assert "无法清除的活动内容" in refused.value.message_zh


def test_a_pdf_qpdf_cannot_write_is_refused(monkeypatch):
    def broken(*args, **kwargs):
        raise pikepdf.PdfError("damaged beyond repair")

    original = crafted(with_javascript)
    monkeypatch.setattr(pikepdf.Pdf, "save", broken)  # reached only with content to remove
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(io.BytesIO(original))
    assert refused.value.code == "pdf_uncleanable"
    assert "重新导出" in refused.value.message_zh


def test_a_pdf_qpdf_cannot_open_is_refused_as_damaged(monkeypatch):
    def broken(*args, **kwargs):
        raise pikepdf.PdfError("no objects")

    monkeypatch.setattr(pikepdf, "open", broken)
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(io.BytesIO(make_pdf(1)))
    assert refused.value.code == "pdf_damaged"
    assert "损坏" in refused.value.message_zh


def test_a_pdf_locked_by_an_owner_password_only_is_refused():
    # It opens without a password (the user password is empty), but may forbid printing.
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(make_pdf(2))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="secret", user=""))
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(io.BytesIO(out.getvalue()))
    assert refused.value.code == "pdf_encrypted"


def test_the_page_count_comes_from_the_one_parse():
    assert inspect_upload(io.BytesIO(make_pdf(7))).pages == 7
    assert inspect_upload(io.BytesIO(crafted(with_launch))).pages == len(
        PdfReader(io.BytesIO(crafted(with_launch))).pages)
