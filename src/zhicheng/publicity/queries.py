"""Reads: public lists (never identity numbers, phones or addresses — those columns are not
even fetched) and the posting organisation's objections, scoped to the actor. Every list
fetches its related rows up front: a page runs a constant number of queries."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import router, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from zhicheng.accounts.models import User
from zhicheng.applications.models import Application
from zhicheng.catalogue.models import Series
from zhicheng.core.compiled import Compiled, Related, instances, kept, values_of
from zhicheng.core.parameters import ParameterMissing, parameter
from zhicheng.orgs.models import Membership, Organisation
from zhicheng.seasons.models import CommitteePlan, Season

from .models import KIND_FOR_STATE, POSTING_ROLE, Objection, ObjectionState, Publicity

logger = logging.getLogger(__name__)

# The only columns a public page reads. Anything else (the applicant's identity number,
# phone, email, birth date; the employer's phone and address) stays in the database.
PUBLIC_FIELDS = (
    "kind",
    "round",
    "first_day",
    "last_day",
    "required_workdays",
    "clause",
    "closed_at",
    "organisation__name",
    "application__specialty",
    "application__level",
    "application__freelancer",
    "application__applicant__full_name",
    "application__applicant__username",
    "application__employer__name",
    "application__series__name",
    "application__plan__specialty",
    "application__plan__office_name",
    "application__plan__phone",
    "application__season__year",
    "application__season__name",
)


_APPLICATION_PREFIX = "application__"


_PUBLICITY_COLUMNS = ("application", *(f for f in PUBLIC_FIELDS
                                         if not f.startswith(_APPLICATION_PREFIX)))


def _public_applications(*extra: str) -> QuerySet[Application]:
    """Applications with their public columns only (and `extra`), and their five rows."""
    return Application.objects.select_related(
        "applicant", "employer", "series", "plan", "season",
    ).only(*(f.removeprefix(_APPLICATION_PREFIX) for f in PUBLIC_FIELDS
             if f.startswith(_APPLICATION_PREFIX)), *extra)


def _with_public_columns(publicities: QuerySet[Publicity]) -> QuerySet[Publicity]:
    """`publicities` with their public columns only and their posting organisation; the
    applications and their rows in a second query for the page's entries only: one
    query joining all eight tables took PostgreSQL 30–80 ms to plan at 100,000
    applications, for 1–3 ms of execution (docs/performance.md, "Page budgets")."""
    return (
        publicities.select_related("organisation").only(*_PUBLICITY_COLUMNS)
        .prefetch_related(Prefetch("application", queryset=_public_applications()))
    )


def _public_base() -> QuerySet[Publicity]:
    return _with_public_columns(Publicity.objects.all())


def ended_visible_days(season: Any) -> int:
    """How long an ended publicity of `season` stays on the public list (calendar days, the
    season parameter `periods.publicity_ended_visible_days`, through the one accessor)."""

    return int(parameter(season, "periods.publicity_ended_visible_days").value)


def _window_start(season: Any, today: dt.date) -> dt.date | None:
    """The earliest last day of an ended publicity of `season` still listed on `today`; None
    when the season sets no display window (logged: it lists none that ended, never a
    failing page)."""
    try:
        days = ended_visible_days(season)
    except (ParameterMissing, TypeError, ValueError):
        logger.warning("season %s sets no periods.publicity_ended_visible_days", season.code)
        return None
    return today - dt.timedelta(days=days)


# How long each season keeps an ended publicity listed, read by every request of the public
# list (every season's parameters decoded for one number each). Kept in the cache and dropped
# when a season is saved or deleted (`forget_display_windows`, connected in apps.py; at once
# and again on commit, so a reader between the two cannot keep the old windows); expiry bounds
# any other path. (season id, code, name, {the parameter's entry} or None.)
WINDOWS_CACHE_KEY = "publicity:display-windows:v1"
WINDOWS_CACHE_SECONDS = 300
_WINDOW_PARAMETER = "periods.publicity_ended_visible_days"


@dataclass(frozen=True)
class _SeasonWindow:
    """What `ended_visible_days` reads of a season (`core.parameters`), and its name for
    the warning."""

    pk: int
    code: str
    name: str
    parameters: dict[str, Any]

    def __str__(self) -> str:
        return self.name  # as Season.__str__, for a missing parameter's message


def _season_windows() -> list[_SeasonWindow]:
    found: list[_SeasonWindow] | None = cache.get(WINDOWS_CACHE_KEY)
    if found is None:
        section, _dot, key = _WINDOW_PARAMETER.partition(".")
        found = []
        for pk, code, name, parameters in Season.objects.values_list(
                "pk", "code", "name", "parameters"):
            entry = (parameters or {}).get(section, {})
            window = ({section: {key: entry[key]}} if isinstance(entry, dict) and key in entry
                      else {})
            found.append(_SeasonWindow(pk, code, name, window))
        cache.set(WINDOWS_CACHE_KEY, found, WINDOWS_CACHE_SECONDS)
    return found


def forget_display_windows(**_kwargs: Any) -> None:
    cache.delete(WINDOWS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(WINDOWS_CACHE_KEY))


def _still_listed(today: dt.date) -> Q:
    """Running and upcoming publicities, and those ended within their season's display
    window (the seasons' windows from the cache, else one query)."""

    listed = Q(last_day__gte=today)
    for season in _season_windows():
        start = _window_start(season, today)
        if start is None:
            continue
        # A correlated EXISTS, not a join: PostgreSQL evaluates it only for the rows the
        # first test leaves out (ended ones), so counting the list needs no join with the
        # applications (the paginator's COUNT over a join was most of the page's SQL).
        listed |= Q(
            Exists(Application.objects.filter(pk=OuterRef("application_id"),
                                              season_id=season.pk)),
            last_day__gte=start,
        )
    return listed


def _listed(
    today: dt.date, *, kind: str | None = None, q: str = "", city: Any = None,
    season: Any = None,
) -> QuerySet[Publicity]:
    """The public list's publicities, filtered and in the list's order (no columns chosen)."""
    qs = Publicity.objects.filter(_still_listed(today))
    if season is not None:
        qs = qs.filter(application__season=season)
    elif city is not None:
        qs = qs.filter(application__season__owner=city)
    if kind:
        qs = qs.filter(kind=kind)
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(application__applicant__full_name__icontains=q)
            | Q(application__employer__name__icontains=q)
            | Q(application__specialty__icontains=q)
        )
    # Stored keys (kind_rank, sort_name: Publicity.save) so the index publicity_public_order
    # serves the order; the same order as kind, newest first, applicant's name, pk.
    return qs.order_by("kind_rank", "-first_day", "sort_name", "pk")


