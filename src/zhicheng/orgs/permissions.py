"""Role predicates every app uses (django-rules), and the permissions on reference data, which
belongs to the city title office. "Is this the city office?" is answered here and nowhere else."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import rules

from .models import Membership, Role

if TYPE_CHECKING:
    from zhicheng.accounts.models import User
    from zhicheng.core.actors import Actor


def is_active_user(actor: Actor | None) -> bool:
    """A signed-in, active person (the system actor and anonymous visitors are not)."""
    return bool(getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False))


@rules.predicate
def is_city_office(actor: Actor | None) -> bool:
    """An active member of the city title office (市职称办): the supervising role."""
    if not is_active_user(actor):
        return False
    person = cast("User", actor)  # is_active_user excluded the system and anonymous visitors
    return Membership.objects.filter(user=person, role=Role.CITY_OFFICE, active=True).exists()


def has_role_in(actor: Actor | None, role: str, organisation_id: int | None) -> bool:
    """An active member of `organisation_id` in `role` (unit HR, reviewer, committee office)."""
    if not is_active_user(actor) or organisation_id is None:
        return False
    person = cast("User", actor)
    return Membership.objects.filter(
        user=person, role=role, active=True, organisation_id=organisation_id
    ).exists()


REFERENCE_MODELS = {
    "orgs": ["district", "organisation", "membership"],
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
