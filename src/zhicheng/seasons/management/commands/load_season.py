import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhicheng.core.operations import SYSTEM
from zhicheng.policy.season import default_season_code
from zhicheng.seasons.loaders import (
    ImportRefused,
    load_catalogue,
    load_season,
)
from zhicheng.seasons.models import Season


class Command(BaseCommand):
    help = (
        "Load a season package (docs/seasons.md) as a draft version; --publish-at DATE publishes "
        "it. Idempotent: loading the same package twice changes nothing. A package with errors "
        "changes nothing and every problem is listed with its file, row and field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "season", nargs="?", default=settings.ZHICHENG_SEASON or default_season_code()
        )
        parser.add_argument(
            "--dir", type=Path, help="season folder (season.toml, plans.csv, merges.csv)"
        )
        parser.add_argument(
            "--publish-at", type=dt.date.fromisoformat, metavar="DATE",
            help="publish the loaded version on DATE (YYYY-MM-DD; a later date is published on "
                 "that day by the task seasons.publish_due); without it a draft is stored",
        )
        parser.add_argument("--quiet-warnings", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["season"]
        try:
            report = load_catalogue(SYSTEM)
            publish_at = options["publish_at"]
            report.merge(
                load_season(
                    SYSTEM, code, directory=options["dir"], publish=publish_at is not None,
                    publish_on=publish_at,
                )
            )
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
        season = Season.objects.select_related("published_version").get(code=code)
        latest = season.versions.order_by("-number").first()
        state = "当前年度" if season.is_current else "非当前年度"
        scheduled = (f"，计划于{latest.scheduled_on.isoformat()}发布"
                     if latest is not None and latest.scheduled_on else "")
        self.stdout.write(
            f"{season.name}：最新为第{latest.number if latest else 0}版"
            f"（{latest.get_status_display() if latest else '无'}{scheduled}），{state}"
        )
