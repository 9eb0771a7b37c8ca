from typing import Any

from django.core.management.base import BaseCommand

from zhicheng.accounts.demo import DEMO_PASSWORD, seed_demo
from zhicheng.core.operations import SYSTEM


class Command(BaseCommand):
    help = "Create the demo employers and accounts (idempotent) and print them with their roles."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = seed_demo(SYSTEM)
        self.stdout.write("")
        self.stdout.write(
            f"演示账户（密码均为 {DEMO_PASSWORD}）/ demo accounts (password {DEMO_PASSWORD}):"
        )
        for a in accounts:
            org = f" @ {a.organisation}" if a.organisation else ""
            self.stdout.write(f"  {a.username:<20} {a.full_name:<6} {a.role_label}{org}")
        self.stdout.write("")
