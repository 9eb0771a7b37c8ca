"""The rows of the public publicity list, as HTML built here rather than in the template
(the way of reviews/rows.py).

A page shows 50 entries of 9 cells; through the template language each row's variables, date
filters, `{% blocktranslate %}`, `{% include %}` of the status badge and `{% translate %}`
cost most of the page's CPU at 100,000 applications (profiled with bench/load/profile.py;
docs/performance.md, "Page budgets"). Here each row is one format string filled with escaped
values from `.values()` rows (queries.public_rows, no model instances), and what is the same
on every row (the translated words, the entry URL's shape, a date's format) is worked out
once per page. The markup is the one the template had, byte for byte, its `<tr>` and number
included; the template keeps the tables and their headings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from zhicheng.applications.models import Application
from zhicheng.core.markup import escape_text as _e

from .models import Kind, Status, status_of

# One iteration of the template's `{% for p in group.list %}` as it was, with its whitespace.
_ROW = (
    '\n        <tr id="publicity-{pk}" class="zc-publicity-row">\n'
    '          <td class="text-end">{n}</td>\n'
    '          <td><a href="{url}">{name}</a></td>\n'
    "          <td>{employer}</td>\n"
    "          <td>{series} · {specialty}</td>\n"
    "          <td>{level}</td>\n"
    '          <td>{organisation}<div class="small text-body-secondary">{committee}：'
    "{plan}{office}</div></td>\n"
    '          <td class="small">{period}</td>\n'
    '          <td class="d-print-none">{status}\n</td>\n'
    '          <td class="d-print-none">{objection}</td>\n'
    "        </tr>\n"
    "      "
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


def groups(entries: Iterable[dict[str, Any]], today: dt.date) -> list[dict[str, Any]]:
    """The list's tables: consecutive entries of one kind as `{"label", "rows"}`, `rows` the
    HTML of the table's body (what `{% regroup %}` and the rows' loop rendered). `entries`
    are `queries.public_rows` values with their "application" (queries.with_applications)."""
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
        Status.RUNNING: f'<span class="badge text-bg-success">{_e(gettext("公示中"))}</span>',
        Status.NOT_STARTED:
            f'<span class="badge text-bg-secondary">{_e(gettext("未开始"))}</span>',
        Status.ENDED: f'<span class="badge text-bg-dark">{_e(gettext("已结束"))}</span>',
    }
    dates: dict[dt.date, str] = {}  # a page's entries share a few periods

    def day(value: dt.date) -> str:
        found = dates.get(value)
        if found is None:
            found = dates[value] = _e(date_format(value, "DATE_FORMAT"))
        return found

    tables: list[dict[str, Any]] = []
    label: str | None = None
    rows: list[str] = []
    n = 0
    for p in entries:
        kind_label = kinds.get(p["kind"], p["kind"])
        if kind_label != label:  # a new table, as `{% regroup %}` started one
            rows, n, label = [], 0, kind_label
            tables.append({"label": label, "rows": rows})
        n += 1
        app = p["application"]
        pk = p["pk"]
        url = _e(url_shape.replace(str(_PK), str(pk)))
        status = status_of(p["first_day"], p["last_day"], p["closed_at"], today)
        rows.append(_ROW.format(
            pk=pk,
            n=n,
            url=url,
            name=_e(app["applicant__full_name"] or app["applicant__username"]),
            employer=_e(app["employer__name"]) if app["employer_id"] is not None
            else words["freelancer"],
            series=_e(app["series__name"]),
            specialty=_e(app["specialty"]),
            level=_e(levels.get(app["level"], app["level"])),
            organisation=_e(p["organisation__name"]),
            committee=words["committee"],
            plan=_e(app["plan__specialty"]),
            office=f"（{_e(app['plan__office_name'])}）" if app["plan__office_name"] else "",
            period=words["period"] % {
                "first": day(p["first_day"]),
                "last": day(p["last_day"]),
                "n": _e(p["required_workdays"]),
            },
            status=badges[status],
            objection=_OBJECTION.format(url=url, pk=pk, summary=words["summary"],
                                        fill=words["fill"]) if status == Status.RUNNING
            else "—",
        ))
    for table in tables:
        table["rows"] = mark_safe("".join(table["rows"]))
    return tables
