"""Celery tasks (eager in the embedded mode, on the worker in production)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from zhicheng.core.observe import mail_failed, mail_sent

from .models import Notification

logger = logging.getLogger(__name__)


@shared_task(name="applications.send_notification_email")
def send_notification_email(notification_id: int) -> bool:
    """Email one inbox notification to its recipient (idempotent: sends at most once)."""
    updated = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not updated:
        return False
    n = Notification.objects.select_related("user").get(pk=notification_id)
    if not n.user.email:
        return False
    body = n.body
    if n.url:
        body += f"\n\n{n.url}"
    try:
        send_mail(f"[职称评审] {n.title}", body, settings.DEFAULT_FROM_EMAIL, [n.user.email])
    except Exception:  # the inbox row stays; mail problems must not break the event
        logger.exception("notification %s: email failed", notification_id)
        mail_failed("notification")
        return False
    mail_sent("notification")
    return True
