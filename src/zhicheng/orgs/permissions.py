"""Role predicates every app uses (django-rules), and the permissions on reference data, which
belongs to the city title office. "Is this the city office?" is answered here and nowhere else."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

import rules
from django.db.models import Q

from zhicheng.orgs.models import City, District, Organisation

from .models import Membership, Role

if TYPE_CHECKING:
    from zhicheng.accounts.models import User
    from zhicheng.core.actors import Actor


def is_active_user(actor: Actor | None) -> bool:
    """A signed-in, active person (the system actor and anonymous visitors are not)."""
    return bool(getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False))


@rules.predicate
def is_city_office(actor: Actor | None, target: object = None) -> bool:
    """An active member of the city title office (市职称办): the supervising role. With a
    target of a city (a season, or anything belonging to one), an office of that city (an
    office that names no city serves the whole installation: the single-city case)."""
    if not is_active_user(actor):
        return False
    person = cast("User", actor)  # is_active_user excluded the system and anonymous visitors
    offices = Membership.objects.filter(user=person, role=Role.CITY_OFFICE, active=True)
    city = city_id_of(target)
    if city is None:
        return offices.exists()
    return offices.filter(Q(organisation__city_id=city) | Q(organisation__city__isnull=True)) \
        .exists()


def city_id_of(target: object) -> int | None:
    """The city a target belongs to: a season's owner, or the season of what it belongs to
    (an application, a plan, a meeting, a publicity, a certificate…), an organisation's or a
    district's city, the office of a committee or a sanction, the organisation of a
    membership; None when unknown (the whole installation)."""

    for _ in range(4):  # season ← application ← certificate / publicity / case
        if target is None:
            return None
        if isinstance(target, City):
            return target.pk
        if hasattr(target, "owner_id") and hasattr(target, "published_version_id"):
            return cast("int | None", target.owner_id)
        if isinstance(target, Organisation | District):
            return target.city_id
        if getattr(getattr(target, "_meta", None), "label_lower", "") == "accounts.user":
            # a person: the one city their active memberships serve (one query)
            cities = set(Membership.objects.filter(user=cast("User", target), active=True)
                         .values_list("organisation__city_id", flat=True))
            return next(iter(cities)) if len(cities) == 1 else None
        if getattr(target, "season_id", None) is not None:
            target = target.season  # type: ignore[attr-defined]
        elif getattr(target, "application_id", None) is not None:
            target = target.application  # type: ignore[attr-defined]
        elif getattr(target, "office_id", None) is not None:
            target = target.office  # type: ignore[attr-defined]
        elif getattr(target, "organisation_id", None) is not None:
            target = target.organisation  # type: ignore[attr-defined]
        elif hasattr(target, "season"):  # a season reached through a property
            target = target.season
        elif hasattr(target, "application"):
            target = target.application
        else:
            return None
    return None


def city_of_event(actor: Actor, target: object) -> int | None:
    """The city an audit event belongs to: its target's, else the one city the acting
    office serves (an official's sign-in, a change of shared reference data); None for the
    whole installation."""
    city = city_id_of(target)
    if city is not None or not is_active_user(actor):
        return city
    cities = set(Membership.objects.filter(user=cast("User", actor), active=True)
                 .values_list("organisation__city_id", flat=True))
    return next(iter(cities)) if len(cities) == 1 else None


_REMEMBERED: contextvars.ContextVar[dict[tuple[int, str, int], bool] | None] = (
    contextvars.ContextVar("zhicheng_remembered_roles", default=None))


@contextmanager
def remembered_roles() -> Iterator[None]:
    """Inside the block `has_role_in` answers each (person, role, organisation) once: for an
    operation that checks the same role on many rows in one transaction (the meeting's
    `record_results` fires a transition per applicant). Only within that one operation."""
    token = _REMEMBERED.set({})
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def has_role_in(actor: Actor | None, role: str, organisation_id: int | None) -> bool:
    """An active member of `organisation_id` in `role` (unit HR, reviewer, committee office)."""
    if not is_active_user(actor) or organisation_id is None:
        return False
    person = cast("User", actor)
    memo = _REMEMBERED.get()
    key = (int(person.pk), str(role), int(organisation_id))
    if memo is not None and key in memo:
        return memo[key]
    answer = Membership.objects.filter(
        user=person, role=role, active=True, organisation_id=organisation_id
    ).exists()
    if memo is not None:
        memo[key] = answer
    return answer


REFERENCE_MODELS = {
    "orgs": ["city", "district", "organisation", "membership"],
    "catalogue": ["series", "specialty", "title"],
    "seasons": ["season", "committeeplan", "datawarning", "notice"],
    "core": ["calendaryear", "calendarday"],
}
for app, models in REFERENCE_MODELS.items():
    for model in models:
        for verb in ("view", "add", "change", "delete"):
            rules.add_perm(f"{app}.{verb}_{model}", is_city_office)
    rules.add_perm(app, is_city_office)  # lets the admin index show the app
rules.add_perm("core.view_auditevent", is_city_office)
