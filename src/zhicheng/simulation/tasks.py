"""Celery discovers tasks in `<app>.tasks`: the bulk certificate zip lives in bulk.py."""

from .bulk import certificates_zip_task

__all__ = ["certificates_zip_task"]
