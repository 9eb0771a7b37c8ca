"""Celery app: tasks run eagerly in the embedded mode, on Redis when REDIS_URL is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")

app = Celery("zhicheng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
