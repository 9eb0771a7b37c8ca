"""Validation of an objection's fields, shared by the form and the operation."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from zhicheng.accounts.identity import validate_phone

NAME_MAX = 64
CONTACT_MAX = 120
TEXT_MAX = 2000


def validate_contact(value: str) -> str:
    """A phone number (mobile, landline with area code, or +international) or an email."""
    contact = re.sub(r"[\s\u3000]", "", value or "")
    if not contact:
        raise ValidationError("请填写联系方式（电话或电子邮箱），以便核实和答复。", code="required")
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            raise ValidationError(
                "电子邮箱格式不正确，例如：name@example.com。", code="email"
            ) from None
        return contact
    try:
        validate_phone(contact)
    except ValidationError:
        raise ValidationError(
            "联系方式应为有效的电话号码（11位手机号，或带区号的固定电话如0518-85551234）"
            "或电子邮箱。",
            code="contact",
        ) from None
    return contact


def clean_objection(name: str, contact: str, text: str) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    text = (text or "").strip()
    if len(name) > NAME_MAX:
        errors["name"] = f"姓名不能超过{NAME_MAX}个字符。"
    try:
        contact = validate_contact(contact)
    except ValidationError as exc:
        errors["contact"] = exc.messages[0]
    if len(contact) > CONTACT_MAX:
        errors["contact"] = f"联系方式不能超过{CONTACT_MAX}个字符。"
    if not text:
        errors["text"] = "请填写异议内容：反映的问题和可供核实的事实。"
    elif len(text) > TEXT_MAX:
        errors["text"] = f"异议内容不能超过{TEXT_MAX}字（当前{len(text)}字）。"
    if errors:
        raise ValidationError(errors)
    return name, contact, text
