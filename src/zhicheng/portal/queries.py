"""Reads for the public portal. Each returns a prefetched queryset (or plain values), so a
page runs a constant number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable, CombinedExpression
from django.http import HttpRequest

from zhicheng.catalogue.models import Series
from zhicheng.orgs.models import City, Membership
from zhicheng.seasons import queries as season_queries
from zhicheng.seasons.models import CommitteePlan, DataWarning, Notice, Season

# The city a visitor chose (docs/seasons.md, 多城市): kept in the session.
CITY_SESSION_KEY = "zhicheng_city"
_CHOSEN = "_zhicheng_city"

SORTS = ("row", "office", "acceptance")


@dataclass(frozen=True)
class PlanFilters:
    series: str = ""
    office: str = ""
    month: int | None = None
    q: str = ""
    sort: str = "row"

    @property
    def active(self) -> bool:
        return bool(self.series or self.office or self.month or self.q)


def cities(request: HttpRequest) -> list[City]:
    """Cities with a published season (read once per request)."""
    found: list[City] | None = getattr(request, "_zhicheng_cities", None)
    if found is None:
        found = season_queries.cities_with_seasons()
        setattr(request, "_zhicheng_cities", found)  # noqa: B010  (a per-request memo)
    return found


def visitor_city(request: HttpRequest) -> City | None:
    """The city whose pages a visitor reads: the only city with a published season, else the
    one chosen on the home page (session), else None (the home page offers the choice).
    A page of one season (`/seasons/<code>/…`) sets its season's city (`show_city`)."""
    if hasattr(request, _CHOSEN):
        chosen: City | None = getattr(request, _CHOSEN)
        return chosen
    known = cities(request)
    if len(known) == 1:
        chosen = known[0]
    else:
        session = getattr(request, "session", None)
        code = session.get(CITY_SESSION_KEY) if session is not None else None
        chosen = next((c for c in known if c.code == code), None)
        if chosen is None and code is None:
            # A signed-in official who chose nothing reads the city they serve.
            served = served_city_id(getattr(request, "user", None))
            chosen = next((c for c in known if c.pk == served), None)
    setattr(request, _CHOSEN, chosen)
    return chosen


def served_city_id(user: Any) -> int | None:
    """The city of the organisation a signed-in person serves (their first one naming a city)."""

    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=user, active=True, organisation__city__isnull=False)
        .order_by("pk").values_list("organisation__city_id", flat=True).first()
    )


def show_city(request: HttpRequest, city: City | None) -> None:
    setattr(request, _CHOSEN, city)


def several_cities(request: HttpRequest) -> bool:
    return len(cities(request)) > 1


def city_filter(request: HttpRequest) -> City | None:
    """The city public lists are narrowed to: only while several cities have seasons (a
    single-city installation reads exactly as before cities existed)."""
    return visitor_city(request) if several_cities(request) else None


def current_season(request: HttpRequest | None = None) -> Season | None:
    """The current season of the visitor's city; None while several cities have seasons and
    the visitor has chosen none."""
    if request is None or not several_cities(request):
        return season_queries.current_season()
    city = visitor_city(request)
    return season_queries.current_season(city) if city is not None else None


def published_season(code: str) -> Season | None:
    """A published season by code (the current one or a past one: 往届)."""
    return season_queries.published_seasons().select_related("owner").filter(code=code).first()


def past_seasons(request: HttpRequest, current: Season | None) -> list[Season]:
    city = city_filter(request)
    if city is None and several_cities(request):
        return []
    return list(season_queries.past_seasons(city, current))


