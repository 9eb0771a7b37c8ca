"""The Celery task that runs a job (eagerly in-process in the embedded mode)."""

from __future__ import annotations

from celery import shared_task

from . import operations


@shared_task(name="jobs.run")
def run_job(job_id: int) -> None:
    operations.run(job_id)
