"""QR code helpers (segno), shared by the application form and, later, certificates."""

from __future__ import annotations

import io

import segno

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def qr_code(data: str, *, error: str = "m") -> segno.QRCode:
    """A regular (never micro) QR code for `data` at error-correction level `error`."""
    if not data:
        raise ValueError("QR code data must not be empty")
    return segno.make(data, error=error, micro=False)


def qr_png(data: str, *, scale: int = 8, border: int = 2, error: str = "m") -> bytes:
    """PNG bytes, `scale` pixels per module, `border` modules of quiet zone."""
    buffer = io.BytesIO()
    qr_code(data, error=error).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def qr_svg(data: str, *, scale: int = 4, border: int = 2, error: str = "m") -> str:
    """An inline ``<svg>`` element (no XML declaration), ready for a template."""
    return str(qr_code(data, error=error).svg_inline(scale=scale, border=border))
