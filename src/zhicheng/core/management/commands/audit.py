"""zhicheng audit verify|export (docs/trust.md).

`verify` checks every link of the chain in the database (exit 1 on a break); `export
--output FILE` writes the chain as JSON Lines for `tools/verify/audit_chain.py`."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhicheng.core.audit import export_lines, verify_chain


class Command(BaseCommand):
    help = "Audit chain tools: `verify` checks every link (exit 1 on a break); `export` writes it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "export"])
        parser.add_argument("--output", help="export: file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options.get("output"))
            return
        result = verify_chain()
        if result.ok:
            self.stdout.write(str(result))
            return
        self.stderr.write(str(result))
        raise SystemExit(1)

    def _export(self, output: str | None) -> None:
        if not output:
            for line in export_lines():
                sys.stdout.write(line + "\n")
            return
        count = 0
        with Path(output).open("w", encoding="utf-8") as f:
            for line in export_lines():
                f.write(line + "\n")
                count += 1
        self.stdout.write(f"已导出审计事件{count}条：{output} / exported {count} events")
