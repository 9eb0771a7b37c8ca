"""Periodic tasks of the review chain (Celery beat; eager in the embedded mode). Both are
idempotent: running them twice changes nothing more than running them once."""

from __future__ import annotations

import logging

from celery import shared_task

from zhicheng.applications.models import Application
from zhicheng.applications.states import State
from zhicheng.core import clock
from zhicheng.core.holidays import calendar_missing_text
from zhicheng.core.operations import OperationError
from zhicheng.core.workdays import office_calendar
from zhicheng.policy.workdays import CalendarDataMissing

from .models import CorrectionRequest, CorrectionStatus
from .operations import close_pre_evaluation, expire_correction, remind_correction
from .scope import reminder_due

logger = logging.getLogger(__name__)


@shared_task(name="reviews.expire_corrections")
def expire_corrections() -> int:
    """Correction requests not answered by their due date end as abandoned (视为放弃)."""
    today = clock.today()
    expired = 0
    overdue = CorrectionRequest.objects.filter(
        status=CorrectionStatus.OPEN, due_date__lt=today
    ).select_related("application")
    for request in overdue:
        try:
            if expire_correction(request.application):
                expired += 1
        except OperationError:
            continue  # answered or changed meanwhile; the next run sees the new state
    return expired


@shared_task(name="reviews.remind_corrections")
def remind_corrections() -> int:
    """One reminder per open request, 2 working days before its due date. A request whose
    reminder day cannot be counted (a year without calendar data) is skipped with one clear
    warning naming the year; the others are reminded."""

    today = clock.today()
    calendar = office_calendar()
    sent = 0
    missing: set[int] = set()
    pending = CorrectionRequest.objects.filter(
        status=CorrectionStatus.OPEN, reminded_at__isnull=True, due_date__gte=today
    ).select_related("application")
    for request in pending:
        try:
            due = reminder_due(request.due_date, today, calendar)
        except CalendarDataMissing as exc:
            missing.add(exc.year)
            continue
        if due and remind_correction(request):
            sent += 1
    for year in sorted(missing):
        logger.warning("补正期限提醒未发送：%s", calendar_missing_text(year))
    return sent


@shared_task(name="reviews.advance_pre_evaluation")
def advance_pre_evaluation() -> int:
    """Dossiers whose pre-evaluation publicity closed with objections resolved become ready
    for the meeting (also triggered when a publicity closes; this sweep catches dossiers whose
    last objection was resolved after the close)."""
    moved = 0
    for app in Application.objects.filter(state=State.PRE_EVALUATION_PUBLICITY):
        if close_pre_evaluation(app):
            moved += 1
    return moved


def on_publicity_closed(sender: object, publicity: object, **kwargs: object) -> None:
    """publicity.signals.publicity_closed → the pre-evaluation step moves on by itself."""
    if getattr(publicity, "kind", None) == "pre_evaluation":
        close_pre_evaluation(publicity.application)  # type: ignore[attr-defined]
