"""The upload of the load benchmark: a valid one-page PDF of a given size (the locust mix
and bench/load/page_budgets.py upload the same 2 MB file)."""

from __future__ import annotations

import io


def pdf_of_size(size: int) -> bytes:
    """A valid one-page PDF padded to `size` bytes with an uncompressed stream (a scan's
    weight without the CPU of drawing one); the upload check reads it whole."""
    head = b"%PDF-1.4\n"
    pad = size - 600
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % pad + b"%" * pad + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(head)
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objs) + 1, xref))
    return out.getvalue()
