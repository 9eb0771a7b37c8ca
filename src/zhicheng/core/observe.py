"""What an operator watches (docs/monitoring.md): Prometheus counters and the structured log
line of every committed operation, with the context of the request that ran it.

The foundation owns the counters because the one door (`core.operations`) and the mail task
bump them; `zhicheng.monitoring` exposes them at /metrics and fills the request context.
Nothing here logs a secret: an operation's line carries its action, the target's type and
primary key, the acting user's id and organisations, never the summary or the data (which
may quote what a person typed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from prometheus_client import Counter

OPERATIONS = Counter(
    "zhicheng_operations_total", "Committed operations (one audit event each), by action.",
    ["action"],
)
MAILS_FAILED = Counter(
    "zhicheng_mails_failed_total", "Mails the SMTP server refused or could not take, by kind.",
    ["kind"],
)
MAILS_SENT = Counter("zhicheng_mails_sent_total", "Mails handed to the SMTP server, by kind.",
                     ["kind"])

operation_logger = logging.getLogger("zhicheng.operation")

# The request being served (request id, user id, organisations), set by
# zhicheng.monitoring.middleware; empty in tasks and commands.
request_context: ContextVar[dict[str, Any] | None] = ContextVar("zhicheng_request",
                                                                default=None)


def context_fields() -> dict[str, Any]:
    """The request id, user id and organisations of the current request (resolved lazily)."""
    ctx = request_context.get()
    if not ctx:
        return {}
    org = ctx.get("organisation")
    if callable(org):
        org = ctx["organisation"] = org()
    return {"request_id": ctx.get("request_id"), "user_id": ctx.get("user_id"),
            "organisation": org}


def operation_committed(actor: Any, action: str, target: Any) -> Callable[[], None]:
    """The callback `operation()` registers with on_commit: count and log the operation."""
    user_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    target_type = target_id = None
    if target is not None and hasattr(target, "_meta"):
        target_type, target_id = target._meta.label_lower, target.pk

    def done() -> None:
        OPERATIONS.labels(action=action).inc()
        if not operation_logger.isEnabledFor(logging.INFO):
            return
        fields = {"event": "operation", "action": action, **context_fields()}
        if user_id is not None or "user_id" not in fields:
            fields["user_id"] = user_id
        fields.update(target_type=target_type, target_id=target_id)
        operation_logger.info("operation %s", action, extra=fields)

    return done


def mail_sent(kind: str) -> None:
    MAILS_SENT.labels(kind=kind).inc()


def mail_failed(kind: str) -> None:
    MAILS_FAILED.labels(kind=kind).inc()
