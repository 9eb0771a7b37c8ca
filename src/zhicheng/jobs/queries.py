"""Reads of jobs: a person's own list, and one job if they may follow it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Job
from .permissions import may_follow_job

MY_JOBS_SHOWN = 100


def my_jobs(user: Any) -> QuerySet[Job]:
    """The jobs a person started, newest first (one query)."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(owner=user).order_by("-created_at", "-pk")


def job_for(user: Any, pk: int) -> Job | None:
    """The job if `user` may follow it (owner, or the same permission on its scope)."""
    job = Job.objects.select_related("owner").filter(pk=pk).first()
    if job is None or not may_follow_job(user, job):
        return None
    return job
