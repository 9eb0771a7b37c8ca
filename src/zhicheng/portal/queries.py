"""Reads for the public portal. Each returns a prefetched queryset (or plain values), so a
page runs a constant number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable, CombinedExpression

from zhicheng.catalogue.models import Series
from zhicheng.seasons.models import CommitteePlan, DataWarning, Notice, Season

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


def current_season() -> Season | None:
    return Season.objects.filter(is_current=True).first()


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


def published_notices() -> QuerySet[Notice]:
    return Notice.objects.filter(published=True).select_related("season").order_by("-date", "-pk")


def notice(slug: str) -> Notice | None:
    return published_notices().filter(slug=slug).first()


def season_notice(season: Season | None) -> Notice | None:
    if season is None:
        return None
    return published_notices().filter(season=season).first()
