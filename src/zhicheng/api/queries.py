"""Reads of API tokens, scoped to the official: the tokens of the organisations they may
manage (the city title office: all), with related rows fetched up front."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhicheng.orgs.models import Membership, Organisation, Role

from .models import ApiToken
from .permissions import OFFICIAL_ROLES


def manageable_organisations(user: Any) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Organisation.objects.none()
    memberships = Membership.objects.filter(user=user, active=True)
    if memberships.filter(role=Role.CITY_OFFICE).exists():
        return Organisation.objects.all().order_by("kind", "name")
    return Organisation.objects.filter(
        pk__in=memberships.filter(role__in=OFFICIAL_ROLES).values("organisation_id")
    ).order_by("kind", "name")


def tokens_for(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(
        organisation__in=manageable_organisations(user)
    ).select_related("organisation", "user").order_by("organisation__name", "-created_at", "pk")


def token_members(organisations: QuerySet[Organisation]) -> QuerySet[Membership]:
    """People a token may name: active officials of these organisations."""
    return (
        Membership.objects.filter(organisation__in=organisations, active=True,
                                  role__in=OFFICIAL_ROLES, user__is_active=True)
        .select_related("user", "organisation").order_by("organisation__name", "user__username")
    )
