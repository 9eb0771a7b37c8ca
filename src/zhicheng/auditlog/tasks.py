"""The scheduled audit-chain verification. The embedded ticker runs every scheduled task
once a minute; a full verification reads the whole chain, so it runs at most once per
ZHICHENG_AUDIT_VERIFY_SECONDS whoever calls it."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from zhicheng.core.audit import sequence_events

from .models import AuditCheckpoint, ChainCheck
from .operations import record_check, sign_checkpoint


@shared_task(name="audit.sequence")
def sequence_task() -> str:
    """Chain the audit events committed since the last run (core.audit.sequence_events)."""
    return f"chained {sequence_events()}"


@shared_task(name="auditlog.verify_chain")
def verify_chain_task(force: bool = False) -> str:
    interval = int(getattr(settings, "ZHICHENG_AUDIT_VERIFY_SECONDS", 3600))
    since = timezone.now() - dt.timedelta(seconds=interval)
    if not force and ChainCheck.objects.filter(checked_at__gt=since).exists():
        return "skipped"
    check = record_check()
    return "ok" if check.ok else f"broken at #{check.broken_seq}"


@shared_task(name="auditlog.checkpoint")
def checkpoint_task(force: bool = False) -> str:
    """At least daily (docs/trust.md): sign a checkpoint when the last one is older than
    ZHICHENG_AUDIT_CHECKPOINT_SECONDS (a day by default)."""
    interval = int(getattr(settings, "ZHICHENG_AUDIT_CHECKPOINT_SECONDS", 86400))
    last = AuditCheckpoint.objects.order_by("-pk").first()
    if not force and last is not None and dt.datetime.fromisoformat(last.time) > (
        timezone.now() - dt.timedelta(seconds=interval)
    ):
        return "skipped"
    return f"checkpoint #{sign_checkpoint().seq}"
