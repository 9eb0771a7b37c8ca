"""Reads of the accounts pages (the city office's second-factor reset)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, Q

from zhicheng.orgs.models import Membership
from zhicheng.orgs.queries import in_office_cities

from .models import User

PAGE_SIZE = 50


def officials_for_reset(q: str, office: Any = None) -> list[User]:
    """Officials (an active membership or staff), with their organisations and whether they
    have a second factor: three queries whatever the number. With `office` (a city office),
    only the officials of its cities (docs/seasons.md, 多城市)."""
    people = User.objects.filter(Q(memberships__active=True) | Q(is_staff=True))
    if office is not None:
        people = people.filter(in_office_cities(office, "memberships__organisation__city"))
    people = (
        people.distinct()
        .annotate(has_mfa=Exists(Authenticator.objects.filter(user_id=OuterRef("pk"))))
        .order_by("username")
    )
    if q:
        people = people.filter(Q(username__icontains=q) | Q(full_name__icontains=q)
                               | Q(email__icontains=q))
    found: list[User] = list(people[:PAGE_SIZE])
    roles: dict[int, list[str]] = {}
    for m in Membership.objects.filter(user__in=found, active=True).select_related(
            "organisation"):
        roles.setdefault(m.user_id, []).append(f"{m.organisation.short_name or m.organisation}"
                                               f"·{m.get_role_display()}")
    for person in found:
        person.role_list = roles.get(person.pk, [])  # type: ignore[attr-defined]
    return found
