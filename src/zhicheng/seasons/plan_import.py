"""Importing a plan table read by `plan_files` into a season: the preview (what would change,
which offices the table names that no organisation matches) and the one audited write.

An office name in the table is linked to the organisation whose short name or name it is.
A name no organisation has must be decided by the office before anything is saved: link it
to an existing organisation, create a new one, or state that the cell is not an office (the
2024 attachment prints "面向本企业自主评审" there). Nothing is ever left unlinked silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Q
from django.utils.translation import gettext as _

from zhicheng.core.actors import Actor
from zhicheng.core.operations import OperationError, operation
from zhicheng.orgs.models import Organisation, OrgKind
from zhicheng.policy.plans import PlanRow

from .loaders import LoadReport, _upsert
from .models import CommitteePlan, DataWarning, PlanSource, Season
from .plan_files import PlanFile, column_title

OfficeAction = Literal["link", "create", "text"]
COMPARED = ("specialty", "office_name", "phone", "address", "acceptance_text",
            "evaluation_text", "remarks")


# The two jobs of the import (registered in jobs/imports.py, which runs them).
PLAN_PREVIEW = "seasons.plan_preview"
PLAN_IMPORT = "seasons.plan_import"


@dataclass(frozen=True)
class OfficeDecision:
    action: OfficeAction
    organisation_id: int | None = None


@dataclass
class PlanPreview:
    """What confirming the upload would do to `season`."""

    season: Season
    upload: PlanFile
    new_rows: list[int] = field(default_factory=list)
    changed_rows: dict[int, list[str]] = field(default_factory=dict)  # row -> column titles
    unchanged_rows: list[int] = field(default_factory=list)
    absent_rows: list[int] = field(default_factory=list)  # stored, not in the file: kept
    unknown_offices: list[str] = field(default_factory=list)
    linked_offices: dict[str, Organisation] = field(default_factory=dict)

    @property
    def can_confirm(self) -> bool:
        return not self.upload.errors


def office_index(names: set[str]) -> dict[str, Organisation]:
    """Organisations by the short names and names the table uses (one query)."""
    found: dict[str, Organisation] = {}
    if not names:
        return found
    for org in Organisation.objects.filter(Q(short_name__in=names) | Q(name__in=names)):
        if org.name in names:
            found[org.name] = org
        if org.short_name in names:
            found.setdefault(org.short_name, org)
    return found


def table_offices(rows: dict[int, PlanRow]) -> set[str]:
    return {r.office for r in rows.values() if r.office}


def unknown_offices(rows: dict[int, PlanRow]) -> list[str]:
    names = table_offices(rows)
    known = office_index(names)
    return sorted(names - set(known))


def preview(season: Season, upload: PlanFile) -> PlanPreview:
    result = PlanPreview(season=season, upload=upload)
    stored = {p.row: p for p in CommitteePlan.objects.filter(season=season)}
    rows = upload.table.rows
    titles = {
        "specialty": column_title("specialty"), "office_name": column_title("office"),
        "phone": column_title("phone"), "address": column_title("address"),
        "acceptance_text": column_title("acceptance"),
        "evaluation_text": column_title("evaluation"), "remarks": column_title("remarks"),
    }
    for number, row in rows.items():
        plan = stored.get(number)
        if plan is None:
            result.new_rows.append(number)
            continue
        values = _values(row)
        diff = [titles[name] for name in COMPARED if getattr(plan, name) != values[name]]
        if diff:
            result.changed_rows[number] = diff
        else:
            result.unchanged_rows.append(number)
    result.absent_rows = sorted(set(stored) - set(rows))
    names = table_offices(rows)
    result.linked_offices = office_index(names)
    result.unknown_offices = sorted(names - set(result.linked_offices))
    return result


def _values(row: PlanRow) -> dict[str, str]:
    return {
        "specialty": row.specialty, "office_name": row.office, "phone": row.phone,
        "address": row.address, "acceptance_text": row.acceptance_text,
        "evaluation_text": row.evaluation_text, "remarks": row.remarks,
    }


def import_plan_table(
    actor: Actor, season: Season, upload: PlanFile, decisions: dict[str, OfficeDecision]
) -> LoadReport:
    """Write the uploaded table into `season` in one audited operation; refuse the whole file
    (nothing written) when it has errors or an unknown office is undecided."""
    with operation(actor, "season.plan_import", target=season,
                   permission="seasons.change_committeeplan") as op:
        if upload.errors:
            raise OperationError(_("文件有%(n)d个错误，未导入任何内容：请改正后重新上传。")
                                 % {"n": len(upload.errors)})
        rows = upload.table.rows
        offices = office_index(table_offices(rows))
        report = LoadReport()
        undecided = [n for n in sorted(table_offices(rows) - set(offices)) if n not in decisions]
        if undecided:
            raise OperationError(
                _("以下办事机构在系统中没有对应机构，请逐一选择关联到已有机构或新建：%(names)s")
                % {"names": "、".join(undecided)}
            )
        not_offices: list[str] = []
        created_offices: list[str] = []
        for name, decision in sorted(decisions.items()):
            if name in offices or name not in table_offices(rows):
                continue
            if decision.action == "link":
                org = (Organisation.objects.filter(pk=decision.organisation_id).first()
                       if decision.organisation_id is not None else None)
                if org is None:
                    raise OperationError(
                        _("办事机构“%(name)s”要关联的机构不存在，请重新选择。") % {"name": name}
                    )
                offices[name] = org
            elif decision.action == "create":
                if Organisation.objects.filter(name=name).exists():
                    raise OperationError(
                        _("已有名为“%(name)s”的机构，请选择“关联到已有机构”。") % {"name": name}
                    )
                offices[name] = Organisation.objects.create(
                    name=name, short_name=name[:40], kind=OrgKind.CITY_DEPARTMENT
                )
                created_offices.append(name)
                report.created.append(f"机构:{name}")
            else:
                not_offices.append(name)
        for number, row in rows.items():
            provenance = {
                name: {"from_row": inf.from_row, "reason": inf.reason}
                for name, inf in sorted(row.inferred.items())
            }
            _upsert(
                report, CommitteePlan, {"season": season, "row": number},
                {**_values(row), "office": offices.get(row.office), "provenance": provenance,
                 "source": PlanSource.PRINTED},
            )
        for problem in upload.table.warnings:
            _warning, created = DataWarning.objects.get_or_create(
                season=season, row=problem.row, field=problem.field,
                message=problem.message[:300],
            )
            if created:
                report.created.append(f"数据提示:{problem.row}:{problem.field}")
        op.summary = (
            f"导入{season.name}评审计划表（{upload.filename}）：新增{len(report.created)}项，"
            f"修改{len(report.updated)}项，新建机构{len(created_offices)}个"
        )
        op.data = {
            "file": upload.filename, "sha256": upload.digest, "rows": len(rows),
            "created": report.created[:500], "updated": report.updated[:500],
            "created_offices": created_offices, "not_offices": not_offices,
            "linked": {n: offices[n].pk for n in sorted(offices) if n in decisions},
        }
    return report
