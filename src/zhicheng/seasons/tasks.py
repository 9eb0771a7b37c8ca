"""Celery task: publish the season versions whose scheduled date has come (beat: hourly,
idempotent; the embedded ticker runs it in the embedded mode)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from .operations import publish_due as publish_due_versions


@shared_task(name="seasons.publish_due")
def publish_due(today: str | None = None) -> list[str]:
    """Publish every draft scheduled on or before today; returns the versions published now."""
    day = dt.date.fromisoformat(today) if today else None
    return publish_due_versions(day)
