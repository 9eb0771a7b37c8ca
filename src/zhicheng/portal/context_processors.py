"""The navigation bars of base.html (zhicheng.portal.navigation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import navigation


def nav(request: HttpRequest) -> dict[str, Any]:
    """Lazy: a page that never renders the bar (an export, a PDF) costs no query."""
    return {
        "public_nav": SimpleLazyObject(navigation.public_links),
        "work_nav": SimpleLazyObject(lambda: navigation.for_request(request)),
    }
