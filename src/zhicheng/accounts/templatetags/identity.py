"""`{% load identity %}{{ user.id_number|mask_id }}` — the only way a template shows an ID."""

from django import template

from zhicheng.accounts.identity import mask_id as _mask_id
from zhicheng.accounts.identity import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_id(value: str | None) -> str:
    return _mask_id(value)


@register.filter
def mask_phone(value: str | None) -> str:
    return _mask_phone(value)
