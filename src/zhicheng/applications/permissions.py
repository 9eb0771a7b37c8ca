"""Object permissions for applications (django-rules). Reads are scoped in queries.py; these
predicates answer "may this person do X to this object" for operations and views."""

from __future__ import annotations

from typing import Any

import rules

from zhicheng.orgs.models import Membership, Role

from .queries import delivery_scope
from .states import State


def _user_ok(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


@rules.predicate
def is_owner(user: Any, application: Any) -> bool:
    return _user_ok(user) and application is not None and application.applicant_id == user.pk


@rules.predicate
def is_unit_hr_of(user: Any, application: Any) -> bool:
    """The employer's HR sees its employees' applications once they are submitted."""
    if not _user_ok(user) or application is None or not application.employer_id:
        return False
    if application.state == State.DRAFT or application.submitted_at is None:
        return False
    return Membership.objects.filter(
        user=user, role=Role.UNIT_HR, active=True, organisation_id=application.employer_id
    ).exists()


@rules.predicate
def owns_profile(user: Any, profile: Any) -> bool:
    return _user_ok(user) and profile is not None and profile.user_id == user.pk


rules.add_perm("applications.view_application", is_owner | is_unit_hr_of)
# The state (draft only) is checked by the operations and the state machine, not here.
rules.add_perm("applications.change_application", is_owner)
rules.add_perm("applications.submit_application", is_owner)
rules.add_perm("applications.withdraw_application", is_owner)
rules.add_perm("applications.add_application", rules.is_authenticated)
rules.add_perm("applications.change_applicantprofile", owns_profile)
rules.add_perm("applications.add_applicantprofile", rules.is_authenticated)


@rules.predicate
def is_city_office_of_delivery(user: Any, delivery: Any) -> bool:
    """A city office overseeing this delivery (its city's application or person:
    queries.delivery_scope, the same rows the page lists)."""
    if not _user_ok(user) or delivery is None:
        return False
    return delivery_scope(user).filter(pk=delivery.pk).exists()


rules.add_perm("applications.resend_delivery", is_city_office_of_delivery)
