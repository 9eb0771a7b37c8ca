"""Odd input never reaches the database (docs/security.md §No server error from
odd input): numbers from the address bar or a form are range-checked before a query, so
`?plan=99999999999999999999` is "no such plan", not an integer overflow in SQLite."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

# The largest primary key either database stores (BigAutoField: signed 64 bit).
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def bounded_int(raw: object, maximum: int = MAX_ID) -> int | None:
    """`raw` as a non-negative int when it is plain ASCII digits within `maximum`, else None.
    (`str.isdigit()` also accepts "²" and other digits `int()` refuses.)"""
    text = str(raw if raw is not None else "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= maximum else None


def id_text(raw: object) -> str:
    """A query parameter naming a row: the digits when they can be an id, else ""."""
    value = bounded_int(raw)
    return str(value) if value is not None else ""


# --- refusals before any view runs -----------------------------------------------------------

NUL_MESSAGE = "提交的内容含有空字符（NUL，不可见的控制字符），无法保存。请删除后重新提交。"
TOO_LARGE_MESSAGE = "提交的内容过大，超过了允许的大小。请减小后重新提交（单个材料不超过{mb} MB）。"
_JSON_NUL = re.compile(rb"\\u0000", re.IGNORECASE)


def _has_nul(request: HttpRequest) -> bool:
    if any("\x00" in k or any("\x00" in v for v in request.GET.getlist(k)) for k in request.GET):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        return any("\x00" in k or any("\x00" in v for v in request.POST.getlist(k))
                   for k in request.POST)
    if content_type.endswith("json"):
        body = request.body
        return b"\x00" in body or _JSON_NUL.search(body) is not None
    return False


def body_limit(request: HttpRequest) -> int:
    """The most a request body may hold: uploads may carry one material plus the form;
    every other body is held to Django's in-memory limit."""
    text_limit = int(getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None) or 2621440)
    if (request.content_type or "").startswith("multipart/"):
        return int(getattr(settings, "ZHICHENG_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)) + text_limit
    return text_limit


def _refusal(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        # The API's one error format (api.errors.error_body), written here because the
        # refusal comes before the API is reached.
        return JsonResponse({"error": {"code": code, "message": message, "details": []}},
                            status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "odd_input.html", {"message": message}, status=status)


class OddInputMiddleware:
    """413 for a body over the limit (before anything reads it), 400 with a clear message
    for a NUL byte in any text parameter (PostgreSQL cannot store it; SQLite would)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = bounded_int(request.META.get("CONTENT_LENGTH")) or 0
        limit = body_limit(request)
        if length > limit:
            mb = int(getattr(settings, "ZHICHENG_MAX_UPLOAD_BYTES", 0)) // (1024 * 1024)
            return _refusal(request, 413, "too_large", TOO_LARGE_MESSAGE.format(mb=mb))
        try:
            nul = _has_nul(request)
        except RequestDataTooBig:  # a chunked body without Content-Length
            return _refusal(request, 413, "too_large", TOO_LARGE_MESSAGE.format(
                mb=int(getattr(settings, "ZHICHENG_MAX_UPLOAD_BYTES", 0)) // (1024 * 1024)))
        if nul:
            if request.path_info.startswith("/api/"):  # the API's answer to invalid fields
                return _refusal(request, 422, "validation_error", NUL_MESSAGE)
            return _refusal(request, 400, "nul_byte", NUL_MESSAGE)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any,
                     kwargs: dict[str, Any]) -> HttpResponse | None:
        """`<int:pk>` accepts any number of digits; one beyond what a database column holds
        names no row, so it is a 404 instead of an overflow in the query."""
        if any(isinstance(v, int) and not 0 <= v <= MAX_ID for v in kwargs.values()):
            if request.path_info.startswith("/api/"):
                return _refusal(request, 404, "not_found", "没有这个对象。")
            raise Http404
        # Multipart forms of the site's own pages: their text fields (uploaded files are
        # binary, checked by documents.uploads). Left out: views of the JSON API framework,
        # which read the raw body that parsing here would consume.
        if ((request.content_type or "").startswith("multipart/")
                and getattr(view, "__module__", "").startswith("zhicheng.")
                and any("\x00" in k or any("\x00" in v for v in request.POST.getlist(k))
                        for k in request.POST)):
            return _refusal(request, 400, "nul_byte", NUL_MESSAGE)
        return None
