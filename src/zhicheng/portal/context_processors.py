"""The navigation bars of base.html (zhicheng.portal.navigation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import navigation, queries


def nav(request: HttpRequest) -> dict[str, Any]:
    """Lazy: a page that never renders the bar (an export, a PDF) costs no query."""
    return {
        "public_nav": SimpleLazyObject(navigation.public_links),
        "work_nav": SimpleLazyObject(lambda: navigation.for_request(request)),
        "site_title": SimpleLazyObject(lambda: site_title(request)),
        "several_cities": SimpleLazyObject(lambda: queries.several_cities(request)),
    }


def site_title(request: HttpRequest) -> str:
    """The site's name: the visitor's city's (云湖市职称评审), or a neutral one while several
    cities run seasons and none is chosen."""
    city = queries.visitor_city(request)
    if city is None:
        return _("职称评审")
    name = city.name_en if city.name_en and (get_language() or "").startswith("en") else city.name
    return _("%(city)s职称评审") % {"city": name}
