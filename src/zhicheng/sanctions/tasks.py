"""Periodic task: overdue corrections are flagged once (committee office and city office
notified). Idempotent: a flagged correction is not flagged again."""

from __future__ import annotations

from celery import shared_task

from zhicheng.core import clock
from zhicheng.core.operations import OperationError

from .models import Kind, Sanction, Status
from .operations import flag_overdue


@shared_task(name="sanctions.flag_overdue_corrections")
def flag_overdue_corrections() -> int:
    flagged = 0
    overdue = Sanction.objects.filter(
        kind=Kind.CORRECTION, status=Status.IN_FORCE, due_on__lt=clock.today(),
        overdue_notified_on__isnull=True,
    )
    for sanction in overdue:
        try:
            if flag_overdue(sanction):
                flagged += 1
        except OperationError:
            continue  # reported or flagged meanwhile
    return flagged
