from typing import Any

from django.core.management.base import BaseCommand

from zhicheng.core.ticker import run_periodic_tasks


class Command(BaseCommand):
    help = (
        "Run every periodic task once now (publicities closing, corrections expiring, "
        "reminders). For installations without Celery beat; the tasks are idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, result in run_periodic_tasks().items():
            self.stdout.write(f"{name}: {result}")
