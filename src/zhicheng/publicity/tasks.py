"""Celery task: close the publicities whose period has ended (beat: hourly, idempotent)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from .operations import close_due_publicities


@shared_task(name="publicity.close_due")
def close_due(today: str | None = None) -> int:
    """Close every publicity whose last day is past; returns how many were closed now."""
    day = dt.date.fromisoformat(today) if today else None
    return len(close_due_publicities(day))
