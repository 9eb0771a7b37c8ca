"""Writes of real-name data, each through the operation door (one audit event).

The audit chain is kept forever and copied into reports, so it records identity numbers
masked, never in full (docs/accounts.md §Real-name data: numbers are stored once, on the user).
"""

from __future__ import annotations

import logging
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction

from zhicheng.core.actors import Actor, Outsider
from zhicheng.core.operations import (
    NotPermitted,
    OperationError,
    has_permission,
    operation,
    require_permission,
)

from .identity import Identity, mask_id, mask_phone
from .models import User
from .permissions import RESET_REFUSAL


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


# --- the city office resets a lost second factor (docs/accounts.md) ----------------------


def reset_second_factor(actor: Actor, user: User, *, reason: str,
                        client_address: str | None) -> int:
    """Remove every authenticator of an official (TOTP and recovery codes) so that the next
    login asks them to set up a new one; audited with the reason, and the official is told
    by e-mail. Returns how many authenticators were removed."""



    require_permission(actor, "accounts.reset_second_factor", user, RESET_REFUSAL)
    reason = " ".join((reason or "").split())
    if not reason:
        raise OperationError("请填写重置原因（例如：手机丢失，已电话核实本人身份）。")
    if len(reason) > 200:
        raise OperationError("重置原因不能超过200个字。")
    if getattr(actor, "pk", None) == user.pk:
        raise OperationError("不能重置本人的双重认证，请由市职称办的其他工作人员办理。")
    with operation(actor, "auth.mfa_reset_by_office", target=(User, user.pk),
                   permission="accounts.reset_second_factor", refusal=RESET_REFUSAL) as op:
        removed, _detail = Authenticator.objects.filter(user_id=user.pk).delete()
        if not removed:
            raise OperationError("该工作人员尚未启用双重认证，无需重置。")
        # Every open session of the official ends at its next request (accounts.sessions).
        from django.utils import timezone

        User.objects.filter(pk=user.pk).update(sessions_revoked_at=timezone.now())
        address = f"（地址 {client_address}）" if client_address else "（地址未知）"
        op.summary = (f"{AUTH_EVENTS['auth.mfa_reset_by_office']}：{user.get_username()}"
                      f"{address}；原因：{reason}")
        op.data = {"client_address": client_address or "", "reason": reason,
                   "removed": removed}
    if user.email:
        transaction.on_commit(lambda: _tell_reset(user, reason))
    return int(removed)


def _tell_reset(user: User, reason: str) -> None:


    try:
        send_mail(
            "[职称评审] 您的双重认证已被市职称办重置",
            f"{user.full_name or user.get_username()}：\n\n"
            f"市职称办已重置您账户（{user.get_username()}）的双重认证，原因：{reason}。\n"
            "您下次登录时须用手机上的身份验证器应用重新完成设置；原来的验证码和恢复码已失效。\n"
            "如果这不是您本人申请的，请立即联系市职称办。\n",
            settings.DEFAULT_FROM_EMAIL, [user.email],
        )
    except Exception:  # the reset stands; the audit event records it either way
        logging.getLogger(__name__).warning("second-factor reset mail to user %s failed",
                                            user.pk)


NOTIFY_PREFERENCES = "accounts.notify_preferences"


def set_notify_preferences(actor: Actor, user: User, *, channels: str, phone: str) -> User:
    """我的账户: how notifications reach this person (e-mail, SMS, both) and the mobile
    number for SMS. The audit records the number masked."""
    if not _may_change(actor, user):
        raise NotPermitted("您没有权限修改此人的通知方式。")
    with operation(actor, NOTIFY_PREFERENCES, target=(User, user.pk)) as op:
        obj: User = op.obj
        obj.notify_channels = channels
        obj.phone = phone
        obj.save(update_fields=["notify_channels", "phone"])
        op.summary = f"通知方式：{obj.get_notify_channels_display() or '默认'}"
        op.data = {"notify_channels": channels, "phone": mask_phone(phone)}
    return obj
