"""Absolute links for what leaves the site (e-mail, SMS): the configured public address
(ZHICHENG_SITE_URL) joined with a path. Pages keep relative links."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def site_url_problem() -> str | None:
    """Why the configured site address cannot build links, in Chinese; None when it can."""
    url = str(getattr(settings, "ZHICHENG_SITE_URL", "") or "")
    if not url:
        return "未设置网站地址（ZHICHENG_SITE_URL），邮件和短信中的链接无法打开"
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return "网站地址（ZHICHENG_SITE_URL）须以 https:// 开头并写明域名"
    return None


def absolute_url(path: str) -> str:
    """`/apply/1/` -> `https://zhicheng.example.gov.cn/apply/1/` (an absolute URL is kept)."""
    if not path or urlsplit(path).scheme:
        return path
    base = str(getattr(settings, "ZHICHENG_SITE_URL", "") or "").rstrip("/")
    return base + (path if path.startswith("/") else "/" + path)
