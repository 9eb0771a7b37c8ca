"""Active content taken out of uploaded PDFs (docs/security.md §Uploads, ASVS V12.2).

An applicant's PDF may carry things a reviewer's PDF viewer would run or open: JavaScript
(in the document's name tree, in actions, in form fields), actions run on opening or on
events (`/OpenAction`, `/AA`), launch, form-submission and import actions, embedded files
and file-attachment annotations, multimedia (`/RichMedia`, `/Movie`, `/Sound`, `/Screen`),
XFA forms, and bytes outside the PDF's objects (a PDF/HTML polyglot). `neutralise` removes
all of them with pikepdf (qpdf) and writes the PDF anew; qpdf writes only the objects still
reachable, so an embedded file's stream is gone, not just unlinked. A PDF without any of
them is kept byte for byte. A PDF that pikepdf cannot open or write is refused
(`UploadRefused`, code ``pdf_uncleanable``), as is one that still has active content after
cleaning.

Pure content work: no Django model, no database.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from django.utils.translation import gettext_lazy as _

from .uploads import UploadRefused, pdf_damaged, pdf_encrypted

# What was found, as people read it (registered as labels of kind "pdf_active_content").
LABELS = {
    "javascript": _("JavaScript脚本"),
    "open_action": _("打开文件时自动执行的动作"),
    "event_action": _("页面或表单事件触发的动作"),
    "launch": _("启动外部程序的动作"),
    "submit": _("向外部提交或导入数据的动作"),
    "embedded_file": _("嵌入的文件（附件）"),
    "multimedia": _("多媒体内容"),
    "xfa": _("XFA动态表单"),
    "outside_pdf": _("PDF结构以外的内容（如网页代码）"),
}

BAD_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "submit",
    "/ImportData": "submit",
    "/Rendition": "multimedia",
    "/Movie": "multimedia",
    "/Sound": "multimedia",
    "/RichMediaExecute": "multimedia",
    "/GoToE": "embedded_file",
}
BAD_ANNOTATIONS = {
    "/FileAttachment": "embedded_file",
    "/RichMedia": "multimedia",
    "/Movie": "multimedia",
    "/Sound": "multimedia",
    "/Screen": "multimedia",
}
# Markup a browser would run if the bytes were ever taken for a web page.
_MARKUP = re.compile(rb"<\s*(script|html|iframe|svg|body|object|embed)\b", re.IGNORECASE)


@dataclass
class Cleaned:
    """What `neutralise` found: the codes of `LABELS` (sorted) and the new bytes, or
    `data is None` when nothing was found and the original stays as it is; the page count."""

    removed: list[str] = field(default_factory=list)
    data: bytes | None = None
    pages: int = 0


def _refused(text: str) -> Exception:

    return UploadRefused(text, "pdf_uncleanable")


def _is_action_bad(value: Any) -> str | None:

    if isinstance(value, pikepdf.Dictionary):
        kind = value.get("/S")
        if kind is not None and str(kind) in BAD_ACTIONS:
            return BAD_ACTIONS[str(kind)]
        if "/JS" in value:
            return "javascript"
    return None


# The keys `_clean_dictionary` looks at: a dictionary with none of them (almost every object
# of a scan: pages, images, fonts) is passed over with one call into qpdf, not a dozen.
_ACTIVE_KEYS = frozenset({"/OpenAction", "/AA", "/JS", "/XFA", "/EF", "/AF",
                          "/RichMediaContent", "/Names", "/A", "/Next"})


def _clean_dictionary(obj: Any, found: set[str]) -> None:
    """Remove the active keys of one dictionary (any object of the file)."""

    if _ACTIVE_KEYS.isdisjoint(obj.keys()):
        return
    if "/OpenAction" in obj:  # opening at a page (an array, a GoTo) is harmless
        code = _is_action_bad(obj["/OpenAction"])
        if code is not None:
            found.update({code, "open_action"})
            del obj["/OpenAction"]
    aa = obj.get("/AA")
    if isinstance(aa, pikepdf.Dictionary):
        codes = {c for key in list(aa.keys()) if (c := _is_action_bad(aa[key]))}
        if codes:
            found.update(codes | {"event_action"})
            del obj["/AA"]
    for key, code in (("/JS", "javascript"), ("/XFA", "xfa"), ("/EF", "embedded_file"),
                      ("/AF", "embedded_file"), ("/RichMediaContent", "multimedia")):
        if key in obj:
            found.add(code)
            del obj[key]
    names = obj.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key, code in (("/JavaScript", "javascript"), ("/EmbeddedFiles", "embedded_file")):
            if key in names:
                found.add(code)
                del names[key]
    for key in ("/A", "/Next"):
        if key in obj:
            code = _is_action_bad(obj[key])
            if code is not None:
                found.add(code)
                del obj[key]
            elif isinstance(obj[key], pikepdf.Array):  # a chain of actions
                kept = [a for a in obj[key] if _is_action_bad(a) is None]
                if len(kept) != len(obj[key]):
                    found.update(c for a in obj[key] if (c := _is_action_bad(a)))
                    obj[key] = pikepdf.Array(kept)


def _walk(pdf: Any, found: set[str]) -> None:

    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            _clean_dictionary(obj.stream_dict, found)
        elif isinstance(obj, pikepdf.Dictionary):
            _clean_dictionary(obj, found)
    # Direct (not indirect) dictionaries inside the catalog, pages and annotations.
    _clean_dictionary(pdf.Root, found)
    for page in pdf.pages:
        _clean_dictionary(page.obj, found)
        annots = page.obj.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            continue
        kept = []
        for annot in annots:
            is_dict = isinstance(annot, pikepdf.Dictionary)
            subtype = str(annot.get("/Subtype", "")) if is_dict else ""
            if subtype in BAD_ANNOTATIONS:
                found.add(BAD_ANNOTATIONS[subtype])
                continue
            if isinstance(annot, pikepdf.Dictionary):
                _clean_dictionary(annot, found)
            kept.append(annot)
        if len(kept) != len(annots):
            page.obj["/Annots"] = pikepdf.Array(kept)
    acroform = pdf.Root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary):
        _clean_dictionary(acroform, found)


def scan(data: bytes) -> list[str]:
    """The active content of a PDF, without changing it (for tests and checks)."""

    found: set[str] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _walk(pdf, found)
    return sorted(found)


def neutralise(data: bytes) -> Cleaned:
    """Check that a PDF opens and has pages, remove its active content; refuse what cannot
    be opened (`pdf_damaged`), is locked (`pdf_encrypted`) or cannot be cleaned
    (`pdf_uncleanable`). One parser for all of it: qpdf reads the file once (pypdf, pure
    Python, cost as much again on a fifty-page scan, docs/performance.md "Page budgets")."""

    found: set[str] = set()
    if _MARKUP.search(data):
        found.add("outside_pdf")
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise pdf_encrypted() from exc
    except (pikepdf.PdfError, ValueError) as exc:  # qpdf could not make a PDF of it
        raise pdf_damaged() from exc
    with pdf:
        if pdf.is_encrypted:  # an owner password only: it opens, but may forbid printing
            raise pdf_encrypted()
        try:
            pages = len(pdf.pages)
            if not pages:
                raise pdf_damaged()
            _walk(pdf, found)
            if not found:
                return Cleaned(pages=pages)
            out = io.BytesIO()
            pdf.save(out, static_id=False)
        except pikepdf.PdfError as exc:
            raise _refused(
                "PDF文件的结构无法安全处理（可能已损坏或经过特殊处理）。请用常用软件重新导出或"
                "“打印为PDF”后上传。"
            ) from exc
    cleaned = out.getvalue()
    leftover = scan(cleaned)
    if leftover:
        raise _refused(
            "PDF文件含有无法清除的活动内容（如脚本或嵌入文件）。请用常用软件“打印为PDF”后重新上传。"
        )
    return Cleaned(removed=sorted(found), data=cleaned, pages=pages)
