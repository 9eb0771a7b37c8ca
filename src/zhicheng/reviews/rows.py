"""The rows of the worklist page, as HTML built here rather than in the template.

A page shows 50 rows of 11 cells; through the template language each cell's variables, date
filters, `{% url %}`, `{% translate %}` and `clause_url` cost ~0.5 ms a row, over half of the
page's CPU at 100,000 applications (profiled with bench/load/profile.py; docs/performance.md,
"Page budgets"). Here each row is one format string filled with escaped values, and what is
the same on every row (the translated words, the dossier URL's shape, a clause's link) is
worked out once per page. The markup is the one the template had, byte for byte; the
template keeps everything else of the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from zhicheng.applications.states import State
from zhicheng.catalogue.models import Level
from zhicheng.core.markup import escape_text
from zhicheng.portal.clauses import clause_anchor

from .scope import Deadline

# The values a row reads (the page's slice of `worklist(...)`, as `.values(*ROW_FIELDS)`): no
# model instances are built for the page (eight per row with the related rows).
ROW_FIELDS = (
    "pk", "state", "level", "freelancer", "received_at", "season_id", "employer_id",
    "applicant__full_name", "applicant__username", "employer__name", "plan__row",
    "plan__specialty", "due_date", "last_publicity_end", "returns", "viewed",
)

_ROW = (
    '<tr class="worklist-row{danger}" data-due="{due_iso}">\n'
    "      {select}\n"
    '      <td><a href="{url}">{name}</a></td>\n'
    "      <td>{employer}</td>\n"
    "      <td>{plan}</td><td>{level}</td>\n"
    '      <td><span class="badge {badge} stage">{stage}</span></td>\n'
    '      <td class="received">{received}</td>\n'
    '      <td class="due">{due}</td>\n'
    '      <td class="left">{left}</td>\n'
    "      <td>{returns}</td><td>{viewed}</td>\n"
    "    </tr>"
)
_PK = 987654321  # stands for the row's id in the dossier URL, reversed once per page


@dataclass
class Row:
    """One worklist row: its sort keys and its deadline, then its HTML (`html`)."""

    values: dict[str, Any]
    received: dt.date | None
    deadline: Deadline
    html: SafeString = mark_safe("")

    @property
    def pk(self) -> int:
        return int(self.values["pk"])


# What the pages share in one language under one URLconf and script prefix (the URLs): each
# state's label and the rows' words (`_Words`), made once; translations and URLs do not change
# while the process runs (19 state translations, the level labels, seven words and two URLs were
# ~0.3 ms of CPU a page).
_SHARED: dict[tuple[str, Any, str], tuple[dict[str, str], _Words]] = {}


def _shared() -> tuple[dict[str, str], _Words]:
    key = (get_language() or "", get_urlconf(), get_script_prefix())
    found = _SHARED.get(key)
    if found is None:
        states = {value: str(label) for value, label in State.choices}
        found = _SHARED[key] = (states, _Words(states))
    return found


def state_labels() -> dict[str, str]:
    """Each state's label in the request's language: read once a page by the deadlines, the
    rows and the state filter (a copy: the caller may change it)."""
    return dict(_shared()[0])


class _Words:
    """What every row of one page shares, in the language of the request."""

    def __init__(self, states: dict[str, str]) -> None:
        self.url = reverse("reviews:dossier", args=[_PK])
        self.notice = reverse("portal:notice_current")
        # str() first: escape() of a lazy label stays lazy, translated again on every row.
        self.levels = {value: escape_text(label) for value, label in Level.choices}
        self.states = states
        # `{% translate "…" %}` of a literal: the template does not escape the catalogue's word.
        self.select = gettext("选择")
        self.freelancer = gettext("自由职业")
        self.system = gettext("系统设定")
        self.ended = gettext("公示已结束")
        self.today = gettext("今日到期")
        self.overdue = gettext("已逾期%(n)s个工作日")
        self.left = gettext("剩%(n)s个工作日")
        self._translated: dict[str, str] = {}
        self._clauses: dict[str, str] = {}

    def translate(self, text: str) -> str:
        """`{% translate text %}` of a variable: the catalogue's word, escaped."""
        found = self._translated.get(text)
        if found is None:
            found = self._translated[text] = escape(gettext(text))
        return found

    def clause_url(self, clause: str) -> str:
        """`{{ clause|clause_url }}` (portal's template filter)."""
        found = self._clauses.get(clause)
        if found is None:
            try:
                found = f"{self.notice}#{clause_anchor(clause)}"
            except ValueError:
                found = self.notice
            found = self._clauses[clause] = escape(found)
        return found


