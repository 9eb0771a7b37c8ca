"""Jurisdiction: one query per role — which organisations a member may see (and so whose
applications). Routing: which office pre-checks an employer's applications (四, 四（三）)."""

from __future__ import annotations

from typing import Any

from django.db import router
from django.db.models import Exists, Q, QuerySet

from zhicheng.core.prepared import INT_MARKERS, first_of, prepared

from .models import Membership, Organisation, OrgKind, Role


def _first_office(kind: str, district_id: int | None = None) -> Organisation | None:
    """The first organisation of this kind (in this district), as `.first()` reads it;
    compiled once (core.prepared): every submission routes through here."""
    read = prepared(
        ("orgs.first_office", kind, district_id is not None),
        lambda *district: first_of(Organisation.objects.filter(
            kind=kind, **({"district_id": district[0]} if district else {}))),
        router.db_for_read(Organisation),
        markers=INT_MARKERS[:1] if district_id is not None else (),
    )
    found = read.instances(*(() if district_id is None else (district_id,)))
    return found[0] if found else None


def talent_centre() -> Organisation | None:
    """The city's talent centre: a freelancer's and an agency-managed unit's reviewer."""
    return _first_office(OrgKind.TALENT_CENTRE)


def preliminary_reviewer_for(employer: Organisation) -> Organisation | None:
    """Agency-managed → talent centre; supervised → the department; else the district bureau."""
    if employer.agency_managed:
        return talent_centre()
    if employer.supervisor_id:
        return employer.supervisor
    if employer.district_id:
        return _first_office(OrgKind.DISTRICT_BUREAU, employer.district_id)
    return None


def employers_reviewed_by(reviewer: Organisation) -> Q:
    employers = Q(kind=OrgKind.EMPLOYER)
    if reviewer.kind == OrgKind.TALENT_CENTRE:
        return employers & Q(agency_managed=True)
    if reviewer.kind == OrgKind.CITY_DEPARTMENT:
        return employers & Q(agency_managed=False, supervisor=reviewer)
    if reviewer.kind == OrgKind.DISTRICT_BUREAU:
        return employers & Q(
            agency_managed=False, supervisor__isnull=True, district_id=reviewer.district_id
        )
    return Q(pk__in=[])


def jurisdiction(membership: Membership) -> QuerySet[Organisation]:
    """Organisations whose applications this membership may see."""
    orgs = Organisation.objects.select_related("district", "supervisor")
    if not membership.active:
        return orgs.none()
    match membership.role:
        case Role.CITY_OFFICE:
            return orgs.all()
        case Role.UNIT_HR:
            return orgs.filter(pk=membership.organisation_id)
        case Role.PRELIMINARY_REVIEWER:
            return orgs.filter(employers_reviewed_by(membership.organisation))
        case Role.COMMITTEE_OFFICE:
            # A committee office sees dossiers addressed to its plans, from any employer;
            # the application queries narrow that to its own plans.
            return orgs.filter(kind=OrgKind.EMPLOYER)
        case _:
            # Experts see only what a meeting gives them, never an organisation list.
            return orgs.none()


def office_city_ids(user: Any) -> set[int] | None:
    """The cities a person's city-office memberships serve; None: the whole installation
    (an office that names no city, the single-city case). One query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    ids = set(
        Membership.objects.filter(user=user, active=True, role=Role.CITY_OFFICE)
        .values_list("organisation__city_id", flat=True)
    )
    return None if None in ids else ids


def in_office_cities(user: Any, field: str) -> Q:
    """`field` (a path to a City, e.g. "season__owner") within the cities the person's
    city-office memberships serve, or naming no city (a season stored without one belongs to
    the whole installation); everything for an office naming no city. Subqueries of the
    caller's query: no query of its own."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    offices = Membership.objects.filter(user=user, active=True, role=Role.CITY_OFFICE)
    return (
        Q(Exists(offices.filter(organisation__city__isnull=True)))
        | Q(**{f"{field}__in": offices.values("organisation__city_id")})
        | Q(**{f"{field}__isnull": True})
    )


def memberships_of(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, active=True).select_related("organisation")
