"""A job's scope when it names a season ({"season": id}): the season, its name for the pages,
or a Chinese refusal when it was deleted since the job started."""

from __future__ import annotations

from typing import Any

from zhicheng.core.operations import OperationError
from zhicheng.seasons.models import Season


def season_of(scope: dict[str, Any]) -> Season | None:
    season_id = scope.get("season")
    if not isinstance(season_id, int):
        return None
    return Season.objects.filter(pk=season_id).first()


def season_name(scope: dict[str, Any]) -> str:
    season = season_of(scope)
    return season.name if season else "（年度已删除）"


def require_season(scope: dict[str, Any]) -> Season:
    season = season_of(scope)
    if season is None:
        raise OperationError("该年度已不存在，任务未执行。")
    return season
