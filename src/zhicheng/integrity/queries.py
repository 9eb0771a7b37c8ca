"""Reads of the integrity archive."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import router
from django.db.models import Exists, OuterRef, QuerySet

from zhicheng.core.prepared import prepared

from .models import POLICY_KIND, IntegrityRecord


def person_records(person: Any) -> QuerySet[IntegrityRecord]:
    return IntegrityRecord.objects.filter(person=person).exclude(subject_kind="unit")


def running_for_person(person: Any, day: dt.date) -> QuerySet[IntegrityRecord]:
    return person_records(person).filter(start__lte=day, end__gte=day)


# A person's records read ahead for many people at once: prefetch
# `integrity_records` with `integrity_for_policy()` into this attribute.
PREFETCHED_RECORDS = "policy_integrity_records"


# An annotation naming whether the person has records at all, read with another row (the
# profile a decision reads, with a submission's locking read or a pre-check's profile): a
# profile read with it false spares the decision the records' query (most people have none).
HAS_RECORDS = "person_has_integrity_records"


def has_records(person_ref: str) -> Exists:
    """Whether the person `person_ref` (an OuterRef path to a user id) has records."""
    return Exists(person_records(OuterRef(person_ref)))


def integrity_for_policy() -> QuerySet[IntegrityRecord]:
    return IntegrityRecord.objects.exclude(subject_kind="unit").order_by("start", "pk")


def _records_of(person_id: int) -> list[IntegrityRecord]:
    """`person_records(person).order_by("start", "pk")`, compiled once (core.prepared): every
    decision of an application reads it."""
    return prepared(
        ("integrity.person_records",),
        lambda pk: person_records(pk).order_by("start", "pk"),
        router.db_for_read(IntegrityRecord),
    ).instances(person_id)


def policy_records(person: Any) -> list[dict[str, Any]]:
    """The person's records as the policy engine's `IntegrityRecord` dicts. A record bars
    applying until it ends (`barred_until`), so the integrity rule refuses while it runs.
    No query when they were prefetched (`PREFETCHED_RECORDS`)."""
    prefetched: list[IntegrityRecord] | None = getattr(person, PREFETCHED_RECORDS, None)
    records = prefetched if prefetched is not None else _records_of(person.pk)
    return [
        {
            "kind": POLICY_KIND.get(r.reason, "other"),  # type: ignore[call-overload]
            "recorded_on": r.start.isoformat(),
            "barred_until": r.end.isoformat(),
            "description": f"{r.get_reason_display()}（{r.decision_number}）",
        }
        for r in records
    ]
