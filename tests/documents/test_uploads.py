from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django import forms
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils.datastructures import MultiValueDict

from tests.factories.documents import make_pdf
from zhicheng.documents.uploads import (
    CHUNK_SIZE,
    MB,
    CheckedUpload,
    Kind,
    UploadRefused,
    check_application_quota,
    format_size,
    generated_name,
    inspect_upload,
    sniff,
    store,
    verify_stored,
)


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(content: bytes, name: str = "材料.pdf", **kwargs: int) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        inspect_upload(upload(name, content), **kwargs)
    return caught.value


# --- sniffing --------------------------------------------------------------------------


def test_sniff_by_content(pdf_bytes: bytes, jpeg_bytes: bytes, png_bytes: bytes) -> None:
    assert sniff(pdf_bytes[:16]) is Kind.PDF
    assert sniff(jpeg_bytes[:16]) is Kind.JPEG
    assert sniff(png_bytes[:16]) is Kind.PNG
    assert sniff(b"hello, world") is None
    assert sniff(b"") is None
    assert sniff(b"\x89PNG") is None  # a partial signature is not a PNG


@pytest.mark.parametrize(
    ("fixture", "kind", "content_type", "extension"),
    [
        ("pdf_bytes", Kind.PDF, "application/pdf", ".pdf"),
        ("jpeg_bytes", Kind.JPEG, "image/jpeg", ".jpg"),
        ("png_bytes", Kind.PNG, "image/png", ".png"),
    ],
)
def test_accepted_kinds_are_hashed(
    request: pytest.FixtureRequest, fixture: str, kind: Kind, content_type: str, extension: str
) -> None:
    content: bytes = request.getfixturevalue(fixture)
    # The browser's name and type are lies on purpose: only the content counts.
    file = upload("whatever.docx", content, content_type="text/plain")
    checked = inspect_upload(file, max_bytes=MB)
    assert checked.kind is kind
    assert checked.content_type == content_type
    assert checked.extension == extension
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert file.tell() == 0  # ready to be stored
    assert checked.pages == (2 if kind is Kind.PDF else None)


def test_plain_file_objects_are_accepted(pdf_bytes: bytes) -> None:
    checked = inspect_upload(io.BytesIO(pdf_bytes), max_bytes=MB)
    assert checked.kind is Kind.PDF
    assert checked.sha256 == hashlib.sha256(pdf_bytes).hexdigest()


def test_text_renamed_pdf_is_refused() -> None:
    refused = refusal(b"This is not a PDF at all.\n" * 10, name="证书.pdf")
    assert refused.code == "unsupported_type"
    assert refused.message_zh.startswith("只接受PDF、JPEG或PNG文件；该文件内容不是")
    assert "纯文本" in refused.message_zh
    assert str(refused) == refused.message_zh


def test_word_document_renamed_pdf_says_what_it_is() -> None:
    refused = refusal(b"PK\x03\x04" + b"\x00" * 200, name="论文.pdf")
    assert refused.code == "unsupported_type"
    assert "Word" in refused.message_zh


def test_png_renamed_pdf_is_recognised_as_png(png_bytes: bytes) -> None:
    checked = inspect_upload(upload("scan.pdf", png_bytes), max_bytes=MB)
    assert checked.kind is Kind.PNG
    assert checked.extension == ".png"


def test_empty_file_is_refused() -> None:
    refused = refusal(b"")
    assert refused.code == "empty"
    assert "空" in refused.message_zh


