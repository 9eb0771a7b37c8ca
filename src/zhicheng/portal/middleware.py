"""Simplified Chinese unless the visitor chose otherwise with the language switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an English
browser would get the English interface unasked. Here only the language cookie (set by
the switch at /i18n/setlang/) selects English. Install before LocaleMiddleware.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ChineseByDefaultMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
