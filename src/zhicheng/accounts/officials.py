"""Who is an official, and whether they have their second factor (docs/accounts.md)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator

from zhicheng.orgs.models import Membership


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