def public_publicities(
    today: dt.date, *, kind: str | None = None, q: str = "", city: Any = None,
    season: Any = None,
) -> QuerySet[Publicity]:
    """Running publicities, upcoming ones and those ended in the last few weeks, in the
    order of the procedure (unit, pre-evaluation, result), newest first within a kind; of
    one season when `season` is given (a past season's page, docs/seasons.md, 往届)."""
    return _with_public_columns(_listed(today, kind=kind, q=q, city=city, season=season))


# What a row of the public list reads, as `.values()` (rows.py): no model instances are built
# for a page (eight per entry with the application and its rows: ~40% of the page's CPU at
# 100,000 applications, profiled). Fewer columns than PUBLIC_FIELDS: the list shows neither
# the season nor the clause.
LIST_FIELDS = ("pk", "application_id", "kind", "first_day", "last_day", "required_workdays",
               "closed_at", "organisation__name")
LIST_APPLICATION_FIELDS = (
    "pk", "specialty", "level", "employer_id", "applicant__full_name", "applicant__username",
    "employer__name", "series__name", "plan__specialty", "plan__office_name",
)


def public_rows(
    today: dt.date, *, kind: str | None = None, q: str = "", city: Any = None,
    season: Any = None,
) -> QuerySet[Any]:
    """`public_publicities` as `.values(*LIST_FIELDS)`: the same rows in the same order."""
    return _listed(today, kind=kind, q=q, city=city, season=season).values(*LIST_FIELDS)


