"""Metrics read when Prometheus scrapes: the length of the Celery queue on the broker."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from zhicheng.celery import app


class QueueCollector(Collector):
    def collect(self) -> Iterator[Any]:
        family = GaugeMetricFamily("zhicheng_task_queue_length",
                                   "Tasks waiting on the broker, by queue.", labels=["queue"])
        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):

            try:
                with app.connection_for_read() as conn:
                    conn.ensure_connection(max_retries=1, timeout=3)
                    length = conn.default_channel.queue_declare(queue=queue,
                                                                passive=True).message_count
                family.add_metric([queue], float(length))
            except Exception:  # the broker check of /readyz reports the cause
                pass
        yield family
