"""What checking an uploaded PDF costs (`documents.uploads.inspect_upload`: size, SHA-256, the
one qpdf parse that opens it, counts its pages, refuses a locked or damaged file and takes
out active content), for the load benchmark's padded one-page PDFs (100 KB, 2 MB) and for
scan-like PDFs (one JPEG a page, as a phone or a copier makes them: 10, 50 and 300 pages).
Beside it, what pypdf's page count (the second parser the check used until 2026-12-04) costs
on the same file. Median CPU (`time.process_time`) of RUNS runs after a warm-up, with the
load average.

    DJANGO_SETTINGS_MODULE=zhicheng.settings python bench/bench_uploads.py [RUNS]

Not collected by `make bench` (no test_* function); figures in bench/README.md ("Page
budgets", "2026-12-04 (evening)").
"""

from __future__ import annotations

import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")
django.setup()

from PIL import Image  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from zhicheng.documents.uploads import inspect_upload  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent / "load"))
from pdfs import pdf_of_size  # noqa: E402  (the load mix's upload)


def scan_like(pages: int) -> bytes:
    """A PDF of `pages` pages, each one greyscale JPEG (a 300×425 "scan" with noise, so that
    it does not compress to nothing), as scanned certificates arrive."""
    rng = random.Random(pages)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for n in range(pages):
        image = Image.effect_noise((300, 425), 20 + n % 10).convert("L")
        image.putpixel((rng.randrange(300), rng.randrange(425)), 0)
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=40)
        pdf.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, *A4)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def median_ms(work: Callable[[], object], runs: int) -> float:
    work()
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def pypdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data), strict=False).pages)


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 15
    files = [
        ("padded one page, 100 KB", pdf_of_size(100 * 1024)),
        ("padded one page, 2 MB (the mix's)", pdf_of_size(2 * 1024 * 1024)),
        *((f"scan-like, {n} pages", scan_like(n)) for n in (10, 50, 300)),
    ]
    print(f"load average before: {os.getloadavg()[0]:.2f}; median of {runs} runs, CPU ms")
    print("| file | size | inspect_upload | pypdf's page count alone |")
    print("|---|---:|---:|---:|")
    for name, data in files:
        check = median_ms(lambda data=data: inspect_upload(io.BytesIO(data)), runs)
        pypdf = median_ms(lambda data=data: pypdf_pages(data), runs)
        print(f"| {name} | {len(data) / 1024:,.0f} KB | {check:.2f} | {pypdf:.2f} |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
