"""Celery tasks (eager in the embedded mode, on the worker in production)."""

from __future__ import annotations

import logging

from celery import shared_task

from . import delivery

logger = logging.getLogger(__name__)


@shared_task(name="applications.deliver")
def deliver(delivery_id: int) -> bool:
    """Send one e-mail or SMS of a notification (idempotent: a sent one is never resent)."""
    return delivery.attempt(delivery_id)


@shared_task(name="applications.retry_deliveries")
def retry_deliveries() -> int:
    """Every minute (beat, or the embedded ticker): try again each delivery whose backoff
    has passed; returns how many were sent."""
    return sum(1 for pk in delivery.due_ids() if delivery.attempt(pk))
