"""The rendered plan page's body (the filter form, the table and the data warnings of
/plans/ and of a past season's plan page), cached per season, page, language, day and filter
query; and the season's part of the home page. They change only when a plan, a data warning
or a series of the season changes (the home page also when a season, a city or a notice
does): a generation number per season, bumped by the signals below (at once, and again when
the change commits, so a reader that rendered the old rows in between cannot keep them), is
part of the key, so an edit shows at once; entries also expire after `TIMEOUT` seconds. Only
the bounded set of choice filters is cached (every parameter a known choice field with a
valid value, no free-text search), so junk or endless search strings cannot fill the
cache."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import QueryDict
from django.utils.translation import get_language

from zhicheng.catalogue.models import Series
from zhicheng.orgs.models import City
from zhicheng.seasons.models import CommitteePlan, DataWarning, Notice, Season

TIMEOUT = 600
CHOICE_FIELDS = frozenset({"series", "office", "month", "sort"})  # PlanFilterForm's choices


def _generation_key(season_id: int) -> str:
    return f"portal:plans:generation:{season_id}"


def generation(season_id: int) -> int:
    value = cache.get(_generation_key(season_id))
    return int(value) if value is not None else 0


def bump(season_id: int) -> None:
    _bump(season_id)
    transaction.on_commit(lambda: _bump(season_id))


def _bump(season_id: int) -> None:
    key = _generation_key(season_id)
    try:
        cache.incr(key)
    except ValueError:  # not there yet (or evicted): any new value differs from the old keys
        cache.set(key, generation(season_id) + 1, None)


def results_key(
    season: Season, query: QueryDict, today: dt.date, *, cacheable: bool, page_url: str = ""
) -> str | None:
    searching = any(v.strip() for v in query.getlist("q"))  # the form always sends q, often ""
    if not cacheable or searching or set(query) - CHOICE_FIELDS - {"q"}:
        return None  # a search, an invalid value or an unknown parameter: rendered anew
    canonical = page_url + "?" + "&".join(
        f"{k}={v}" for k, v in sorted(query.lists(), key=lambda kv: kv[0]))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    return (f"portal:plans:v2:{season.pk}:{generation(season.pk)}:{get_language()}:"
            f"{today.isoformat()}:{digest}")


def home_key(season: Season, today: dt.date, *, several_cities: bool) -> str:
    """The season's part of the home page: per season, language and day (the countdowns),
    and whether the city chooser's link shows."""
    return (f"portal:home:v1:{season.pk}:{generation(season.pk)}:{get_language()}:"
            f"{today.isoformat()}:{int(several_cities)}")


def cached(key: str | None) -> Any:
    return cache.get(key) if key else None


def store(key: str | None, parts: dict[str, str] | str) -> None:
    if key:
        cache.set(key, parts, TIMEOUT)


@receiver(post_save, sender=CommitteePlan)
@receiver(post_delete, sender=CommitteePlan)
def _plan_changed(sender: Any, instance: CommitteePlan, **kwargs: Any) -> None:
    bump(instance.season_id)


@receiver(m2m_changed, sender=CommitteePlan.series.through)
def _plan_series_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, CommitteePlan):
        bump(instance.season_id)
    else:  # a series changed its plans: bump every season concerned
        for season_id in set(CommitteePlan.objects.filter(
                pk__in=kwargs.get("pk_set") or ()).values_list("season_id", flat=True)):
            bump(season_id)


@receiver(post_save, sender=Season)
@receiver(post_delete, sender=Season)
@receiver(post_save, sender=City)
@receiver(post_delete, sender=City)
@receiver(post_save, sender=Notice)
@receiver(post_delete, sender=Notice)
def _site_changed(sender: Any, **kwargs: Any) -> None:
    # The home page lists the city's other seasons (往届), its notice and the city chooser:
    # any season, city or notice change drops every season's entries (such changes are rare).
    for season_id in Season.objects.values_list("pk", flat=True):
        bump(season_id)


@receiver(post_save, sender=DataWarning)
@receiver(post_delete, sender=DataWarning)
def _warning_changed(sender: Any, instance: DataWarning, **kwargs: Any) -> None:
    bump(instance.season_id)  # the warnings under the table (resolved, added, removed)


@receiver(post_save, sender=Series)
@receiver(post_delete, sender=Series)
def _series_changed(sender: Any, instance: Series, **kwargs: Any) -> None:
    # A renamed series shows in the filter's choices and the table of every season.
    _site_changed(sender)
