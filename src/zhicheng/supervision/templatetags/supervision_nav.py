"""The nav links to the supervision pages (dashboard, sanctions, audit log), for members of
the city title office."""

from __future__ import annotations

from typing import Any

from django import template

from zhicheng.supervision.access import is_city_office

register = template.Library()


@register.simple_tag(takes_context=True)
def shows_supervision(context: Any) -> bool:
    """City-office accounts are staff (they run the admin); only they cost a query, once
    per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_staff", False):
        return False
    cached = getattr(request, "_zc_city_office", None)
    if cached is None:
        cached = is_city_office(user)
        request._zc_city_office = cached
    return bool(cached)
