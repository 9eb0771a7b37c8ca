"""The Celery task that runs a job (eagerly in-process in the embedded mode), and the periodic
one that stops jobs whose worker died (beat or the embedded ticker; idempotent)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings

from . import imports, operations


@shared_task(name="jobs.run")
def run_job(job_id: int) -> None:
    operations.run(job_id)


@shared_task(name="jobs.fail_stale")
def fail_stale() -> list[int]:
    """Also deletes the files of import previews left unconfirmed (jobs/imports.py)."""
    minutes = getattr(settings, "ZHICHENG_JOB_STALE_MINUTES", 180)
    imports.expire_unconfirmed(dt.timedelta(hours=imports.UNCONFIRMED_HOURS))
    return operations.fail_stale(dt.timedelta(minutes=minutes))
