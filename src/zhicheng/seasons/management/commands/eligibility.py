from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, connection

from zhicheng.policy.cli import installed_season, main
from zhicheng.policy.season import SeasonDataError
from zhicheng.seasons.models import Season, SeasonVersion
from zhicheng.seasons.queries import find_version, policy_season_of


def stored_season(code: str, version: int | None) -> Any:
    """--season CODE[@VERSION]: a stored season's published (or numbered) version, else the
    installed package or package path of that name."""
    try:
        return policy_season_of(find_version(code, version))
    except Season.DoesNotExist:
        if version is not None:
            raise SeasonDataError(f"没有年度“{code}”") from None
        return installed_season(code, None)
    except SeasonVersion.DoesNotExist as missing:
        raise SeasonDataError(str(missing)) from None


class Command(BaseCommand):
    help = (
        "Eligibility decision for a profile: `zhicheng eligibility PROFILE.json [--text]` or "
        "`zhicheng eligibility --batch IN.jsonl [-o OUT.jsonl]`, under `--season CODE[@VERSION]` "
        "(a stored season version, see docs/seasons.md; default: the current published season)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*")

    def run_from_argv(self, argv: list[str]) -> None:
        # The policy CLI owns its arguments (and is Django-free); pass them through untouched.

        raise SystemExit(main(_with_default_season(argv[2:]), resolve=stored_season))

    def handle(self, *args: Any, **options: Any) -> None:

        raise SystemExit(main(_with_default_season(list(args)), resolve=stored_season))


def _with_default_season(args: list[str]) -> list[str]:
    """Without `--season`, the current published season (when exactly one city has one)."""
    if any(a == "--season" or a.startswith("--season=") for a in args):
        return args



    if connection.vendor == "sqlite" and not Path(str(connection.settings_dict["NAME"])).exists():
        return args  # no database yet (and none is created for a decision that needs none)
    try:
        current = list(
            Season.objects.filter(is_current=True, published_version__isnull=False)
            .values_list("code", flat=True)[:2]
        )
    except DatabaseError:  # no database yet: the installed package, as the policy CLI does
        return args
    return [*args, "--season", current[0]] if len(current) == 1 else args
