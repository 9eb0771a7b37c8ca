"""`{% definitions "passed" "failed" %}`: the definitions of a section's figures, shown next
to them (supervision/definitions.py)."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from zhicheng.supervision.definitions import pick, table_keys

register = template.Library()


@register.simple_tag
def definitions(*keys: str) -> SafeString:
    return SafeString(render_to_string("supervision/_definitions.html",
                                       {"definitions": pick(*keys)}))


@register.simple_tag
def table_definitions(dimension: str) -> SafeString:
    """The definitions of a statistics table grouped by `dimension`."""

    return definitions(*table_keys(dimension))
