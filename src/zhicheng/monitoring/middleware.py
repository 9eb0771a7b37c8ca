"""One structured line per request (docs/monitoring.md) and the request context that the
operation lines of `core.observe` carry: request id, user id, organisations, view, status,
duration and the number of SQL queries. Never the query string, a form field or a header
other than the request id: a search may carry an ID number, a login form a password.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse
from prometheus_client import Histogram

from zhicheng.core.observe import context_fields, request_context
from zhicheng.orgs.models import Membership

logger = logging.getLogger("zhicheng.request")

QUERIES = Histogram(
    "zhicheng_request_db_queries", "SQL queries per request, by view.", ["view"],
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500),
)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _organisations(user_id: int) -> list[int]:

    return sorted(Membership.objects.filter(user_id=user_id, active=True)
                  .values_list("organisation_id", flat=True).distinct())


class RequestLogMiddleware:
    """After AuthenticationMiddleware (it reads request.user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        ctx: dict[str, Any] = {"request_id": request_id, "user_id": user_id,
                               "organisation": (lambda: _organisations(user_id))
                               if user_id else None}
        token = request_context.set(ctx)
        queries = [0]

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            queries[0] += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        try:
            wrappers = [connections[alias].execute_wrapper(count) for alias in connections]
            for w in wrappers:
                w.__enter__()
            try:
                response = self.get_response(request)
            finally:
                for w in reversed(wrappers):
                    w.__exit__(None, None, None)
            match = getattr(request, "resolver_match", None)
            view = match.view_name if match else "<unresolved>"
            QUERIES.labels(view=view).observe(queries[0])
            # A login changes the user during the request: log who it is now.
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and ctx["user_id"] != user.pk:
                ctx["user_id"] = user.pk
                ctx["organisation"] = lambda: _organisations(user.pk)
            if logger.isEnabledFor(logging.INFO):
                logger.info("%s %s %s", request.method, request.path, response.status_code, extra={
                    "event": "request", **context_fields(), "method": request.method,
                    "path": request.path, "view": view, "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "db_queries": queries[0],
                })
            response["X-Request-ID"] = request_id
            return response
        finally:
            request_context.reset(token)
