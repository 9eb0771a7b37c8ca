"""Writes of real-name data, each through the operation door (one audit event).

The audit chain is kept forever and copied into reports, so it records identity numbers
masked, never in full (docs/accounts.md §Real-name data: numbers are stored once, on the user).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from zhicheng.core.operations import NotPermitted, has_permission, operation

from .identity import Identity, mask_id
from .models import User


def _may_change(actor: Any, user: User) -> bool:
    return bool(
        getattr(actor, "pk", None) == user.pk or has_permission(actor, "accounts.change_user")
    )


def register_identity(
    actor: Any, user: User, identity: Identity, *, full_name: str, phone: str = ""
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
