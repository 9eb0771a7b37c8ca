"""Importing an expert roster (评审专家花名册) into a committee's pool (docs/exchange.md
§专家花名册): each row finds the expert's account (by ID number, else account name; the name
must agree), the unit (full name or credit code) and the series (a name within the
committee's scope, blank for its first). The preview writes nothing; confirming adds every
new expert through the audited `operations.add_expert`, all in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q

from zhicheng.accounts.models import User
from zhicheng.core.actors import Actor
from zhicheng.core.operations import OperationError
from zhicheng.orgs.models import Organisation
from zhicheng.seasons.plan_files import CellProblem

from . import operations as ops
from .models import Committee, Expert
from .roster_files import RosterFile, RosterRow

# The two jobs of the import (registered in jobs/imports.py, which runs them).
ROSTER_PREVIEW = "evaluation.roster_preview"
ROSTER_IMPORT = "evaluation.roster_import"


@dataclass(frozen=True)
class Resolved:
    row: RosterRow
    user: Any
    unit: Any
    series: Any


@dataclass
class RosterPreview:
    new: list[Resolved] = field(default_factory=list)
    present: list[Resolved] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def can_confirm(self) -> bool:
        return not self.problems and bool(self.new)


def preview(committee: Committee, upload: RosterFile) -> RosterPreview:
    """Resolve every row against accounts, units and the committee's series."""
    result = RosterPreview(problems=list(upload.problems))
    rows = upload.rows
    ids = {r.id_number for r in rows if r.id_number}
    names = {r.username for r in rows if r.username}
    users = list(User.objects.filter(Q(id_number__in=ids) | Q(username__in=names)))
    by_id = {u.id_number.upper(): u for u in users if u.id_number}
    by_name = {u.username: u for u in users}
    units_text = {r.unit for r in rows}
    units = list(Organisation.objects.filter(
        Q(name__in=units_text) | Q(credit_code__in={t.upper() for t in units_text})))
    unit_of = {u.name: u for u in units} | {u.credit_code: u for u in units if u.credit_code}
    series = list(committee.series.all())
    series_of = {s.name: s for s in series} | {s.code: s for s in series}
    pool = set(Expert.objects.filter(series__in=series)
               .values_list("user_id", "series_id", "specialty"))
    seen: dict[tuple[int, int, str], int] = {}
    for row in rows:
        def problem(name: str, message: str, row: RosterRow = row) -> None:
            result.problems.append(CellProblem("error", row.sheet_row,
                                               upload.labels.get(name, ""), None, message))

        user = by_id.get(row.id_number) if row.id_number else by_name.get(row.username)
        if user is None:
            problem("id_number" if row.id_number else "username",
                    "没有该证件号码的账户，请先为专家开通账户" if row.id_number
                    else f"没有账户“{row.username}”，请先为专家开通账户")
            continue
        if row.name != user.full_name:
            problem("name", f"姓名与账户不一致：账户中为“{user.full_name}”")
            continue
        unit = unit_of.get(row.unit) or unit_of.get(row.unit.upper())
        if unit is None:
            problem("unit", f"没有找到单位“{row.unit}”，请填写单位全称或统一社会信用代码")
            continue
        chosen = series_of.get(row.series) if row.series else (series[0] if series else None)
        if chosen is None:
            problem("series", f"系列“{row.series}”不在本评委会的评审范围内" if row.series
                    else "本评委会没有评审系列")
            continue
        key = (user.pk, chosen.pk, row.specialty)
        if key in seen:
            problem("name", f"与第{seen[key]}行是同一位专家的同一专业（重复的行）")
            continue
        seen[key] = row.sheet_row
        target = result.present if key in pool else result.new
        target.append(Resolved(row, user, unit, chosen))
    return result


def import_roster(actor: Actor, committee: Committee, upload: RosterFile,
                  on_row: Callable[[], None] | None = None) -> list[Resolved]:
    """Add every new expert of the roster; one refused row undoes the whole import.
    `on_row` is called after each expert added (an import job's progress)."""
    with transaction.atomic():
        found = preview(committee, upload)
        if found.problems:
            raise OperationError("文件有错误，不能导入：请改正后重新上传。")
        for item in found.new:
            try:
                ops.add_expert(actor, committee, user=item.user, specialty=item.row.specialty,
                               title_level=item.row.title_level, unit=item.unit,
                               term_start=item.row.term_start, term_end=item.row.term_end,
                               series=item.series)
            except OperationError as refused:
                raise type(refused)(
                    f"第{item.row.sheet_row}行（{item.row.name}）：{refused}；"
                    "整个文件未导入，专家库没有任何改动。"
                ) from refused
            if on_row is not None:
                on_row()
    return found.new
