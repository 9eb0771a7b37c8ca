"""Template helpers: links to the notice's clauses and provenance of plan-table cells."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

from zhicheng.portal.clauses import clause_anchor
from zhicheng.portal.header import footer_html, header_html

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context: Any) -> SafeString:
    """base.html's bars (portal.header: built in Python, each value escaped there)."""
    return mark_safe(header_html(context))  # every value escaped by header_html


@register.simple_tag
def site_footer() -> SafeString:
    return mark_safe(footer_html())  # every value escaped by footer_html


# The notice's address per (URLconf, script prefix): a decision links every finding and
# required material to its clause (20 and more reverse() calls on the live pre-check).
_NOTICE_URLS: dict[tuple[Any, str], str] = {}


def _notice_url() -> str:
    key = (get_urlconf(), get_script_prefix())
    url = _NOTICE_URLS.get(key)
    if url is None:
        url = _NOTICE_URLS[key] = reverse("portal:notice_current")
    return url


@register.filter
def clause_url(citation: str) -> str:
    """``{{ "二（二）"|clause_url }}`` -> ``/notice/#clause-2-2`` (the notice's top if unknown)."""
    url = _notice_url()
    try:
        return f"{url}#{clause_anchor(str(citation))}"
    except ValueError:
        return url


@register.filter
def clause_url_in(citation: str, season: Any) -> str:
    """``{{ "附件"|clause_url_in:season }}``: the clause in that season's notice (a past
    season's own notice; the current notice for the current season)."""
    if season is None or getattr(season, "is_current", True):
        return clause_url(citation)
    url = reverse("portal:season_notice", args=[season.code])
    try:
        return f"{url}#{clause_anchor(str(citation))}"
    except ValueError:
        return url


@register.filter
def inferred(plan: Any, field: str) -> dict[str, Any] | None:
    """The inference record of a plan cell (``{"from_row": 49, "reason": …}``) or None."""
    provenance = getattr(plan, "provenance", None) or {}
    record = provenance.get(field)
    return record if isinstance(record, dict) else None


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``{{ labels|get_item:name }}``; None when missing."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
