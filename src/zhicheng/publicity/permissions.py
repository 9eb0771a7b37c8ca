"""Object permissions (django-rules): only members of the posting organisation, in the role
that posts that kind of publicity, may resolve its objections (四（二）、四（四）)."""

from __future__ import annotations

from typing import Any

import rules

from zhicheng.orgs.models import Membership

from .models import POSTING_ROLE, Objection, Publicity


def _user_ok(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_posting_member(user: Any, publicity: Publicity | None) -> bool:
    """Is `user` an active member of the organisation that posted `publicity`, in its role?"""
    if publicity is None or not _user_ok(user):
        return False
    return Membership.objects.filter(
        user=user,
        active=True,
        organisation_id=publicity.organisation_id,
        role=POSTING_ROLE[publicity.kind],
    ).exists()


@rules.predicate
def posts_the_publicity(user: Any, obj: Any) -> bool:
    if isinstance(obj, Objection):
        return is_posting_member(user, obj.publicity)
    if isinstance(obj, Publicity):
        return is_posting_member(user, obj)
    return False


rules.add_perm("publicity.resolve_objection", posts_the_publicity)
rules.add_perm("publicity.view_objection", posts_the_publicity)
