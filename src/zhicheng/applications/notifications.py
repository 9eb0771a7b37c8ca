"""`notify(user, kind, …)`: the one way to tell a person about an event (inbox, e-mail, SMS).

The inbox row and its deliveries (applications.delivery: one per channel the person
receives, rendered with absolute links) are written in the caller's transaction; sending is
queued after commit, and a failure is retried with backoff (docs/notifications.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from .delivery import plan_deliveries
from .models import Application, Notification
from .tasks import deliver


def notify(
    user: Any,
    kind: str,
    title: str,
    body: str = "",
    *,
    application: Application | None = None,
    url: str = "",
    due: dt.date | None = None,
) -> Notification:
    n = Notification.objects.create(
        user=user, kind=kind, title=title, body=body, url=url, application=application
    )
    # Nowhere to send it: the inbox row is all, no task queued for nothing.
    send_after_commit([d.pk for d in plan_deliveries(n, due=due)])
    return n


def send_after_commit(delivery_ids: list[int]) -> None:
    """Queue the sending of these deliveries once the caller's transaction commits."""
    if not delivery_ids:
        return

    def send() -> None:
        for pk in delivery_ids:
            deliver.delay(pk)

    transaction.on_commit(send)
