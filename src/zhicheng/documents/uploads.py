"""Uploaded materials: recognised by content, size-limited, hashed, stored under generated names.

The file name and the content type sent by the browser are never trusted: `sniff` looks at the
first bytes, `inspect_upload` streams the file once (SHA-256 and size, in chunks) and checks
that a PDF opens without a password (documents.pdfclean, which also takes out its active
content) and an image decodes. `store` saves through Django's storage API under a generated
name (the applicant's file name never reaches the storage), so S3-compatible storage works
by configuration. Every refusal is an `UploadRefused` carrying a Chinese message and a stable
code; it is a Django `ValidationError`, so a form's ``clean_<field>`` can let it propagate and
the form shows the message.
"""

from __future__ import annotations

import enum
import hashlib
import io
import re
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage, default_storage

from zhicheng.core import clock

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 20 * MB
DEFAULT_MAX_APPLICATION_BYTES = 200 * MB
# An image larger than this is refused before decoding (a 600 dpi A4 scan is ~35 Mpx).
MAX_IMAGE_PIXELS = 120_000_000
CHUNK_SIZE = 64 * 1024
SNIFF_BYTES = 16
PDF_EOF_WINDOW = 1024  # %%EOF must appear within the last 1024 bytes (ISO 32000-1, 7.5.5)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = b"%PDF-"


