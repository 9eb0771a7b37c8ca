"""Scoped reads: the city office sees every sanction; a committee office only its own;
anyone else nothing (the pages then answer 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhicheng.orgs.models import Membership, Organisation
from zhicheng.orgs.models import Role as OrgRole

from .models import Sanction


def _roles(user: Any) -> tuple[bool, list[int]]:
    """(is city office, ids of the committee offices the user works for) in one query."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False, []
    rows = list(
        Membership.objects.filter(
            user_id=user.pk, active=True, role__in=[OrgRole.CITY_OFFICE, OrgRole.COMMITTEE_OFFICE]
        ).values_list("role", "organisation_id")
    )
    return (
        any(role == OrgRole.CITY_OFFICE for role, _ in rows),
        [org for role, org in rows if role == OrgRole.COMMITTEE_OFFICE],
    )


def sanctions_for(user: Any) -> tuple[bool, QuerySet[Sanction] | None]:
    """(is city office, the sanctions the user may see) — None when the user sees none."""
    is_city, offices = _roles(user)
    qs = Sanction.objects.select_related(
        "office", "committee", "meeting__committee", "decided_by", "reported_by", "ended_by"
    )
    if is_city:
        return True, qs
    if offices:
        return False, qs.filter(office_id__in=offices)
    return False, None


def committee_offices() -> QuerySet[Organisation]:
    """Organisations that run at least one committee (the possible targets)."""
    return Organisation.objects.filter(committees__isnull=False).distinct().order_by("name")
