"""Small real files made on the fly: PDFs and JPEG/PNG images."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from PIL import Image
from reportlab.pdfgen.canvas import Canvas


def make_pdf(pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for number in range(pages):
        canvas.drawString(72, 720, f"page {number + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def make_image(kind: str, size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    for x in range(size[0]):  # some structure, so the compressed data is not trivial
        image.putpixel((x, x % size[1]), (x * 4 % 256, 10, 200))
    buffer = io.BytesIO()
    image.save(buffer, format=kind)
    return buffer.getvalue()


# --- PDFs with active content (documents.pdfclean) ---

EXE = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode."


def crafted_pdf(build: Any) -> bytes:
    """A two-page PDF changed by `build(pdf)` (pikepdf): the crafted uploads of the tests."""
    pdf = pikepdf.open(io.BytesIO(make_pdf(2)))
    build(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def with_javascript(pdf: pikepdf.Pdf) -> None:
    js = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript,
                                              JS=pikepdf.String("app.alert('x')")))
    pdf.Root.OpenAction = js
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(
        Names=pikepdf.Array([pikepdf.String("a"), js])))
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=js)


def with_embedded_exe(pdf: pikepdf.Pdf) -> None:
    spec = pikepdf.AttachedFileSpec(pdf, EXE, filename="setup.exe")
    pdf.attachments["setup.exe"] = spec
    annot = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment,
                               Rect=[10, 10, 40, 40], FS=spec.obj)
    pdf.pages[1].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annot)]))


def with_launch(pdf: pikepdf.Pdf) -> None:
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                              Rect=[10, 10, 200, 40],
                              A=pikepdf.Dictionary(S=pikepdf.Name.Launch,
                                                   F=pikepdf.String("cmd.exe")))
    uri = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                             Rect=[10, 50, 200, 80],
                             A=pikepdf.Dictionary(S=pikepdf.Name.URI,
                                                  URI=pikepdf.String("https://example.invalid/")))
    pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(link), pdf.make_indirect(uri)])
