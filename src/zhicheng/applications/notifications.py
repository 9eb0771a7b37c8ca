"""`notify(user, kind, …)`: the one way to tell a person about an event (inbox + email).

The inbox row is written in the caller's transaction; the email is queued after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import Application, Notification
from .tasks import send_notification_email


def notify(
    user: Any,
    kind: str,
    title: str,
    body: str = "",
    *,
    application: Application | None = None,
    url: str = "",
) -> Notification:
    n = Notification.objects.create(
        user=user, kind=kind, title=title, body=body, url=url, application=application
    )

    if not getattr(user, "email", ""):
        return n  # nowhere to mail it: the inbox row is all, no task queued for nothing

    def send() -> None:
        send_notification_email.delay(n.pk)

    transaction.on_commit(send)
    return n
