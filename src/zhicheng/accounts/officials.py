"""Who is an official, and whether they have their second factor (docs/accounts.md)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.db import connections, router

from zhicheng.applications.models import ApplicantProfile, Application
from zhicheng.evaluation.models import Expert
from zhicheng.orgs.models import Membership
from zhicheng.reviews.queries import remember_roles, roles_from


def is_official(user: Any) -> bool:
    """Every role is an official's role; applicants have no (active) membership.

    Staff and superusers count as officials too: they reach the admin, the most powerful
    door of all, and must not do so with a password alone.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(user_id=user.pk, active=True).exists()


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def needs_mfa_setup(user: Any) -> bool:
    return is_official(user) and not has_totp(user)


# The request's person as the work bar needs them (portal.navigation): in the expert pool,
# started as an applicant. Read with the memberships (`_memberships_and_facts`), kept on the
# request: (is an expert, has applied).
PERSON_FACTS = "_zc_person_facts"


def request_needs_mfa_setup(request: Any) -> bool:
    """`needs_mfa_setup(request.user)`, asked on every signed-in request: the active
    memberships and the TOTP state in one query instead of two, and the memberships kept on
    the request for the page and its work bar (reviews.queries.request_roles), which would
    otherwise read them again; the same query answers the work bar's two other questions
    (`PERSON_FACTS`). As strict as `needs_mfa_setup`: read afresh on every request,
    nothing kept between requests. Plain SQL: the ORM spent ~1.5 ms of CPU building this
    query, ten times its cost in the database (docs/performance.md, "Page budgets")."""
    user = request.user
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return needs_mfa_setup(user)
    expert, applied, rows = _memberships_and_facts(user.pk)
    setattr(request, PERSON_FACTS, (expert, applied))
    remember_roles(request, roles_from(rows))
    if rows:  # an official by membership
        return not rows[0][3]
    if user.is_staff or user.is_superuser:
        return not has_totp(user)
    return False


def _memberships_and_facts(user_id: int) -> tuple[bool, bool, list[tuple[Any, ...]]]:
    """(is in the expert pool, has a profile or an application, and per active membership
    (role, organisation id, its city id, has a TOTP authenticator) as
    `reviews.queries.roles_of` and `has_totp` read them). One row of facts joined to the
    memberships: always at least one row, the membership columns NULL when there is none."""
    membership = Membership._meta
    organisation = Membership._meta.get_field("organisation").related_model._meta
    authenticator = Authenticator._meta
    db = connections[router.db_for_read(Membership)]
    qn = db.ops.quote_name
    sql = (
        f"SELECT f.expert, f.applied, m.{qn('role')}, m.{qn('organisation_id')}, "
        f"o.{qn('city_id')}, "
        f"EXISTS(SELECT 1 FROM {qn(authenticator.db_table)} a "
        f"WHERE a.{qn('user_id')} = m.{qn('user_id')} AND a.{qn('type')} = %s) "
        f"FROM (SELECT EXISTS(SELECT 1 FROM {qn(Expert._meta.db_table)} "
        f"WHERE {qn('user_id')} = %s) AS expert, "
        f"(EXISTS(SELECT 1 FROM {qn(ApplicantProfile._meta.db_table)} "
        f"WHERE {qn('user_id')} = %s) OR EXISTS(SELECT 1 FROM {qn(Application._meta.db_table)} "
        f"WHERE {qn('applicant_id')} = %s)) AS applied) f "
        f"LEFT JOIN ({qn(membership.db_table)} m INNER JOIN {qn(organisation.db_table)} o "
        f"ON o.{qn('id')} = m.{qn('organisation_id')}) "
        f"ON m.{qn('user_id')} = %s AND m.{qn('active')}"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, [Authenticator.Type.TOTP.value, *[user_id] * 4])
        found = cursor.fetchall()
    expert, applied = bool(found[0][0]), bool(found[0][1])
    return expert, applied, [tuple(row[2:]) for row in found if row[2] is not None]
