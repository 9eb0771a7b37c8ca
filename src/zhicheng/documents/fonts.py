"""The Chinese TrueType font embedded in every generated PDF.

ReportLab's built-in CID font ``STSong-Light`` is *not* embedded (the reader substitutes
whatever it has), so forms would print differently on every machine. We embed a TrueType
font instead: WenQuanYi Micro Hei from the Debian package ``fonts-wqy-microhei`` by default,
or any TrueType (glyf-outline) font named by the ``ZHICHENG_PDF_FONT`` setting.
CFF-outline fonts (Noto CJK, Source Han, most ``.otf``) cannot be embedded by ReportLab.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

DEFAULT_FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
DEFAULT_SUBFONT_INDEX = 0
DEBIAN_PACKAGE = "fonts-wqy-microhei"

_lock = threading.Lock()
_registered: dict[tuple[str, int], str] = {}


class FontUnavailable(ImproperlyConfigured):
    """The configured PDF font is missing or cannot be embedded (an operator problem)."""


def _setting(name: str, default: object) -> object:
    return getattr(settings, name, default) if settings.configured else default


def configured_font() -> tuple[Path, int]:
    """The font file and the subfont index (for ``.ttc`` collections) from the settings."""
    path = _setting("ZHICHENG_PDF_FONT", "") or DEFAULT_FONT_PATH
    index = _setting("ZHICHENG_PDF_FONT_INDEX", DEFAULT_SUBFONT_INDEX)
    return Path(str(path)), int(str(index))


def register_cjk_font(path: str | Path | None = None, subfont_index: int | None = None) -> str:
    """Register the Chinese font with ReportLab (once per process) and return its name.

    Bold and italic map to the same face so that ``<b>`` in a paragraph never fails.
    Raises `FontUnavailable` with a message naming the Debian package when the file is
    missing, and explaining CFF outlines when the font cannot be embedded.
    """
    default_path, default_index = configured_font()
    font_file = Path(path) if path is not None else default_path
    index = default_index if subfont_index is None else subfont_index
    key = (str(font_file), index)
    with _lock:
        if key in _registered:
            return _registered[key]
        if not font_file.is_file():
            raise FontUnavailable(
                f"找不到生成PDF所需的中文字体文件：{font_file}。"
                f"请安装 Debian 软件包 {DEBIAN_PACKAGE}（apt-get install {DEBIAN_PACKAGE}），"
                "或用设置 ZHICHENG_PDF_FONT 指定一个 TrueType 字体文件。"
                f" (PDF font file {font_file} not found: install {DEBIAN_PACKAGE}"
                " or set ZHICHENG_PDF_FONT.)"
            )
        digest = hashlib.sha256(f"{font_file}#{index}".encode()).hexdigest()[:8]
        name = f"ZhichengCJK-{digest}"
        try:
            font = TTFont(name, str(font_file), subfontIndex=index)
        except TTFError as exc:
            raise FontUnavailable(
                f"字体文件 {font_file}（子字体 {index}）无法嵌入PDF：{exc}。"
                "ReportLab 只能嵌入 TrueType 轮廓的字体；Noto CJK、思源等 CFF/OTF 字体不行。"
                f"请安装 {DEBIAN_PACKAGE} 或在 ZHICHENG_PDF_FONT 中指定 TrueType 字体。"
            ) from exc
        pdfmetrics.registerFont(font)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
        _registered[key] = name
        return name
