"""Reads of seasons as data: the engine's Season for a stored version, the version an
application is decided under, the versions of a season."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from zhicheng.orgs.models import City
from zhicheng.policy import Season as PolicySeason
from zhicheng.policy.package import season_from_data
from zhicheng.policy.season import SeasonDataError, load_season

from .models import Season, SeasonVersion, VersionStatus

if TYPE_CHECKING:
    from zhicheng.applications.models import Application

# The same package data (the same SHA-256) always builds the same Season, so it is kept per
# process by hash: a page deciding a dossier reads the version's hash, not its data.
_ENGINE_SEASONS: dict[str, PolicySeason] = {}


def policy_season_of(version: SeasonVersion) -> PolicySeason:
    found = _ENGINE_SEASONS.get(version.sha256)
    if found is None:
        found = _ENGINE_SEASONS[version.sha256] = season_from_data(version.data)
    return found


def _policy_season_by_id(version_id: int) -> PolicySeason:
    sha = SeasonVersion.objects.filter(pk=version_id).values_list("sha256", flat=True).first()
    found = _ENGINE_SEASONS.get(sha or "")
    if found is None:
        found = policy_season_of(SeasonVersion.objects.get(pk=version_id))
    return found


def engine_version(application: Application) -> SeasonVersion | None:
    """The version an application is decided under: the one recorded at its submission, else
    the season's published version (a draft application follows corrections)."""
    if application.season_version_id is not None:
        return application.season_version
    return application.season.published_version


def policy_season_for(application: Application) -> PolicySeason:
    if application.season_version_id is not None:
        return _policy_season_by_id(application.season_version_id)
    return engine_season(application.season)


def engine_season(season: Season) -> PolicySeason:
    """The engine's Season of a stored season: its published version (a new application)."""
    if season.published_version_id is not None:
        return _policy_season_by_id(season.published_version_id)
    # A season stored before versions existed: the installed package of the same code.
    try:
        return load_season(season.code)
    except SeasonDataError:
        raise SeasonDataError(f"{season.name}尚未发布年度数据，暂不能判定申报条件。") from None


def versions_of(season: Season) -> QuerySet[SeasonVersion]:
    return season.versions.order_by("-number").defer("data")


def find_version(code: str, number: int | None = None) -> SeasonVersion:
    """`code` or `code@number`: that version, or the season's published one."""
    season = Season.objects.select_related("published_version").filter(code=code).first()
    if season is None:
        raise Season.DoesNotExist(f"没有年度“{code}”")
    if number is None:
        if season.published_version is None:
            raise SeasonVersion.DoesNotExist(f"{season.name}尚未发布任何版本")
        return season.published_version
    found = season.versions.filter(number=number).first()
    if found is None:
        raise SeasonVersion.DoesNotExist(f"{season.name}没有第{number}版")
    return found


def published_seasons() -> QuerySet[Season]:
    return Season.objects.filter(published_version__isnull=False).order_by("-year", "code")


def version_summary(version: SeasonVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "status": version.status,
        "status_label": version.get_status_display(),
        "published_on": version.published_on.isoformat() if version.published_on else None,
        "sha256": version.sha256,
        "note": version.note,
        "current": version.status == VersionStatus.PUBLISHED,
    }


def current_season(city: City | None = None) -> Season | None:
    """The current published season: of `city` when given, else of the installation (its
    only city's; with several cities, the newest current one)."""
    qs = Season.objects.filter(is_current=True).select_related("owner")
    if city is not None:
        qs = qs.filter(owner=city)
    return qs.order_by("-year", "code").first()


def cities_with_seasons() -> list[City]:
    """The cities a visitor may choose: those with at least one published season."""
    return list(
        City.objects.filter(seasons__published_version__isnull=False).distinct().order_by("name")
    )


def city_seasons(city: City | None) -> QuerySet[Season]:
    """Published seasons of a city (every published season when `city` is None), newest first."""
    qs = published_seasons().select_related("owner")
    return qs.filter(owner=city) if city is not None else qs


def past_seasons(city: City | None, current: Season | None) -> QuerySet[Season]:
    """往届: the city's published seasons other than its current one, newest first."""
    qs = city_seasons(city)
    return qs.exclude(pk=current.pk) if current is not None else qs
