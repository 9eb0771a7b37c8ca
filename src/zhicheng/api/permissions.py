"""Who may create and revoke an organisation's API tokens: its officials (any active role
but expert) and the city title office for every organisation."""

from __future__ import annotations

from typing import Any

import rules

from zhicheng.orgs.models import Membership, Role

OFFICIAL_ROLES = (Role.CITY_OFFICE, Role.PRELIMINARY_REVIEWER, Role.COMMITTEE_OFFICE, Role.UNIT_HR)


def _user_ok(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


@rules.predicate
def manages_tokens_of(user: Any, organisation: Any) -> bool:
    if not _user_ok(user) or organisation is None:
        return False
    memberships = Membership.objects.filter(user=user, active=True)
    if memberships.filter(role=Role.CITY_OFFICE).exists():
        return True
    return memberships.filter(organisation=organisation, role__in=OFFICIAL_ROLES).exists()


rules.add_perm("api.manage_tokens", manages_tokens_of)