class PublicRows:
    """`public_rows(...)` for `core.pager.next_page`: a slice's rows from the query compiled
    once per thread for the same inputs (core.compiled.kept: the business date, the filters,
    the seasons' display windows, the slice), never for a search; its count (only for a page
    number past the end) from the ORM. Building and compiling the list's query was a fifth of
    the page's CPU (docs/performance.md, "Page budgets")."""

    ordered = True  # for Paginator: the order is _listed()'s

    def __init__(self, today: dt.date, *, kind: str | None = None, q: str = "",
                 city: Any = None, season: Any = None) -> None:
        self._args = (today, {"kind": kind, "q": q, "city": city, "season": season})
        self._key: tuple[Any, ...] | None = None
        if not q.strip():
            windows = tuple((w.pk, _window_start(w, today)) for w in _season_windows())
            self._key = ("publicity.public_rows", router.db_for_read(Publicity), today,
                         kind or "", getattr(city, "pk", None), getattr(season, "pk", None),
                         windows)

    def _rows(self) -> QuerySet[Any]:
        today, filters = self._args
        return public_rows(today, **filters)

    def count(self) -> int:
        return self._rows().count()

    def __getitem__(self, bounds: slice) -> list[dict[str, Any]]:
        if self._key is None:
            return list(self._rows()[bounds])
        return kept((*self._key, bounds.start, bounds.stop),
                    lambda: self._rows()[bounds]).rows()