def plans(season: Season, filters: PlanFilters | None = None) -> QuerySet[CommitteePlan]:
    f = filters or PlanFilters()
    qs = (
        CommitteePlan.objects.filter(season=season)
        .select_related("season")
        .prefetch_related("series")
    )
    if f.series:
        qs = qs.filter(series__code=f.series)
    if f.office:
        qs = qs.filter(office_name=f.office)
    if f.month:
        qs = qs.annotate(in_month=F("acceptance_mask").bitand(1 << f.month)).filter(in_month__gt=0)
    if f.q:
        qs = qs.filter(
            Q(specialty__icontains=f.q) | Q(office_name__icontains=f.q) | Q(address__icontains=f.q)
        )
    if f.sort == "office":
        # Rows without a printed office go last.
        qs = qs.annotate(
            no_office=Case(When(office_name="", then=Value(1)), default=Value(0))
        ).order_by("no_office", "office_name", "row")
    elif f.sort == "acceptance":
        # mask & -mask is the lowest set bit, i.e. the first acceptance month; unstated last.
        qs = qs.annotate(
            unstated=Case(When(acceptance_mask=0, then=Value(1)), default=Value(0)),
            first_month=CombinedExpression(
                F("acceptance_mask"), Combinable.BITAND, F("acceptance_mask") * Value(-1)
            ),
        ).order_by("unstated", "first_month", "row")
    else:
        qs = qs.order_by("row")
    return qs


def plan_rows(season: Season) -> list[int]:
    return list(CommitteePlan.objects.filter(season=season).values_list("row", flat=True))


def missing_ranges(rows: list[int]) -> list[tuple[int, int]]:
    """Gaps in the row numbering, e.g. [(21, 40)]."""
    present = sorted(set(rows))
    return [(a + 1, b - 1) for a, b in zip(present, present[1:], strict=False) if b - a > 1]


def office_names(season: Season) -> list[str]:
    return list(
        CommitteePlan.objects.filter(season=season)
        .exclude(office_name="")
        .order_by("office_name")
        .values_list("office_name", flat=True)
        .distinct()
    )


def series_choices(season: Season) -> QuerySet[Series]:
    """Series some plan of the season covers; every series while no plan carries one."""
    used = Series.objects.filter(plans__season=season).distinct()
    return used if used.exists() else Series.objects.all()


def open_plans(season: Season, day: dt.date) -> QuerySet[CommitteePlan]:
    if day.year != season.year:
        return CommitteePlan.objects.none()
    return plans(season, PlanFilters(month=day.month))


def upcoming_plans(season: Season, day: dt.date) -> list[tuple[int, list[CommitteePlan]]]:
    """The next months (after `day`, same year) in which some window opens, with its plans."""
    if day.year != season.year or day.month == 12:
        return []
    later_mask = sum(1 << m for m in range(day.month + 1, 13))
    now_bit = 1 << day.month
    starting = (
        plans(season)
        .annotate(later=F("acceptance_mask").bitand(later_mask))
        .filter(later__gt=0)
        .annotate(now=F("acceptance_mask").bitand(now_bit))
        .filter(now=0)
    )
    by_month: dict[int, list[CommitteePlan]] = {}
    for plan in starting:
        month = plan.opens_after(day)
        if month is not None:
            by_month.setdefault(month, []).append(plan)
    return sorted(by_month.items())[:2]


def data_warnings(season: Season, rows: QuerySet[Any] | None = None) -> QuerySet[DataWarning]:
    """Open warnings first; the missing rows and suspect phones before the blank fields.
    With `rows` (a filtered table), only the warnings about those rows."""
    weight = Case(
        When(field="row", then=Value(0)), When(field="phone", then=Value(1)), default=Value(2)
    )
    found = DataWarning.objects.filter(season=season)
    if rows is not None:
        found = found.filter(row__in=rows).exclude(field="row")
    return (
        found
        .annotate(weight=weight)
        .order_by("resolved", "weight", "row", "field")
    )


def published_notices(city: City | None = None) -> QuerySet[Notice]:
    """Published notices; with `city`, those of its seasons and those of no season."""
    qs = Notice.objects.filter(published=True).select_related("season")
    if city is not None:
        qs = qs.filter(Q(season__owner=city) | Q(season__isnull=True))
    return qs.order_by("-date", "-pk")


def notice(slug: str) -> Notice | None:
    return published_notices().filter(slug=slug).first()


def season_notice(season: Season | None) -> Notice | None:
    if season is None:
        return None
    return published_notices().filter(season=season).first()
