"""The worker's heartbeat: beat queues `monitoring.heartbeat` every minute and a worker writes
the time into the shared cache; /readyz reads its age. A worker also writes one as soon as it
is ready, so a fresh installation is ready before the first beat."""

from __future__ import annotations

import socket
import time
from typing import Any

from celery import shared_task
from celery.signals import task_postrun, task_prerun, worker_ready
from django.core.cache import cache
from django.utils import timezone
from prometheus_client import Histogram

HEARTBEAT_KEY = "zhicheng:monitoring:worker-heartbeat"


def write_heartbeat(host: str | None = None) -> str:
    stamp = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, {"at": stamp, "host": host or socket.gethostname()}, timeout=None)
    return stamp


@shared_task(name="monitoring.heartbeat")
def heartbeat_task() -> str:
    return write_heartbeat()


@worker_ready.connect
def _worker_ready(sender: Any = None, **kwargs: Any) -> None:
    write_heartbeat(getattr(sender, "hostname", None))


# --- task durations (Prometheus; visible at /metrics when the worker shares
# PROMETHEUS_MULTIPROC_DIR with the web server, docs/monitoring.md) ---

_started: dict[str, float] = {}
TASK_SECONDS = Histogram("zhicheng_task_seconds", "Celery task run time, by task and outcome.",
                         ["task", "outcome"])


@task_prerun.connect
def _task_started(task_id: str | None = None, **kwargs: Any) -> None:
    if task_id:
        _started[task_id] = time.perf_counter()


@task_postrun.connect
def _task_finished(task_id: str | None = None, task: Any = None, state: str | None = None,
                   **kwargs: Any) -> None:
    began = _started.pop(task_id or "", None)
    if began is not None and task is not None:
        TASK_SECONDS.labels(task=task.name, outcome=(state or "").lower()).observe(
            time.perf_counter() - began)
