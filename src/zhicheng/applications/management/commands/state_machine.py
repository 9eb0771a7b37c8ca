from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhicheng.applications import guards  # noqa: F401  (guards decide "ready")
from zhicheng.applications.states import render_markdown

DOC = Path(__file__).resolve().parents[5] / "docs" / "state-machine.md"


class Command(BaseCommand):
    help = (
        "The application's state machine (applications/states.py): "
        "`zhicheng state_machine --markdown` writes docs/state-machine.md; "
        "`--stdout` prints it; `--check` fails if the file is out of date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--markdown", action="store_true", help="render the tables")
        parser.add_argument("--stdout", action="store_true", help="print instead of writing")
        parser.add_argument("--check", action="store_true", help="fail if the doc is stale")
        parser.add_argument("--output", default=str(DOC), help="file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        text = render_markdown()
        out = Path(options["output"])
        if options["check"]:
            if not out.exists() or out.read_text(encoding="utf-8") != text:
                raise SystemExit(f"{out} is out of date: run `zhicheng state_machine --markdown`")
            self.stdout.write(f"{out} is up to date")
            return
        if options["stdout"]:
            self.stdout.write(text, ending="")
            return
        out.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {out}")
