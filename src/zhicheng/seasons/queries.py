"""Reads of seasons as data: the engine's Season for a stored version, the version an
application is decided under, the versions of a season."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet

from zhicheng.applications.models import Application
from zhicheng.integrity.queries import PREFETCHED_RECORDS, integrity_for_policy
from zhicheng.orgs.models import City
from zhicheng.orgs.queries import in_office_cities
from zhicheng.policy import Season as PolicySeason
from zhicheng.policy import evaluate
from zhicheng.policy.decision import Decision
from zhicheng.policy.package import PackageProblem, season_from_data, validate
from zhicheng.policy.profile import Profile
from zhicheng.policy.sample import profiles
from zhicheng.policy.season import SeasonDataError, load_season

from .doctemplates import Template, from_row
from .models import DocumentTemplate, Season, SeasonVersion, VersionStatus

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
    """The engine's Season of a stored season: its published version (a new application).
    No query when the season was read with its published version (its hash: the data may
    be deferred) and that version's Season is built already."""
    if season.published_version_id is not None:
        version = cast("SeasonVersion | None", Season.published_version.field.get_cached_value(
            season, default=None))
        if version is not None and version.sha256 in _ENGINE_SEASONS:
            return _ENGINE_SEASONS[version.sha256]
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


# Every page asks which cities have seasons (the site's title, the city choice): a list that
# changes only when a season is published or a city renamed, so it is kept in the cache and
# dropped by the signals of seasons.signals, at once and again when the change commits (a
# reader between the two cannot keep the old list). Expiry bounds any other path.
CITIES_CACHE_KEY = "seasons:cities-with-seasons:v1"
CITIES_CACHE_SECONDS = 300


def cities_with_seasons() -> list[City]:
    """The cities a visitor may choose: those with at least one published season."""
    found: list[City] | None = cache.get(CITIES_CACHE_KEY)
    if found is None:
        found = list(
            City.objects.filter(seasons__published_version__isnull=False)
            .distinct().order_by("name")
        )
        cache.set(CITIES_CACHE_KEY, found, CITIES_CACHE_SECONDS)
    return found


def forget_cities_with_seasons() -> None:
    cache.delete(CITIES_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CITIES_CACHE_KEY))


def city_seasons(city: City | None) -> QuerySet[Season]:
    """Published seasons of a city (every published season when `city` is None), newest first."""
    qs = published_seasons().select_related("owner")
    return qs.filter(owner=city) if city is not None else qs


def past_seasons(city: City | None, current: Season | None) -> QuerySet[Season]:
    """往届: the city's published seasons other than its current one, newest first."""
    qs = city_seasons(city)
    return qs.exclude(pk=current.pk) if current is not None else qs


# --- the city office's lifecycle pages ----------------------------------------------------
SAMPLE_PROFILES = 40  # synthetic profiles of policy.sample decided on the diff page


def lifecycle_seasons(user: Any = None) -> list[Season]:
    """Every season (of the city office's cities, given `user`) with its versions (data left
    out), newest first: two queries."""
    seasons = Season.objects.all() if user is None else Season.objects.filter(
        in_office_cities(user, "owner"))
    return list(
        seasons.order_by("-year", "code").prefetch_related(
            Prefetch("versions", queryset=SeasonVersion.objects.defer("data").order_by("-number"))
        )
    )


def comparison_base(version: SeasonVersion) -> SeasonVersion | None:
    """What a draft is compared with: its season's published version (a correction), else the
    published version of the season it was derived from."""
    season = version.season
    if season.published_version_id is not None and season.published_version_id != version.pk:
        return season.published_version
    origin = version.data.get("manifest", {}).get("package", {}).get("derived_from")
    if origin:
        found = Season.objects.select_related("published_version").filter(code=origin).first()
        if found is not None:
            return found.published_version
    return None


def draft_problems(version: SeasonVersion) -> list[PackageProblem]:
    problems = validate(version.data)
    try:
        if not [p for p in problems if p.severity == "error"]:
            season_from_data(version.data)
    except SeasonDataError as exc:
        problems.append(PackageProblem("season.toml", str(exc)))
    return problems


# At most this many submitted applications of the compared season are decided twice on the
# decision-diff page (its queries do not grow with them; the engine's time does).
DIFF_APPLICATIONS = 1000


@dataclass(frozen=True)
class RuleChange:
    clause: str
    old: str  # the finding's message under the base version ("" when the rule did not run)
    new: str
    old_outcome: str
    new_outcome: str


@dataclass(frozen=True)
class ProfileChange:
    who: str
    source: str  # "sample" | "application"
    old_verdict: str
    new_verdict: str
    because: list[RuleChange]


