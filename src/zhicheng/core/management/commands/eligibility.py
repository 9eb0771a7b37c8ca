from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Eligibility decision for a profile: `zhicheng eligibility PROFILE.json [--text]` or "
        "`zhicheng eligibility --batch IN.jsonl [-o OUT.jsonl]` (see docs/policy.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*")

    def run_from_argv(self, argv: list[str]) -> None:
        # The policy CLI owns its arguments (and is Django-free); pass them through untouched.
        from zhicheng.policy.cli import main

        raise SystemExit(main(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:
        from zhicheng.policy.cli import main

        raise SystemExit(main(list(args)))