def with_applications(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each entry with its application's public columns under "application": one query for
    the page's entries (none for an empty page, as the prefetch it replaces), compiled once
    per thread for the same entries (the list's first page, read by most visitors) and not
    prepared on the server (one statement per page)."""
    if entries:
        ids = tuple(sorted({e["application_id"] for e in entries}))
        found = {a["pk"]: a for a in kept(
            ("publicity.with_applications", router.db_for_read(Application), ids),
            lambda: Application.objects.filter(pk__in=ids).order_by()
            .values(*LIST_APPLICATION_FIELDS), prepare=False).rows()}
        for e in entries:
            e["application"] = found[e["application_id"]]
    return entries


def published_season(code: str) -> Season | None:
    """A published season by its code (the season a public list is narrowed to)."""
    if not code:
        return None
    return Season.objects.filter(code=code[:50], published_version__isnull=False).first()


# One entry's page reads its publicity and its application with PUBLIC_FIELDS (and the ids
# they join by) through two queries compiled once per thread with _STAND_IN for the ids
# (core.compiled): building and compiling the two querysets was a third of the page's view
# CPU (bench/load/page_budgets.py). The instances are those of the `.only()` querysets.
_STAND_IN = -987654321
ENTRY_FIELDS = ("id", "application_id", "kind", "round", "organisation_id", "first_day",
                "last_day", "required_workdays", "clause", "closed_at")
ENTRY_RELATED: list[Related] = [("organisation", Organisation, ("id", "name"))]
ENTRY_APPLICATION_FIELDS = ("id", "applicant_id", "season_id", "plan_id", "series_id",
                            "specialty", "level", "employer_id", "freelancer")
ENTRY_APPLICATION_RELATED: list[Related] = [
    ("applicant", User, ("id", "username", "full_name")),
    # the code and parameters: the season's display window (`_window_start`)
    ("season", Season, ("id", "code", "name", "year", "parameters")),
    ("plan", CommitteePlan, ("id", "specialty", "office_name", "phone")),
    ("series", Series, ("id", "name")),
    ("employer", Organisation, ("id", "name")),
]


def _entry_query(name: str) -> Compiled:
    def build() -> QuerySet[Any]:
        if name == "publicity":
            # The model's order and one row, as `.first()` took it.
            return Publicity.objects.filter(pk=_STAND_IN).values(
                *values_of(ENTRY_FIELDS, ENTRY_RELATED))[:1]
        return Application.objects.filter(pk=_STAND_IN).order_by().values(
            *values_of(ENTRY_APPLICATION_FIELDS, ENTRY_APPLICATION_RELATED))

    return kept(("publicity.entry", name, router.db_for_read(Publicity)), build,
                stand_in=_STAND_IN)


def public_publicity(pk: int, today: dt.date) -> Publicity | None:
    """One entry, while the public list would show it (not after the display window). Two
    queries: the entry, then its application with its rows and season, whose display window
    is checked here (`_still_listed`'s test for one entry, without reading every season)."""
    found = instances(_entry_query("publicity"), pk, Publicity, ENTRY_FIELDS, ENTRY_RELATED)
    if not found:
        return None
    publicity: Publicity = found[0]
    applications = instances(_entry_query("application"), publicity.application_id,
                             Application, ENTRY_APPLICATION_FIELDS, ENTRY_APPLICATION_RELATED)
    if not applications:  # as `.get()` (the foreign key protects it)
        raise Application.DoesNotExist
    application: Application = applications[0]
    if publicity.last_day < today:
        start = _window_start(application.season, today)
        if start is None or publicity.last_day < start:
            return None
    publicity.application = application
    return publicity


def public_batch(publicity: Publicity) -> list[Publicity]:
    """The batch a publicity was posted in, as its notice lists it: the same kind, posting
    office, plan row and period (the office posts one notice per batch), by name."""
    return list(
        _public_base().filter(
            kind=publicity.kind, organisation_id=publicity.organisation_id,
            application__plan_id=publicity.application.plan_id,
            first_day=publicity.first_day, last_day=publicity.last_day,
        ).order_by("application__applicant__full_name", "pk")
    )


def current_publicity(application: Application, kind: str | None = None) -> Publicity | None:
    """The latest round of `kind` (default: the kind implied by the application's state)."""
    kind = kind or KIND_FOR_STATE.get(application.state)
    if kind is None:
        return None
    return (
        Publicity.objects.filter(application=application, kind=kind)
        .annotate(
            open_objections=Count("objections", filter=Q(objections__state=ObjectionState.OPEN))
        )
        .order_by("-round")
        .first()
    )


def application_publicities(application: Application) -> QuerySet[Publicity]:
    """Every publicity of one application, with objection counts (for the review pages)."""
    return (
        Publicity.objects.filter(application=application)
        .select_related("organisation")
        .annotate(
            objection_count=Count("objections"),
            open_objections=Count("objections", filter=Q(objections__state=ObjectionState.OPEN)),
        )
        .order_by("opened_at", "pk")
    )


def posting_scope(user: Any) -> Q | None:
    """Publicities `user` posts (as unit HR or committee office), as a Q on Publicity;
    None when the user posts none at all (the objections pages are then 404). One query."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return None
    memberships = list(
        Membership.objects.filter(
            user=user, active=True, role__in=set(POSTING_ROLE.values())
        ).values_list("organisation_id", "role")
    )
    if not memberships:
        return None
    scope = Q(pk__in=[])
    for kind, role in POSTING_ROLE.items():
        orgs = [org for org, r in memberships if r == role]
        if orgs:
            scope |= Q(kind=kind, organisation_id__in=orgs)
    return scope


def objections_for(
    user: Any, *, state: str | None = ObjectionState.OPEN, scope: Q | None = None
) -> QuerySet[Objection]:
    """Objections on publicities posted by `user`'s organisations, oldest first."""
    scope = scope if scope is not None else posting_scope(user)
    if scope is None:
        return Objection.objects.none()
    publicities = Publicity.objects.filter(scope).values("pk")
    qs = Objection.objects.filter(publicity_id__in=publicities).select_related(
        "publicity",
        "publicity__organisation",
        "publicity__application",
        "publicity__application__applicant",
        "publicity__application__employer",
        "publicity__application__series",
        "publicity__application__plan",
        "resolved_by",
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("filed_at", "pk")
