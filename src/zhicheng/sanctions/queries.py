"""Scoped reads: the city office sees the sanctions of its city's committee offices (docs/
seasons.md, 多城市); a committee office only its own; anyone else nothing (the pages then
answer 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhicheng.evaluation.models import Committee, Meeting
from zhicheng.orgs.models import Membership, Organisation
from zhicheng.orgs.models import Role as OrgRole
from zhicheng.orgs.queries import in_office_cities

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
        return True, qs.filter(in_office_cities(user, "office__city"))
    if offices:
        return False, qs.filter(office_id__in=offices)
    return False, None


def committee_offices(user: Any = None) -> QuerySet[Organisation]:
    """Organisations that run at least one committee (the possible targets), of the city
    office's cities when `user` is given."""
    qs = Organisation.objects.filter(committees__isnull=False).distinct().order_by("name")
    return qs if user is None else qs.filter(in_office_cities(user, "city"))


def committees_for(user: Any) -> QuerySet[Committee]:
    """The committees whose office is in the city office's cities."""
    return Committee.objects.select_related("office").filter(
        in_office_cities(user, "office__city"))


def voidable_meetings(user: Any, states: Any) -> QuerySet[Meeting]:
    """Meetings in `states` of the city office's cities (by the meeting's season)."""
    return Meeting.objects.filter(state__in=states).select_related("committee").filter(
        in_office_cities(user, "season__owner"))