def _due(words: _Words, d: Deadline) -> str:
    if not d.due:
        return "–"
    text = f"{words.translate(d.what)} {d.due.isoformat()}"
    if d.clause:
        return f'{text}（<a href="{words.clause_url(d.clause)}">{escape_text(d.clause)}</a>）'
    return f'{text}<span class="small text-muted">（{words.system}）</span>'


def _left(words: _Words, d: Deadline) -> str:
    if d.ended:
        return f'<strong class="text-primary">{words.ended}</strong>'
    if d.overdue:
        return f'<strong class="text-danger">{words.overdue % {"n": d.workdays_overdue}}</strong>'
    if d.due_today:
        return f'<strong class="text-warning-emphasis">{words.today}</strong>'
    if d.due:
        return str(words.left % {"n": d.workdays_left})
    return "–"


def joined(rows: Iterable[Row]) -> SafeString:
    """The rows' HTML as the template's `{% for %}` loop wrote it (its line breaks)."""
    return mark_safe("".join(f"\n    {row.html}\n  " for row in rows))


def state_options(chosen: str, states: dict[str, str]) -> SafeString:
    """The filter form's state options (the template's loop over `State`, as it was)."""
    return mark_safe("".join(
        f'<option value="{escape_text(value)}"{" selected" if chosen == value else ""}>'
        f"{escape_text(label)}</option>" for value, label in states.items()))


def plan_options(plans: Iterable[Any], chosen: str) -> SafeString:
    """The filter form's plan options (`{{ p.pk }}`, `{{ p }}` of each, as the template had)."""
    return mark_safe("".join(
        f'<option value="{p.pk}"{" selected" if chosen == str(p.pk) else ""}>'
        f"{escape_text(p)}</option>" for p in plans))


def render(rows: Iterable[Row], *, can_bulk_start: bool, states: dict[str, str]) -> None:
    """Fill each row's `html` (the markup of reviews/worklist.html's rows, as it was)."""
    shared_states, words = _shared()
    if states != shared_states:  # other labels than the request's language's
        words = _Words(states)
    for row in rows:
        v, d = row.values, row.deadline
        name = escape_text(v["applicant__full_name"] or v["applicant__username"])
        select = ""
        if can_bulk_start:
            box = ""
            if v["state"] == State.SUBMITTED:
                box = (f'<input type="checkbox" class="form-check-input" name="ids" '
                       f'value="{v["pk"]}" aria-label="{words.select} {name}">')
            select = f"<td>{box}</td>"
        if v["employer_id"] is not None:
            employer: str = escape_text(v["employer__name"])
        else:
            employer = words.freelancer if v["freelancer"] else ""
        state_label = words.states.get(v["state"], v["state"])
        row.html = mark_safe(_ROW.format(
            danger=" table-danger" if d.overdue else "",
            due_iso=d.due.isoformat() if d.due else "",
            select=select,
            url=words.url.replace(str(_PK), str(v["pk"])),
            name=name,
            employer=employer,
            plan=escape_text(f"{v['plan__row']}. {v['plan__specialty']}"),
            level=words.levels.get(v["level"]) or escape_text(v["level"]),
            badge="text-bg-warning" if d.stage_label != state_label else "text-bg-light",
            stage=words.translate(d.stage_label),
            received=row.received.isoformat() if row.received else "–",
            due=_due(words, d),
            left=_left(words, d),
            returns=v["returns"],
            viewed="✓" if v["viewed"] else "",
        ))
