"""The NinjaAPI instance: token authentication, the one error format for every error
(including 404/405/422/429/500), per-token rate limits, and the URLs (`/api/docs`,
`/api/openapi.json`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from zhicheng.core.operations import NotPermitted, OperationError, StateConflict

from .auth import Principal, Throttled, Unauthenticated, authenticate, rate_limit, token_rate
from .errors import error_response, logger, not_found, validation_details

ERROR_CODES = frozenset({400, 401, 403, 404, 422, 429, 500})


class TokenAuth(HttpBearer):
    """`Authorization: Bearer zc_…`: the organisation's token; rate-limited per token."""

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        principal = authenticate(token)
        limit, window = token_rate()
        rate_limit(f"token:{principal.token.pk}", limit, window)
        return principal


api = NinjaAPI(
    title="zhicheng 职称评审 API",
    version="1",
    description=(
        "职称评审数据接口。令牌按机构发放（`Authorization: Bearer zc_…`），按权限范围"
        "（scopes）和管辖范围读取与办理；所有错误均为 "
        '`{"error": {"code", "message", "details": [{"field", "message"}]}}`。'
        "见 docs/api.md。"
    ),
    auth=TokenAuth(),
    urls_namespace="api",
)


def _on(exc_class: type[Exception]) -> Callable[[Callable[..., HttpResponse]], Any]:
    def register(func: Callable[..., HttpResponse]) -> Any:
        api.add_exception_handler(exc_class, func)
        return func

    return register


@_on(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(422, details=validation_details(exc.errors))


@_on(Unauthenticated)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(401, headers={"WWW-Authenticate": 'Bearer realm="zhicheng"'})


@_on(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return error_response(
        429, f"请求过于频繁，请{exc.retry_after}秒后再试。",
        headers={"Retry-After": str(exc.retry_after)},
    )


@_on(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, str(exc) if str(exc) else "")


@_on(NotPermitted)
def _not_permitted(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(403, str(exc))


@_on(StateConflict)
def _state_conflict(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(409, str(exc))


@_on(OperationError)
def _refused(request: HttpRequest, exc: OperationError) -> HttpResponse:
    return error_response(422, str(exc), code=exc.code)


@_on(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError) and exc.status_code == 401:
        return _unauthenticated(request, exc)
    message = "" if exc.status_code in (400, 401, 403, 405) else str(exc)
    return error_response(exc.status_code, message)


@_on(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return error_response(500)


from . import read, write  # noqa: E402  (routers register themselves on `api`)

api.add_router("", read.router)
api.add_router("", write.router)


def _json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """django-ninja answers a wrong method with a bare 405; give it the error format."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allow = response.get("Allow", "")
            response = error_response(405, headers={"Allow": allow} if allow else None)
        return response

    return wrapped


def urlpatterns() -> list[URLPattern | URLResolver]:
    patterns, _app, _namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _json_405(pattern.callback)
    return [*patterns, re_path(r"^.*$", not_found)]
