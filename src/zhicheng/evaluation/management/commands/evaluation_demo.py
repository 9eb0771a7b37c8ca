from typing import Any

from django.core.management.base import BaseCommand

from zhicheng.core.operations import SYSTEM
from zhicheng.evaluation.demo import seed_demo_evaluation


class Command(BaseCommand):
    help = "Create the demo committee and expert pool (idempotent; after seed_demo)."

    def handle(self, *args: Any, **options: Any) -> None:
        committee = seed_demo_evaluation(SYSTEM)
        self.stdout.write(f"{committee} (pk {committee.pk}): /evaluation/committee/{committee.pk}/")
