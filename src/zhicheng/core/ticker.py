"""Time-driven state changes without Celery beat (the embedded mode).

Production runs the periodic tasks of CELERY_BEAT_SCHEDULE with Celery beat. The embedded
mode has no beat, so publicities would never close and overdue corrections never expire:
here the same tasks run in-process, at most once a minute, driven by requests (and by
`zhicheng tick` for cron). Every task is idempotent, so running it early or twice is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)
TICK_KEY = "zhicheng:embedded-tick"
TICK_SECONDS = 60


def run_periodic_tasks() -> dict[str, Any]:
    """Run every scheduled task once, now; a failing task is logged, never raised."""
    results: dict[str, Any] = {}
    # Task modules are discovered lazily (when a worker starts); without a worker, load them
    # now or a task nobody imported yet is "not registered".
    current_app.loader.import_default_modules()
    for entry in getattr(settings, "CELERY_BEAT_SCHEDULE", {}).values():
        name = entry["task"]
        try:
            # The eager result's value, not .get(): Celery's "no join inside a task" flag is
            # one global that concurrent eager runs in a threaded server can leave set, after
            # which every .get() raised and the ticker ran nothing more in that process.
            outcome = current_app.tasks[name].apply()
            if not outcome.successful():
                raise RuntimeError(f"{name}: {outcome.result!r}")
            results[name] = outcome.result
        except Exception:  # one broken task must not stop the others or a page
            logger.exception("periodic task %s failed", name)
            results[name] = "failed"
    return results


class EmbeddedTickerMiddleware:
    """Runs the periodic tasks at most once a minute when tasks run eagerly (no beat)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "ZHICHENG_EMBEDDED_TICKER", False) and cache.add(
            TICK_KEY, 1, TICK_SECONDS
        ):
            run_periodic_tasks()
        return self.get_response(request)
