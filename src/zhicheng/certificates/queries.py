"""Reads of certificates, already scoped to the actor."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import router
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone

from zhicheng.applications.models import Application
from zhicheng.applications.states import State
from zhicheng.core.audit import pending_count
from zhicheng.core.models import AuditHead
from zhicheng.core.prepared import first_of, prepared
from zhicheng.evaluation.models import Case
from zhicheng.orgs.permissions import is_city_office
from zhicheng.orgs.queries import in_office_cities

from .models import Certificate, CertificateStatus
from .signing import sign_revocation_list


def holder_certificates(user: Any) -> QuerySet[Certificate]:
    if not getattr(user, "is_authenticated", False):
        return Certificate.objects.none()
    return (Certificate.objects.filter(holder=user).select_related("application__season")
            .order_by("-issue_date", "-pk"))


def holder_certificate(user: Any, number: str) -> Certificate | None:
    return holder_certificates(user).filter(number=number).first()


def approved_for_issue(user: Any) -> QuerySet[Application]:
    """Approved results waiting for a certificate (city title office only), each with the
    核准备案文号 of the meeting that evaluated it (`filed_approval`, "" if none)."""
    if not is_city_office(user):
        return Application.objects.none()
    latest = Case.objects.filter(application=OuterRef("pk")).order_by("-meeting__date", "-pk")
    return (
        Application.objects.filter(state=State.APPROVED)
        .filter(in_office_cities(user, "season__owner"))
        .select_related("applicant", "series", "plan", "season")
        .annotate(filed_approval=Subquery(latest.values("meeting__approval_number")[:1]))
        .order_by("pk")
    )


def office_certificates(user: Any) -> QuerySet[Certificate]:
    if not is_city_office(user):
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(in_office_cities(user, "application__season__owner"))
        .select_related("application").order_by("-issue_date", "-pk")
    )


# What the verification page shows of a certificate (certificates/verify.html) and what the
# answer reads (its status); not the signed payload, the signature or the evidence, nor the
# application's other columns.
VERIFY_COLUMNS = (
    "id", "number", "holder_name", "id_masked", "series_name", "specialty", "title_name",
    "level", "route", "round_label", "committee", "approval_number", "passed_on",
    "qualification_date", "issuing_authority", "issue_date", "status", "revoked_on",
    "revocation_category", "revocation_decision_number",
    "application__id", "application__season__id", "application__season__name",
)
_NUMBER_MARKER, _NAME_MARKER = "\x00verify-number", "\x00verify-name"  # (core.prepared)


def verifiable(qs: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """Certificates as the verification page reads them (its season shown)."""
    return qs.select_related("application__season").only(*VERIFY_COLUMNS)


def lookup(number: str, name: str) -> Certificate | None:
    """Public lookup: both the number and the holder's name must match. Compiled once
    (core.prepared): every verification by number asks it."""
    number, name = number.strip().upper(), name.strip()
    if not number or not name:
        return None
    found = prepared(
        ("certificates.lookup",),
        lambda n, h: first_of(verifiable(Certificate.objects.filter(number=n, holder_name=h))),
        router.db_for_read(Certificate), markers=(_NUMBER_MARKER, _NAME_MARKER),
    ).instances(number, name)
    return found[0] if found else None


def revocation_entries() -> list[dict[str, Any]]:
    return [
        {
            "number": c.number,
            "revoked_on": c.revoked_on.isoformat() if c.revoked_on else "",
            "category": c.revocation_category,
            "category_label": str(c.get_revocation_category_display()),
        }
        for c in Certificate.objects.filter(status=CertificateStatus.REVOKED).order_by(
            "revoked_on", "number"
        )
    ]


def revocation_list(now: dt.datetime | None = None) -> dict[str, Any]:
    """The signed revocation list as published now. Its sequence is the audit chain's head
    when it is signed, counting the events committed but not yet chained (a revocation is an
    audited write, so a list made after a revocation always has a higher sequence, even in
    the moment before the sequencer chains its event); it is valid for
    ZHICHENG_REVOCATION_LIST_HOURS."""
    now = now or timezone.now()
    head = AuditHead.objects.filter(id=1).first()
    pending = pending_count()
    hours = int(getattr(settings, "ZHICHENG_REVOCATION_LIST_HOURS", 24))
    return sign_revocation_list(revocation_entries(), issued_at=now,
                                sequence=(head.seq if head is not None else 0) + pending,
                                next_update=now + dt.timedelta(hours=hours))


def seasons_with_certificates(user: Any) -> list[tuple[Any, int]]:
    """The seasons of the office's cities with valid certificates, each with their number:
    what the bulk zip of the office page can pack (one query)."""
    if not is_city_office(user):
        return []
    rows = (
        Certificate.objects.filter(in_office_cities(user, "application__season__owner"),
                                   status="valid")
        .values("application__season_id", "application__season__name")
        .annotate(n=Count("pk")).order_by("-application__season_id")
    )
    return [(SimpleNamespace(pk=r["application__season_id"], name=r["application__season__name"]),
             r["n"]) for r in rows]
