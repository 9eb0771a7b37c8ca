"""The cells of the public publicity list's rows, as HTML built here rather than in the
template (the way of reviews/rows.py).

A page shows 50 entries of 9 cells; through the template language each row's variables, date
filters, `{% blocktranslate %}`, `{% include %}` of the status badge and `{% translate %}`
cost most of the page's CPU at 100,000 applications (profiled with bench/load/profile.py;
docs/performance.md, "Page budgets"). Here each row is one format string filled with escaped
values, and what is the same on every row (the translated words, the entry URL's shape) is
worked out once per page. The markup is the one the template had, byte for byte; the
template keeps the tables, their headings and the numbering.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from zhicheng.applications.models import Application

from .models import Kind, Publicity

_CELLS = (
    '<td><a href="{url}">{name}</a></td>\n'
    "          <td>{employer}</td>\n"
    "          <td>{series} · {specialty}</td>\n"
    "          <td>{level}</td>\n"
    '          <td>{organisation}<div class="small text-body-secondary">{committee}：'
    "{plan}{office}</div></td>\n"
    '          <td class="small">{period}</td>\n'
    '          <td class="d-print-none">{status}\n</td>\n'
    '          <td class="d-print-none">{objection}</td>'
)
_OBJECTION = (
    '\n            <details hx-get="{url}" hx-trigger="toggle once"\n'
    '                     hx-target="#objection-{pk}" hx-swap="outerHTML">\n'
    "              <summary>{summary}</summary>\n"
    '              <div id="objection-{pk}" class="zc-objection">\n'
    '                <a href="{url}#objection-{pk}">{fill}</a>\n'
    "              </div>\n"
    "            </details>"
)
_PK = 987654321  # stands for an entry's id in the detail URL, reversed once per page


def _e(value: Any) -> str:
    return str(conditional_escape(value))


def decorate(publicities: Iterable[Publicity]) -> list[Publicity]:
    """Each entry with `kind_label` (the list is grouped by it) and `cells` (its row's HTML
    after the number), for publicities already given `status` and `accepts` (views)."""
    kinds = {value: str(label) for value, label in Kind.choices}
    levels = {value: str(label)
              for value, label in Application._meta.get_field("level").flatchoices}
    url_shape = reverse("publicity:detail", args=[_PK])
    words = {
        "freelancer": _e(gettext("自由职业")),
        "committee": _e(gettext("评委会")),
        "period": gettext("%(first)s至%(last)s（%(n)s个工作日）"),
        "summary": _e(gettext("提出异议")),
        "fill": _e(gettext("填写异议")),
    }
    badges = {
        "running": f'<span class="badge text-bg-success">{_e(gettext("公示中"))}</span>',
        "not_started": f'<span class="badge text-bg-secondary">{_e(gettext("未开始"))}</span>',
        "ended": f'<span class="badge text-bg-dark">{_e(gettext("已结束"))}</span>',
    }
    rows = []
    for p in publicities:
        app = p.application
        plan = app.plan
        url = _e(url_shape.replace(str(_PK), str(p.pk)))
        status = getattr(p, "status", "")
        p.kind_label = kinds.get(p.kind, p.kind)  # type: ignore[attr-defined]
        p.cells = mark_safe(_CELLS.format(  # type: ignore[attr-defined]
            url=url,
            name=_e(app.applicant.full_name or app.applicant.username),
            employer=_e(app.employer.name) if app.employer else words["freelancer"],
            series=_e(app.series.name),
            specialty=_e(app.specialty),
            level=_e(levels.get(app.level, app.level)),
            organisation=_e(p.organisation.name),
            committee=words["committee"],
            plan=_e(plan.specialty),
            office=f"（{_e(plan.office_name)}）" if plan.office_name else "",
            period=words["period"] % {
                "first": _e(date_format(p.first_day, "DATE_FORMAT")),
                "last": _e(date_format(p.last_day, "DATE_FORMAT")),
                "n": _e(p.required_workdays),
            },
            status=badges.get(status, badges["ended"]),
            objection=_OBJECTION.format(url=url, pk=p.pk, summary=words["summary"],
                                        fill=words["fill"]) if getattr(p, "accepts", False)
            else "—",
        ))
        rows.append(p)
    return rows