def test_too_large_names_limit_and_size() -> None:
    content = b"%PDF-1.7\n" + b"0" * (MB + MB // 2)
    refused = refusal(content, max_bytes=MB)
    assert refused.code == "too_large"
    assert "1 MB" in refused.message_zh  # the limit
    assert "1.5 MB" in refused.message_zh  # the file


def test_limit_comes_from_settings(settings: object, pdf_bytes: bytes) -> None:
    settings.ZHICHENG_MAX_UPLOAD_BYTES = 100  # type: ignore[attr-defined]
    refused = refusal(pdf_bytes)
    assert refused.code == "too_large"
    assert "100 字节" in refused.message_zh


def test_size_is_counted_not_trusted(pdf_bytes: bytes) -> None:
    class Lying(io.BytesIO):
        size = 10  # what a client claimed

    with pytest.raises(UploadRefused) as caught:
        inspect_upload(Lying(pdf_bytes), max_bytes=len(pdf_bytes) - 1)
    assert caught.value.code == "too_large"


def test_file_is_streamed_in_chunks() -> None:
    content = make_pdf(pages=800)
    assert len(content) > 4 * CHUNK_SIZE
    reads: list[int] = []

    class Recording(io.BytesIO):
        def read(self, size: int | None = -1, /) -> bytes:
            reads.append(-1 if size is None else size)
            return super().read(size)

    inspect_upload(Recording(content), max_bytes=10 * MB)
    assert reads and all(0 <= n <= CHUNK_SIZE for n in reads)


# --- damaged or locked content -----------------------------------------------------------


def test_truncated_pdf_is_refused(pdf_bytes: bytes) -> None:
    refused = refusal(pdf_bytes[: len(pdf_bytes) // 2])
    assert refused.code == "pdf_damaged"
    assert "PDF" in refused.message_zh


def test_pdf_with_eof_but_no_body_is_refused() -> None:
    refused = refusal(b"%PDF-1.7\n1 0 obj garbage endobj\ntrailer <<>>\n%%EOF\n")
    assert refused.code == "pdf_damaged"


def test_encrypted_pdf_is_refused(encrypted_pdf_bytes: bytes) -> None:
    refused = refusal(encrypted_pdf_bytes)
    assert refused.code == "pdf_encrypted"
    assert "密码" in refused.message_zh


@pytest.mark.parametrize("fixture", ["jpeg_bytes", "png_bytes"])
def test_truncated_image_is_refused(request: pytest.FixtureRequest, fixture: str) -> None:
    content: bytes = request.getfixturevalue(fixture)
    refused = refusal(content[: len(content) * 2 // 3], name="照片.jpg")
    assert refused.code == "image_damaged"


def test_png_with_broken_header_is_refused(png_bytes: bytes) -> None:
    refused = refusal(png_bytes[:8] + b"\x00" * 40)
    assert refused.code == "image_damaged"


def test_refusal_is_a_form_error(pdf_bytes: bytes) -> None:
    class MaterialForm(forms.Form):
        file = forms.FileField()

        def clean_file(self) -> CheckedUpload:
            return inspect_upload(self.cleaned_data["file"], max_bytes=MB)

    form = MaterialForm(data={}, files=MultiValueDict({"file": [upload("a.pdf", b"plain text")]}))
    assert not form.is_valid()
    assert str(form.errors["file"][0]).startswith("只接受PDF、JPEG或PNG文件")
    assert form.has_error("file", code="unsupported_type")

    good = MaterialForm(data={}, files=MultiValueDict({"file": [upload("a.pdf", pdf_bytes)]}))
    assert good.is_valid()


# --- names, storage, verification --------------------------------------------------------


def test_generated_names_are_unique_and_never_the_users(pdf_bytes: bytes) -> None:
    file = upload("张三的毕业证书 final(1).pdf", pdf_bytes)
    checked = inspect_upload(file, max_bytes=MB)
    names = {generated_name(checked, prefix="materials") for _ in range(200)}
    assert len(names) == 200
    for name in names:
        assert "张三" not in name and "final" not in name and "毕业证书" not in name
        year, shard = name.split("/")[1:3]
        assert name.startswith("materials/") and year.isdigit()
        assert shard == checked.sha256[:2]
        assert name.endswith(".pdf")
        assert len(name) < 100  # fits a default FileField


def test_generated_name_refuses_odd_prefixes(pdf_bytes: bytes) -> None:
    checked = inspect_upload(io.BytesIO(pdf_bytes), max_bytes=MB)
    for prefix in ["../x", "a b", "Materials", "", "a//b"]:
        with pytest.raises(ValueError):
            generated_name(checked, prefix=prefix)


def test_store_and_verify_round_trip(tmp_path: Path, png_bytes: bytes) -> None:
    storage = FileSystemStorage(location=tmp_path)
    file = upload("../../etc/passwd.pdf", png_bytes)
    checked = inspect_upload(file, max_bytes=MB)
    name = store(file, checked, storage, prefix="materials")
    assert name.startswith("materials/") and name.endswith(".png")
    assert "passwd" not in name
    assert (tmp_path / name).read_bytes() == png_bytes
    assert verify_stored(name, checked.sha256, storage)
    assert verify_stored(name, checked.sha256.upper(), storage)

    (tmp_path / name).write_bytes(png_bytes + b"tampered")
    assert not verify_stored(name, checked.sha256, storage)
    assert not verify_stored("materials/2024/00/missing.png", checked.sha256, storage)


def test_store_temporary_upload(tmp_path: Path, jpeg_bytes: bytes) -> None:
    # Large uploads arrive as temporary files on disk; the storage may move them.
    file = TemporaryUploadedFile("photo.png", "image/png", len(jpeg_bytes), None)
    file.write(jpeg_bytes)
    file.seek(0)
    checked = inspect_upload(file, max_bytes=MB)
    assert checked.kind is Kind.JPEG
    storage = FileSystemStorage(location=tmp_path)
    name = store(file, checked, storage)
    assert name.startswith("materials/") and name.endswith(".jpg")
    assert verify_stored(name, checked.sha256, storage)
    file.close()


def test_store_plain_file_object(tmp_path: Path, pdf_bytes: bytes) -> None:
    storage = FileSystemStorage(location=tmp_path)
    stream = io.BytesIO(pdf_bytes)
    checked = inspect_upload(stream, max_bytes=MB)
    name = store(stream, checked, storage, prefix="materials/test")
    assert verify_stored(name, checked.sha256, storage)


# --- quota -------------------------------------------------------------------------------


def test_quota() -> None:
    check_application_quota(150 * MB, 50 * MB, max_total=200 * MB)  # exactly the limit is fine
    with pytest.raises(UploadRefused) as caught:
        check_application_quota(190 * MB, 15 * MB, max_total=200 * MB)
    refused = caught.value
    assert refused.code == "quota_exceeded"
    assert "200 MB" in refused.message_zh
    assert "190 MB" in refused.message_zh
    assert "15 MB" in refused.message_zh
    assert "10 MB" in refused.message_zh  # what is left


def test_quota_default_from_settings(settings: object) -> None:
    settings.ZHICHENG_MAX_APPLICATION_BYTES = 10 * MB  # type: ignore[attr-defined]
    with pytest.raises(UploadRefused):
        check_application_quota(8 * MB, 3 * MB)


def test_format_size() -> None:
    assert format_size(20 * MB) == "20 MB"
    assert format_size(23 * MB + MB // 2) == "23.5 MB"
    assert format_size(2048) == "2 KB"
    assert format_size(17) == "17 字节"
