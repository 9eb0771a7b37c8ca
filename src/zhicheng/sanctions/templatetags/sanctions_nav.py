"""Nav links to the sanctions and the audit log, for members of the city title office.

City-office accounts are staff (they run the admin): only staff cost a query, once per
request (shared with the supervision link's cache)."""

from __future__ import annotations

from typing import Any

from django import template

from zhicheng.integrity.operations import is_city_office

register = template.Library()


@register.simple_tag(takes_context=True)
def shows_city_office_links(context: Any) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_staff", False):
        return False
    cached = getattr(request, "_zc_city_office", None)
    if cached is None:
        cached = is_city_office(user)
        request._zc_city_office = cached
    return bool(cached)
