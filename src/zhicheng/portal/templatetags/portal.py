"""Template helpers: links to the notice's clauses and provenance of plan-table cells."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from zhicheng.portal.clauses import clause_anchor

register = template.Library()


@register.filter
def clause_url(citation: str) -> str:
    """``{{ "二（二）"|clause_url }}`` -> ``/notice/#clause-2-2`` (the notice's top if unknown)."""
    url = reverse("portal:notice_current")
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
