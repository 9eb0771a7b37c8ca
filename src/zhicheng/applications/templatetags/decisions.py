"""The lists of a decision (findings, materials) as HTML built here rather than in the
template (applications/_decision.html keeps everything else).

The live pre-check renders a decision on every change of the form: through the template
language its 13 findings and 7 materials, each with `{% if %}` chains, `{% translate %}` and
`clause_url`, cost ~1 ms of the request's CPU (bench/load/page_budgets.py); here each item is
one format string filled with escaped values. The markup is the one the template's loops
had, byte for byte (tests/applications/test_decision_markup.py renders both). A decision is
an engine `Decision` (the pre-check) or a snapshot's dict (a submitted application's page):
each value is read as the template read it, a key before an attribute.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from zhicheng.portal.templatetags.portal import clause_url

register = template.Library()

_MISSING = object()


def _get(item: Any, name: str) -> Any:
    """`item.name` as the template language resolves it (a key first, then an attribute);
    `_MISSING` where it would render nothing."""
    try:
        return item[name]
    except (TypeError, AttributeError, KeyError, ValueError, IndexError):
        pass
    value = getattr(item, name, _MISSING)
    return value() if callable(value) else value


def _text(value: Any) -> str:
    """`{{ value }}`: escaped, nothing for a missing one."""
    return "" if value is _MISSING else str(conditional_escape(value))


def _clause_link(clause: Any) -> str:
    """`{{ clause|clause_url }}` (a missing clause is the filter's empty string)."""
    return str(conditional_escape(clause_url("" if clause is _MISSING else clause)))


_BADGES = {"fail": ("text-bg-danger", "不符合"), "needs_review": ("text-bg-warning", "需人工审核"),
           "pass": ("text-bg-success", "符合")}
_OTHER_BADGE = ("text-bg-secondary", "说明")

_FINDING = (
    '\n        <li class="list-group-item finding finding-{outcome}" data-rule="{rule}">\n'
    '          <span class="badge {badge}">{label}</span>\n'
    '          <a class="clause" href="{url}" target="_blank" rel="noopener">{clause}</a>\n'
    "          {message}\n"
    "        </li>\n      "
)


def _items(values: Any) -> Iterable[Any]:
    # What `{% for %}` iterates: nothing for a missing or empty value.
    return values if values else ()


@register.simple_tag
def decision_findings(findings: Any) -> SafeString:
    """`{% for f in decision.findings %}` … `{% endfor %}` of _decision.html."""
    words: dict[str, tuple[str, str]] = {}
    out = []
    for f in _items(findings):
        outcome = _get(f, "outcome")
        key = outcome if isinstance(outcome, str) and outcome in _BADGES else ""
        badge = words.get(key)
        if badge is None:  # each outcome's words translated once per decision
            css, label = _BADGES.get(key, _OTHER_BADGE)
            badge = words[key] = (css, str(conditional_escape(gettext(label))))
        clause = _get(f, "clause")
        out.append(_FINDING.format(
            outcome=_text(outcome), rule=_text(_get(f, "rule")), badge=badge[0],
            label=badge[1], url=_clause_link(clause), clause=_text(clause),
            message=_text(_get(f, "message")),
        ))
    return mark_safe("".join(out))  # every value above is escaped


def _material_items(materials: Any, item: Any) -> SafeString:
    """Each material of a decision's list as `item(material, its clause)` writes it."""
    return mark_safe("".join(item(m, _get(m, "clause")) for m in _items(materials)))  # escaped


@register.simple_tag
def decision_required_materials(materials: Any) -> SafeString:
    """`{% for m in decision.required_materials %}` … `{% endfor %}` of _decision.html."""
    return _material_items(materials, lambda m, clause: (
        f'<li>{_text(_get(m, "name"))}（<a href="{_clause_link(clause)}" target="_blank" '
        f'rel="noopener">{_text(clause)}</a>）</li>'))


@register.simple_tag
def decision_excluded_materials(materials: Any) -> SafeString:
    """`{% for m in decision.excluded_materials %}` … `{% endfor %}` of _decision.html."""
    return _material_items(materials, lambda m, clause: (
        f'<li>{_text(_get(m, "title"))}：{_text(_get(m, "reason"))}（<a '
        f'href="{_clause_link(clause)}">{_text(clause)}</a>）</li>'))
