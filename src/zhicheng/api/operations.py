"""Every write to API tokens (the one door): creation and revocation, each audited.

A token reads "zc_<prefix>_<secret>"; only SHA-256 of the whole string is stored, so the
secret is shown once, when `create_token` returns it."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from zhicheng.core.actors import Actor, person_or_none
from zhicheng.core.operations import (
    NotPermitted,
    OperationError,
    StateConflict,
    has_permission,
    operation,
)
from zhicheng.orgs.models import Membership, Organisation, Role

from .models import ApiToken, Scope

TOKEN_START = "zc_"
WRITE_SCOPES = frozenset({Scope.REVIEWS_WRITE.value})
MAX_NAME = 80


# The longest a token may be valid (days): a credential must expire (docs/security.md).
MAX_TOKEN_DAYS = 3660

def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def split_token(raw: str) -> tuple[str, str] | None:
    """(prefix, whole) of a well-formed token, else None."""
    if not raw.startswith(TOKEN_START):
        return None
    parts = raw[len(TOKEN_START):].split("_", 1)
    if len(parts) != 2 or not parts[0] or not parts[1] or len(parts[0]) > 16:
        return None
    return parts[0], raw


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token string; shown once


def clean_scopes(scopes: Iterable[str]) -> list[str]:
    known = set(Scope.values)
    chosen = sorted({s.strip() for s in scopes if s.strip()})
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise OperationError(
            f"未知的权限范围：{'、'.join(unknown)}（可选：{'、'.join(Scope.values)}）。"
        )
    if not chosen:
        raise OperationError("请至少选择一项权限范围。")
    return chosen


def create_token(
    organisation: Organisation,
    actor: Actor,
    *,
    name: str,
    scopes: Iterable[str],
    user: Any = None,
    expires_at: dt.datetime | None = None,
) -> NewToken:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise OperationError(f"请填写令牌名称（不超过{MAX_NAME}个字）。")
    chosen = clean_scopes(scopes)
    if expires_at is not None and expires_at <= timezone.now():
        raise OperationError("有效期须晚于现在。")
    if expires_at is not None and expires_at > timezone.now() + dt.timedelta(days=MAX_TOKEN_DAYS):
        raise OperationError(f"有效期不能超过{MAX_TOKEN_DAYS}天。")
    with operation(
        actor, "api.token_create", target=organisation, permission="api.manage_tokens"
    ) as op:
        if user is not None:
            roles = set(
                Membership.objects.filter(
                    user=user, organisation=organisation, active=True, user__is_active=True
                ).exclude(role=Role.EXPERT).values_list("role", flat=True)
            )
            if not roles:
                raise OperationError(f"经办人“{user}”不是“{organisation}”的在职工作人员。")
        elif WRITE_SCOPES & set(chosen):
            raise OperationError("办理审核事项的令牌须指定经办人（审计记录写明由谁办理）。")
        prefix = secrets.token_hex(4)
        while ApiToken.objects.filter(prefix=prefix).exists():
            prefix = secrets.token_hex(4)
        raw = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
        creator = person_or_none(actor)
        token = ApiToken.objects.create(
            organisation=organisation, user=user, name=name, scopes=chosen, prefix=prefix,
            secret_hash=hash_token(raw), created_by=creator, created_by_label=str(actor),
            expires_at=expires_at,
        )
        op.obj = token
        op.summary = f"创建接口令牌“{name}”（{organisation}，{'、'.join(chosen)}）"
        op.data = {
            "organisation": organisation.pk, "prefix": prefix, "scopes": chosen,
            "user": getattr(user, "pk", None),
            "expires_at": expires_at.isoformat() if expires_at else None,
        }
    return NewToken(token=token, secret=raw)


def revoke_token(token: ApiToken, actor: Actor) -> ApiToken:
    with operation(actor, "api.token_revoke", target=token) as op:
        locked: ApiToken = op.obj
        if not has_permission(actor, "api.manage_tokens", locked.organisation):
            raise NotPermitted("您没有权限吊销该机构的接口令牌。")
        if locked.revoked_at is not None:
            raise StateConflict("该令牌已被吊销。")
        locked.revoked_at = timezone.now()
        locked.revoked_by_label = str(actor)[:150]
        locked.save(update_fields=["revoked_at", "revoked_by_label"])
        op.summary = f"吊销接口令牌“{locked.name}”（{locked.organisation}）"
        op.data = {"prefix": locked.prefix}
    return locked
