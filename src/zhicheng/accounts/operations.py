"""Writes of real-name data, each through the operation door (one audit event).

The audit chain is kept forever and copied into reports, so it records identity numbers
masked, never in full (docs/accounts.md §Real-name data: numbers are stored once, on the user).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from zhicheng.core.actors import Actor, Outsider
from zhicheng.core.operations import NotPermitted, has_permission, operation

from .identity import Identity, mask_id
from .models import User


def _may_change(actor: Actor, user: User) -> bool:
    return bool(
        getattr(actor, "pk", None) == user.pk or has_permission(actor, "accounts.change_user")
    )


def register_identity(
    actor: Actor, user: User, identity: Identity, *, full_name: str, phone: str = ""
) -> User:
    """Record a person's real-name data (at sign-up, or by the city office on request)."""
    if not _may_change(actor, user):
        raise NotPermitted("您没有权限修改此人的实名信息。")
    with operation(actor, "accounts.identity.register", target=user) as op:
        obj: User = op.obj
        clash = (
            User.objects.filter(id_type=identity.id_type, id_number=identity.id_number)
            .exclude(pk=obj.pk)
            .exists()
        )
        if clash:
            raise ValidationError(
                {"id_number": "该证件号码已注册。如忘记账户，请使用“忘记密码”找回。"}
            )
        obj.full_name = full_name.strip()
        obj.id_type = identity.id_type
        obj.id_number = identity.id_number
        obj.birth_date = identity.birth_date
        obj.sex = identity.sex
        obj.foreign_permit_type = identity.foreign_permit_type
        obj.foreign_permit_number = identity.foreign_permit_number
        obj.phone = phone.strip()
        obj.full_clean(exclude=["password", "username", "email"])
        obj.save()
        op.summary = (
            f"登记实名信息：{obj.full_name}（{obj.get_id_type_display()} {mask_id(obj.id_number)}）"
        )
        op.data = {
            "id_type": obj.id_type,
            "id_number": mask_id(obj.id_number),
            "foreign_permit_type": obj.foreign_permit_type,
            "foreign_permit_number": mask_id(obj.foreign_permit_number),
            "birth_date": obj.birth_date,
            "sex": obj.sex,
        }
    user.refresh_from_db()
    return user


# --- authentication events (docs/security.md §Authentication in the audit) -------


class Visitor(Outsider):
    """The actor of an event before anyone is signed in (a failed login, a lockout)."""

    def __str__(self) -> str:
        return "访客"


VISITOR = Visitor()

# action → what the summary says (the audit shows Chinese; the action is for searching).
AUTH_EVENTS = {
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.lockout": "登录失败次数过多，账户暂时锁定",
    "auth.mfa_failed": "双重认证验证码错误",
    "auth.logout": "退出登录",
    "auth.password_changed": "修改密码",
    "auth.password_set": "设置密码",
    "auth.password_reset": "通过邮件重置密码",
    "auth.mfa_added": "启用双重认证",
    "auth.mfa_removed": "停用双重认证",
    "auth.mfa_reset": "重新生成恢复码",
    "auth.mfa_reset_by_office": "市职称办重置双重认证",
    "auth.session_expired": "会话超时，自动退出",
}


def record_authentication(action: str, *, user: User | None, client_address: str | None,
                          actor: Actor | None = None, detail: str = "",
                          data: dict[str, Any] | None = None) -> None:
    """One audit event for an authentication step, with the client's address. Never the
    password, the code typed or what the person typed as login name (it may be a password)."""
    label = AUTH_EVENTS[action]
    who = actor if actor is not None else (user if user is not None else VISITOR)
    # By primary key: request.user is a lazy proxy, and the door locks the real row.
    with operation(who, action, target=(User, user.pk) if user is not None else None) as op:
        account = f"：{user.get_username()}" if user is not None else "：未知账户"
        address = f"（地址 {client_address}）" if client_address else "（地址未知）"
        op.summary = f"{label}{account}{address}{detail}"
        op.data = {"client_address": client_address or "", **(data or {})}
