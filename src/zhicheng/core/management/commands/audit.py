from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhicheng.core.audit import verify_chain


class Command(BaseCommand):
    help = "Audit chain tools. `zhicheng audit verify` checks every link; exit 1 on a break."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if result.ok:
            self.stdout.write(str(result))
            return
        self.stderr.write(str(result))
        raise SystemExit(1)
