"""ONE error format for every API error:
`{"error": {"code": "...", "message": "...", "details": [{"field": "...", "message": "..."}]}}`.

Operation refusals map to HTTP like this: NotPermitted → 403, StateConflict → 409, any other
OperationError (bad input the operation refused) → 422, missing or out of scope → 404."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger("zhicheng.api")

MESSAGES = {
    400: ("bad_request", "请求格式不正确。"),
    401: ("unauthenticated", "缺少有效的接口令牌（Authorization: Bearer zc_…）。"),
    403: ("not_permitted", "您没有权限执行此操作。"),
    404: ("not_found", "没有找到该对象（或不在您的管辖范围内）。"),
    405: ("method_not_allowed", "该地址不支持此请求方法。"),
    409: ("state_conflict", "当前状态下不能执行此操作。"),
    422: ("validation_error", "请求内容有误。"),
    429: ("rate_limited", "请求过于频繁，请稍后再试。"),
    500: ("server_error", "服务器内部错误，已记录，请稍后再试。"),
}


def error_body(
    status: int, message: str = "", *, code: str = "", details: Iterable[dict[str, str]] = ()
) -> dict[str, Any]:
    default_code, default_message = MESSAGES.get(status, ("error", "请求失败。"))
    return {
        "error": {
            "code": code or default_code,
            "message": message or default_message,
            "details": [
                {"field": str(d.get("field", "")), "message": str(d.get("message", ""))}
                for d in details
            ],
        }
    }


def error_response(
    status: int, message: str = "", *, code: str = "", details: Iterable[dict[str, str]] = (),
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    response = JsonResponse(
        error_body(status, message, code=code, details=details), status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def validation_details(errors: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ()) if str(part) not in {"body", "payload"}
               or len(err.get("loc", ())) == 1]
        out.append({"field": ".".join(loc), "message": str(err.get("msg", ""))})
    return out


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Unknown addresses under /api/ answer in the API's format, not with the HTML 404."""
    return error_response(404, "没有这个接口地址。", code="no_such_endpoint")
