"""Token authentication and per-token rate limits.

A request with `Authorization: Bearer zc_…` acts as the token's organisation: its roles are
the roles of the token's named user in that organisation, or, without a named user, every
role an active member holds there. Those roles feed the web's own scoped queries
(`reviews.queries.reviewable`), so the API sees exactly what the web shows."""

from __future__ import annotations

import hmac
import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from zhicheng.orgs.models import Membership, Organisation
from zhicheng.orgs.models import Role as OrgRole
from zhicheng.reviews.queries import Roles

from .models import ApiToken
from .operations import hash_token, split_token

# Roles that see dossiers; experts see only what a meeting gives them, never through the API.
API_ROLES = (
    OrgRole.CITY_OFFICE, OrgRole.PRELIMINARY_REVIEWER, OrgRole.COMMITTEE_OFFICE, OrgRole.UNIT_HR,
)
# How often last_used_at is written at most (seconds): bookkeeping, not an audited change.
TOUCH_EVERY = 60


class Unauthenticated(Exception):
    """No valid token: 401."""


class Throttled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass
class Principal:
    token: ApiToken
    organisation: Organisation
    user: Any
    roles: Roles

    def has_scope(self, scope: str) -> bool:
        return scope in (self.token.scopes or [])


def roles_for(token: ApiToken) -> Roles:
    memberships = Membership.objects.filter(
        organisation_id=token.organisation_id, active=True, role__in=API_ROLES
    )
    if token.user_id is not None:
        memberships = memberships.filter(user_id=token.user_id, user__is_active=True)
    roles = Roles()
    for role, city_id in set(memberships.values_list("role", "organisation__city_id")):
        roles.orgs[role].add(token.organisation_id)
        if role == OrgRole.CITY_OFFICE:
            roles.office_cities.add(city_id)  # the token's city (docs/seasons.md, 多城市)
    return roles


def authenticate(raw: str) -> Principal:
    parts = split_token(raw.strip())
    if parts is None:
        raise Unauthenticated
    prefix, whole = parts
    token = (
        ApiToken.objects.select_related("organisation", "user").filter(prefix=prefix).first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, hash_token(whole)):
        raise Unauthenticated
    if not token.is_usable():
        raise Unauthenticated
    if token.user is not None and not token.user.is_active:
        raise Unauthenticated
    roles = roles_for(token)
    if token.user_id is not None and not roles.any:
        # The named person left the organisation: the token stops working with them.
        raise Unauthenticated
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return Principal(token=token, organisation=token.organisation, user=token.user, roles=roles)


def rate_limit(bucket: str, limit: int, window: int) -> None:
    """A window of `window` seconds opened by the bucket's first request (cache-based, so it
    holds across processes with Redis); raises Throttled with the seconds left in it."""
    now = time.time()
    key = f"api:rate:{bucket}"
    if cache.add(key, 1, timeout=window):
        cache.set(f"{key}:start", now, timeout=window)
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            cache.set(key, 1, timeout=window)
            cache.set(f"{key}:start", now, timeout=window)
            count = 1
    if count > limit:
        start = cache.get(f"{key}:start") or now
        raise Throttled(max(1, math.ceil(float(start) + window - now)))


def token_rate() -> tuple[int, int]:
    limit, window = getattr(settings, "ZHICHENG_API_RATE", (600, 60))
    return int(limit), int(window)


def anonymous_rate() -> tuple[int, int]:
    limit, window = getattr(settings, "ZHICHENG_API_ANONYMOUS_RATE", (120, 60))
    return int(limit), int(window)


def bearer(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
