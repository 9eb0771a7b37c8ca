from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhicheng.core.operations import SYSTEM
from zhicheng.seasons.loaders import (
    ImportRefused,
    load_catalogue,
    load_organisations,
    load_season,
)


class Command(BaseCommand):
    help = (
        "Load a season (organisations, title catalogue, season dates, the plan table, the "
        "notice). Idempotent: loading twice changes nothing. A file with errors changes nothing "
        "and every problem is listed with its line and field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("season", nargs="?", default=settings.ZHICHENG_SEASON)
        parser.add_argument(
            "--dir", type=Path, help="season folder (season.toml, plans.csv, merges.csv)"
        )
        parser.add_argument("--quiet-warnings", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["season"]
        try:
            report = load_organisations(SYSTEM)
            report.merge(load_catalogue(SYSTEM))
            report.merge(load_season(SYSTEM, code, directory=options["dir"]))
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"导入被拒绝：{len(refused.problems)}个错误，数据库未作任何修改。"
            ) from None
        except FileNotFoundError as missing:
            raise CommandError(f"找不到文件：{missing.filename}") from None
        if not options["quiet_warnings"]:
            for warning in report.warnings:
                self.stdout.write(warning)
        self.stdout.write(
            f"{code}: 新增{len(report.created)}项，修改{len(report.updated)}项，"
            f"未变{report.unchanged}项，数据提示{len(report.warnings)}条"
        )
