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
    ids = [d.pk for d in plan_deliveries(n, due=due)]
    if ids:  # nowhere to send it: the inbox row is all, no task queued for nothing

        def send() -> None:
            for pk in ids:
                deliver.delay(pk)

        transaction.on_commit(send)
    return n