@dataclass
class DecisionDiff:
    base: SeasonVersion
    years: int
    decided: int = 0
    samples: int = 0
    applications: int = 0
    changes: list[ProfileChange] = field(default_factory=list)


def _moved(payload: dict[str, Any], years: int) -> dict[str, Any]:
    """The same person applying `years` later (only the application date moves)."""
    moved = copy.deepcopy(payload)
    request = moved.get("request", {})
    day = request.get("application_date")
    if day and years:
        when = dt.date.fromisoformat(day)
        try:
            when = when.replace(year=when.year + years)
        except ValueError:
            when = when.replace(year=when.year + years, day=28)
        request["application_date"] = when.isoformat()
    return moved


def _because(old: Decision, new: Decision) -> list[RuleChange]:
    before, after = old.outcomes(), new.outcomes()
    by_rule_old = {f.rule: f for f in old.findings}
    by_rule_new = {f.rule: f for f in new.findings}
    order = {"info": 0, "pass": 1, "needs_review": 2, "fail": 3}
    out = []
    for rule in sorted(set(before) | set(after), key=lambda r: -order[after.get(r, "info")]):
        if before.get(rule) == after.get(rule):
            continue
        o, n = by_rule_old.get(rule), by_rule_new.get(rule)
        worst_new = [f for f in new.findings if f.rule == rule and f.outcome == after.get(rule)]
        worst_old = [f for f in old.findings if f.rule == rule and f.outcome == before.get(rule)]
        n = worst_new[0] if worst_new else n
        o = worst_old[0] if worst_old else o
        cited = n or o
        out.append(RuleChange(
            clause=cited.clause if cited is not None else "",
            old=o.message if o else "", new=n.message if n else "",
            old_outcome=before.get(rule, ""), new_outcome=after.get(rule, ""),
        ))
    return out


def decision_diff(version: SeasonVersion, limit: int = DIFF_APPLICATIONS) -> DecisionDiff | None:
    """Decide a set of profiles under the draft and under its comparison base and list those
    whose verdict changes, with the findings that differ. The set: the first SAMPLE_PROFILES
    synthetic profiles of `policy.sample` (seed 2024) and the submitted applications of the
    base season (at most `limit`), each applying `years` later under the draft. A constant
    number of queries whatever the number of applications: their profiles, employers,
    materials and integrity records are read in four queries (`tests/load`)."""
    # applications.profiles imports this module (the season an application is decided under).
    from zhicheng.applications.profiles import profile_payload, request_of

    base = comparison_base(version)
    if base is None:
        return None
    draft_engine = season_from_data(version.data)
    base_engine = policy_season_of(base)
    years = version.season.year - base.season.year
    diff = DecisionDiff(base=base, years=years)
    cases: list[tuple[str, str, dict[str, Any]]] = [
        (f"样例申报人{i + 1}", "sample", p) for i, p in enumerate(profiles(SAMPLE_PROFILES))
    ]
    diff.samples = len(cases)
    apps = list(
        Application.objects.filter(season=base.season, submitted_at__isnull=False)
        .select_related("applicant__applicant_profile__employer", "series", "plan", "season")
        .prefetch_related("materials", Prefetch(
            "applicant__integrity_records", queryset=integrity_for_policy(),
            to_attr=PREFETCHED_RECORDS))
        .order_by("pk")[:limit]
    )
    for app in apps:
        profile = getattr(app.applicant, "applicant_profile", None)
        if profile is None:
            continue
        cases.append((str(app.applicant), "application",
                      profile_payload(profile, request_of(app), app)))
    diff.applications = len(cases) - diff.samples
    for who, source, payload in cases:
        try:
            old = evaluate(Profile.model_validate(payload), base_engine)
            new = evaluate(Profile.model_validate(_moved(payload, years)), draft_engine)
        except (ValueError, SeasonDataError):
            continue
        diff.decided += 1
        if old.verdict != new.verdict:
            diff.changes.append(ProfileChange(who, source, old.verdict, new.verdict,
                                              _because(old, new)))
    return diff


def document_template(season: Season | None, kind: str) -> Template:
    """The template of `kind` the documents of `season` print with (docs/documents.md
    §Document templates): the season's stored row, else the latest row of an earlier season
    of the same city, else the defaults. One query."""
    if season is None:
        return from_row(kind, None)
    mine = Q(season=season)
    if season.owner_id is not None:
        mine |= Q(season__owner_id=season.owner_id, season__year__lt=season.year)
    row = (DocumentTemplate.objects.filter(mine, kind=kind)
           .order_by("-season__year", "-pk").first())
    return from_row(kind, row)