class Kind(enum.StrEnum):
    """The accepted kinds of material, with what is derived from the content alone."""

    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"

    @property
    def content_type(self) -> str:
        return {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[self.value]

    @property
    def extension(self) -> str:
        return {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}[self.value]

    @property
    def label(self) -> str:
        return {"pdf": "PDF", "jpeg": "JPEG图片", "png": "PNG图片"}[self.value]


class UploadRefused(ValidationError):
    """An upload that is refused; `message_zh` says why in Chinese, `code` is stable.

    Codes: ``empty``, ``too_large``, ``unsupported_type``, ``pdf_encrypted``,
    ``pdf_damaged``, ``pdf_uncleanable``, ``image_damaged``, ``image_too_large``,
    ``quota_exceeded``.
    """

    def __init__(self, message_zh: str, code: str) -> None:
        super().__init__(message_zh, code=code)
        self.message_zh = message_zh
        self.code = code

    def __str__(self) -> str:
        return self.message_zh


@dataclass(frozen=True)
class CheckedUpload:
    """What the content says about an accepted upload (never what the browser said)."""

    kind: Kind
    content_type: str
    extension: str
    size: int
    sha256: str
    pages: int | None = None  # PDF page count; None for images
    # A PDF whose active content was removed (documents.pdfclean): the cleaned bytes are
    # what is stored (`size` and `sha256` are theirs); the upload's own hash is kept here.
    cleaned: bytes | None = None
    original_sha256: str = ""
    removed: tuple[str, ...] = ()


class _Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...
    def seek(self, offset: int, whence: int = ..., /) -> int: ...
    def tell(self) -> int: ...


# Content we can name in the refusal, to tell people what to do (first match wins).
_KNOWN_OTHER: tuple[tuple[bytes, int, str], ...] = (
    (b"PK\x03\x04", 0, "Word/Excel文档或压缩包（ZIP）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "旧版Word/Excel文档"),
    (b"{\\rtf", 0, "RTF文档"),
    (b"Rar!", 0, "RAR压缩包"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7z压缩包"),
    (b"GIF8", 0, "GIF图片"),
    (b"BM", 0, "BMP图片"),
    (b"II*\x00", 0, "TIFF图片"),
    (b"MM\x00*", 0, "TIFF图片"),
    (b"ftypheic", 4, "HEIC图片（苹果手机照片）"),
    (b"ftypheix", 4, "HEIC图片（苹果手机照片）"),
    (b"ftypmif1", 4, "HEIF图片"),
    (b"WEBP", 8, "WebP图片"),
    (b"OFD", 0, "OFD文档"),
)


def max_upload_bytes() -> int:
    return int(getattr(settings, "ZHICHENG_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def max_application_bytes() -> int:
    return int(getattr(settings, "ZHICHENG_MAX_APPLICATION_BYTES", DEFAULT_MAX_APPLICATION_BYTES))


def format_size(size: int) -> str:
    """Sizes for people: ``20 MB``, ``23.4 MB``, ``512 KB``, ``17 字节``."""
    if size >= MB:
        value = size / MB
        return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def sniff(head: bytes) -> Kind | None:
    """The kind of a file from its first bytes (at least 8 for PNG), or None."""
    if head.startswith(PDF_SIGNATURE):
        return Kind.PDF
    if head.startswith(JPEG_SIGNATURE):
        return Kind.JPEG
    if head.startswith(PNG_SIGNATURE):
        return Kind.PNG
    return None


def _describe_other(head: bytes) -> str:
    for magic, offset, label in _KNOWN_OTHER:
        if head[offset : offset + len(magic)] == magic:
            return label
    sample = head[:SNIFF_BYTES]
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and all(ch.isprintable() or ch in "\r\n\t" for ch in text):
        lowered = text.lstrip().lower()
        if lowered.startswith(("<!doctype html", "<html")):
            return "网页（HTML）"
        return "纯文本"
    return "无法识别的格式"


def _refuse_type(head: bytes) -> UploadRefused:
    return UploadRefused(
        "只接受PDF、JPEG或PNG文件；该文件内容不是PDF、JPEG或PNG"
        f"（识别为：{_describe_other(head)}）。系统按文件内容识别，改文件扩展名不起作用，"
        "请转换或导出为PDF后重新上传。",
        "unsupported_type",
    )


def _file_size(file: Any) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    position = file.tell()
    end = int(file.seek(0, io.SEEK_END))
    file.seek(position)
    return end


def _chunks(file: _Readable) -> Iterator[bytes]:
    file.seek(0)
    while chunk := file.read(CHUNK_SIZE):
        yield chunk


def inspect_upload(file: Any, *, max_bytes: int | None = None) -> CheckedUpload:
    """Check an upload by its content and hash it; raise `UploadRefused` if unacceptable.

    `file` is a Django ``UploadedFile`` or any seekable binary file-like object. It is read
    in chunks of 64 KB and left positioned at 0; an image is never held whole in memory, a
    PDF is (at most the upload limit: qpdf parses it from memory). `max_bytes` defaults to
    the ``ZHICHENG_MAX_UPLOAD_BYTES`` setting (20 MB).
    """
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if not (hasattr(file, "read") and hasattr(file, "seek")):
        raise TypeError("inspect_upload needs a seekable binary file-like object")
    declared = _file_size(file)
    if declared == 0:
        raise UploadRefused("文件是空的（0 字节），请重新选择文件后上传。", "empty")
    if declared > limit:
        raise _too_large(declared, limit)

    digest = hashlib.sha256()
    head = b""
    size = 0
    for chunk in _chunks(file):
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        size += len(chunk)
        if size > limit:  # the declared size lied, or the file grew
            file.seek(0)
            raise _too_large(max(size, declared), limit)
        digest.update(chunk)
    if size == 0:
        file.seek(0)
        raise UploadRefused("文件是空的（0 字节），请重新选择文件后上传。", "empty")

    kind = sniff(head)
    if kind is None:
        file.seek(0)
        raise _refuse_type(head)
    pages: int | None = None
    cleaned = None
    try:
        if kind is Kind.PDF:
            data = b"".join(_chunks(file))  # at most the upload limit
            if b"%%EOF" not in data[-PDF_EOF_WINDOW:]:
                raise pdf_damaged()
            from .pdfclean import neutralise  # pdfclean imports UploadRefused from here

            cleaned = neutralise(data)  # opens it, counts its pages, refuses a locked one
            pages = cleaned.pages
        else:
            _check_image(file, kind)
    finally:
        file.seek(0)
    if cleaned is not None and cleaned.data is not None:
        return CheckedUpload(
            kind=kind, content_type=kind.content_type, extension=kind.extension,
            size=len(cleaned.data), sha256=hashlib.sha256(cleaned.data).hexdigest(),
            pages=pages, cleaned=cleaned.data, original_sha256=digest.hexdigest(),
            removed=tuple(cleaned.removed),
        )
    return CheckedUpload(
        kind=kind,
        content_type=kind.content_type,
        extension=kind.extension,
        size=size,
        sha256=digest.hexdigest(),
        pages=pages,
    )


def _too_large(size: int, limit: int) -> UploadRefused:
    return UploadRefused(
        f"文件太大：该文件 {format_size(size)}，每个文件不能超过 {format_size(limit)}。"
        "请压缩（如降低扫描分辨率）或拆分后再上传。",
        "too_large",
    )


def pdf_damaged() -> UploadRefused:
    return UploadRefused(
        "PDF文件不完整或已损坏，无法打开（可能上传中断或导出出错）。请重新导出PDF后上传。",
        "pdf_damaged",
    )


def pdf_encrypted() -> UploadRefused:
    return UploadRefused(
        "PDF文件设置了密码或加密保护，审核人员无法查看和打印。请去除密码（取消加密）后重新上传。",
        "pdf_encrypted",
    )


def _check_image(file: Any, kind: Kind) -> None:
    damaged = UploadRefused(
        f"{kind.label}文件不完整或已损坏，无法显示。请重新拍照或扫描后上传，或转换为PDF。",
        "image_damaged",
    )
    file.seek(0)
    head = file.read(32)
    if kind is Kind.PNG and (len(head) < 24 or head[12:16] != b"IHDR"):
        raise damaged
    file.seek(0)
    try:
        from PIL import Image  # start-up time: loaded on the first upload
    except ImportError:  # Pillow comes with ReportLab; without it the header check must do
        return
    expected = "PNG" if kind is Kind.PNG else "JPEG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file, formats=[expected]) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UploadRefused(
                        f"图片尺寸过大（{width}×{height} 像素）。请降低分辨率"
                        "（如 300 dpi 扫描）后再上传。",
                        "image_too_large",
                    )
                if kind is Kind.PNG:
                    image.verify()  # every chunk's CRC, through IEND: catches truncation
                else:
                    # Decode at 1/8 scale: every byte of the entropy-coded data is read,
                    # memory stays small whatever the resolution.
                    image.draft(None, (max(1, width // 8), max(1, height // 8)))
                    image.load()
    except UploadRefused:
        raise
    except Exception as exc:  # Pillow: OSError, SyntaxError, ValueError, DecompressionBomb...
        raise damaged from exc


_PREFIX = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$")


def generated_name(checked: CheckedUpload, *, prefix: str = "materials") -> str:
    """``<prefix>/<year>/<sha[:2]>/<sha[:12]>-<uuid4 hex><ext>``: never the user's file name.

    The extension comes from the content. `prefix` is a fixed, code-chosen path such as
    ``materials`` (lower-case letters, digits, ``-``, ``_`` and ``/``).
    """
    prefix = prefix.strip("/")
    if not _PREFIX.match(prefix):
        raise ValueError(f"invalid storage prefix {prefix!r}")
    sha = checked.sha256
    year = clock.today().year
    return f"{prefix}/{year}/{sha[:2]}/{sha[:12]}-{uuid.uuid4().hex}{checked.extension}"


def store(
    file: Any,
    checked: CheckedUpload,
    storage: Storage | None = None,
    *,
    prefix: str = "materials",
) -> str:
    """Save the checked file through Django's storage API; return the stored name.

    Store the file, then write the database row in a transaction; if that transaction fails,
    ``storage.delete(name)`` so that a failed upload leaves nothing behind.
    """
    target = default_storage if storage is None else storage
    name = generated_name(checked, prefix=prefix)
    if checked.cleaned is not None:  # the PDF without its active content, never the upload
        stored = target.save(name, File(io.BytesIO(checked.cleaned), name=name))
        return str(stored)
    file.seek(0)
    content = file if isinstance(file, File) else File(file, name=name)
    stored = target.save(name, content)
    file.seek(0)
    return str(stored)


def sha256_of_stored(name: str, storage: Storage | None = None) -> str:
    """SHA-256 of a stored file, read in chunks."""
    target = default_storage if storage is None else storage
    digest = hashlib.sha256()
    with target.open(name, "rb") as stored:
        while chunk := stored.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def verify_stored(name: str, sha256: str, storage: Storage | None = None) -> bool:
    """True if the stored file exists and still has the SHA-256 recorded at upload."""
    try:
        return sha256_of_stored(name, storage) == sha256.lower()
    except FileNotFoundError:
        return False


def check_application_quota(
    existing_total: int, incoming: int, *, max_total: int | None = None
) -> None:
    """Refuse an upload that would take an application's materials past the total limit.

    `max_total` defaults to the ``ZHICHENG_MAX_APPLICATION_BYTES`` setting (200 MB).
    """
    limit = max_application_bytes() if max_total is None else max_total
    if existing_total + incoming > limit:
        remaining = max(0, limit - existing_total)
        raise UploadRefused(
            f"本次申报的材料总大小不能超过 {format_size(limit)}：已上传 "
            f"{format_size(existing_total)}，该文件 {format_size(incoming)}，"
            f"还可上传 {format_size(remaining)}。请压缩文件或删除不需要的材料后再上传。",
            "quota_exceeded",
        )
