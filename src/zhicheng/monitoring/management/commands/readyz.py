"""zhicheng readyz [--scope web] [--wait SECONDS]: the checks of /readyz from the command line
(docs/monitoring.md). One line per check with its Chinese status; exit 1 when one fails after
waiting. zhicheng-web.service runs `readyz --scope web --wait 60` after each start."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhicheng.monitoring.readiness import FAIL, STATUS_LABELS, run_checks


class Command(BaseCommand):
    help = "Readiness checks (databases, cache, broker, worker heartbeat, disk, audit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scope", choices=["all", "web"], default="all",
                            help="web: only what an app server needs (databases, cache, disk)")
        parser.add_argument("--wait", type=int, default=0,
                            help="retry for this many seconds before giving up")

    def handle(self, *args: Any, **options: Any) -> None:
        deadline = time.monotonic() + max(0, options["wait"])
        while True:
            checks = run_checks(options["scope"])
            failed = [c for c in checks if c.status == FAIL]
            if not failed or time.monotonic() >= deadline:
                break
            time.sleep(2)
        for c in checks:
            self.stdout.write(f"{c.label}：{STATUS_LABELS[c.status]}（{c.detail}）")
        if failed:
            raise CommandError("未就绪：" + "、".join(c.label for c in failed))
        self.stdout.write("就绪")
