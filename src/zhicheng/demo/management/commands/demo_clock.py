"""zhicheng demo_clock show|set DATE|advance N (demo mode only; docs/operations.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhicheng.core import clock
from zhicheng.core.operations import SYSTEM, OperationError
from zhicheng.demo import clock as democlock


class Command(BaseCommand):
    help = "演示时钟：查看或向后调整演示日期 (demo clock: show, set DATE, advance N days)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("show", help="print the business date")
        set_ = sub.add_parser("set", help="move the business date to DATE (YYYY-MM-DD)")
        set_.add_argument("date")
        adv = sub.add_parser("advance", help="move the business date N days on")
        adv.add_argument("days", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "set":
                try:
                    day = dt.date.fromisoformat(options["date"])
                except ValueError as exc:
                    raise CommandError(
                        f"日期格式应为YYYY-MM-DD：{options['date']} (date must be YYYY-MM-DD)"
                    ) from exc
                democlock.set_day(SYSTEM, day)
            elif action == "advance":
                democlock.advance(SYSTEM, options["days"])
        except OperationError as exc:
            raise CommandError(str(exc)) from exc
        state = "on" if clock.demo_clock_enabled() else "off (ZHICHENG_DEMO_CLOCK not set)"
        self.stdout.write(f"业务日期 / business date: {clock.today().isoformat()} "
                          f"(demo clock {state})")
