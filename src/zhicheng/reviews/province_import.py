"""The provincial exchange (docs/exchange.md): the dossiers a committee office forwarded to the
provincial committee (四（四）) as the `zhicheng.provincial-forwarding` list and its Excel
results form, and the import of the province's returned results.

A returned row is matched with a forwarded dossier by the applicant's ID number and the plan
row (计划表序号) of the season chosen. The preview sorts the rows into matched (the result will
be recorded), already recorded (nothing to do), conflicting and unmatched (neither is
imported); nothing is written before the office confirms. Confirming records each matched
row through the normal audited operation `record_provincial_result`, all in one transaction:
one refused row leaves every dossier as it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from zhicheng.core import labels
from zhicheng.core.actors import Actor
from zhicheng.core.operations import OperationError
from zhicheng.orgs.models import Membership
from zhicheng.orgs.models import Role as OrgRole
from zhicheng.seasons.models import Season

from . import operations as ops
from .models import ProvincialForward, ProvincialResult
from .province_files import ResultRow, ResultsFile

# The two jobs of the results import (registered in jobs/imports.py, which runs them).
RESULTS_PREVIEW = "reviews.province_results_preview"
RESULTS_IMPORT = "reviews.province_results_import"

SCHEMA = "zhicheng.provincial-forwarding"
SCHEMA_VERSION = "1.0"
RESULT_WORDS: dict[str, str] = {ProvincialResult.PASSED: "通过", ProvincialResult.FAILED: "未通过"}


def committee_offices(user: Any) -> list[int]:
    """The organisations in which `user` is an active committee office member."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(
        user=user, role=OrgRole.COMMITTEE_OFFICE, active=True,
    ).values_list("organisation_id", flat=True))


def seasons_for(user: Any) -> list[Season]:
    """The seasons in which the office has forwarded at least one dossier."""
    return list(Season.objects.filter(
        applications__provincial_forward__isnull=False,
        applications__plan__office_id__in=committee_offices(user),
    ).distinct().order_by("-year", "code"))


def forwards_for(user: Any, season: Season) -> QuerySet[ProvincialForward]:
    """The office's dossiers forwarded to the province in `season` (constant queries)."""
    return (ProvincialForward.objects
            .filter(application__season=season,
                    application__plan__office_id__in=committee_offices(user))
            .select_related("application__applicant", "application__employer",
                            "application__plan", "application__series")
            .order_by("application__plan__row", "application__pk"))


def _row(forward: ProvincialForward) -> dict[str, Any]:
    app = forward.application
    return {
        "application_id": app.pk,
        "plan_row": app.plan.row,
        "specialty": app.specialty,
        "name": app.applicant.full_name,
        "id_number": app.applicant.id_number,
        "employer": str(app.employer or ""),
        "series": app.series.code,
        "level": app.level,
        "forwarded_at": forward.forwarded_at.isoformat(),
        "package_sha256": forward.package_sha256,
        "result": forward.result,
        "document_number": forward.document_number,
    }


def forwarding_payload(user: Any, season: Season) -> dict[str, Any]:
    """The forwarded dossiers of `season` in the exchange layout (docs/schema/
    provincial-forwarding.schema.json)."""
    forwards = list(forwards_for(user, season))
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "season": season.code,
        "dossiers": [_row(f) for f in forwards],
    }


def form_rows(user: Any, season: Season) -> list[dict[str, Any]]:
    """The results form's rows: labels for people, codes only in the （系统用） columns."""
    rows = []
    for f in forwards_for(user, season):
        data = _row(f)
        rows.append({
            **data,
            "level": labels.label(data["level"], "level"),
            "level_code": data["level"],
            "forwarded_at": f.forwarded_at.date().isoformat(),
            "result": RESULT_WORDS.get(f.result, ""),
        })
    return rows


@dataclass(frozen=True)
class Match:
    row: ResultRow
    forward: ProvincialForward | None
    reason: str = ""

    @property
    def verdict(self) -> str:
        return "通过" if self.row.passed else "未通过"


@dataclass
class Preview:
    matched: list[Match] = field(default_factory=list)
    recorded: list[Match] = field(default_factory=list)
    conflicting: list[Match] = field(default_factory=list)
    unmatched: list[Match] = field(default_factory=list)
    errors: int = 0

    @property
    def can_confirm(self) -> bool:
        return not self.errors and bool(self.matched)


def preview(user: Any, season: Season, upload: ResultsFile) -> Preview:
    """Sort the file's rows against the office's forwarded dossiers; writes nothing."""
    result = Preview(errors=len(upload.errors))
    by_key = {
        ("".join(f.application.applicant.id_number.split()).upper(), f.application.plan.row): f
        for f in forwards_for(user, season)
    }
    for row in upload.rows:
        forward = by_key.get((row.id_number, row.plan_row))
        if forward is None:
            result.unmatched.append(Match(row, None, (
                f"{season.name}计划表序号{row.plan_row}没有本办报送省高评委的该证件号码的申报")))
            continue
        app = forward.application
        if row.name and row.name != app.applicant.full_name:
            result.conflicting.append(Match(row, forward, (
                f"姓名不一致：系统中为“{app.applicant.full_name}”，文件中为“{row.name}”")))
            continue
        if row.application_id is not None and row.application_id != app.pk:
            result.conflicting.append(Match(row, forward, (
                f"申报编号不一致：系统中为{app.pk}，文件中为{row.application_id}")))
            continue
        if forward.result != ProvincialResult.PENDING:
            wanted = ProvincialResult.PASSED if row.passed else ProvincialResult.FAILED
            if forward.result == wanted and forward.document_number == row.document_number:
                result.recorded.append(Match(row, forward, "已登记，结果和文号相同"))
            else:
                result.conflicting.append(Match(row, forward, (
                    f"已登记为{RESULT_WORDS[forward.result]}"
                    f"（文号：{forward.document_number}），"
                    f"文件中为{'通过' if row.passed else '未通过'}"
                    f"（文号：{row.document_number}）")))
            continue
        result.matched.append(Match(row, forward))
    return result


def import_results(user: Actor, season: Season, upload: ResultsFile,
                   on_row: Callable[[], None] | None = None) -> list[Match]:
    """Record every matched row's result through the audited operation, in one transaction.
    A refused row (its message names the sheet row) undoes the whole import. `on_row` is
    called after each result recorded (an import job's progress)."""
    with transaction.atomic():
        found = preview(user, season, upload)
        if found.errors:
            raise OperationError("文件有错误，不能导入：请改正后重新上传。")
        if not found.matched:
            raise OperationError("文件中没有可以登记的结果（均已登记、冲突或未匹配）。")
        for match in found.matched:
            assert match.forward is not None
            try:
                ops.record_provincial_result(
                    match.forward.application, user, passed=match.row.passed,
                    document_number=match.row.document_number,
                )
            except OperationError as refused:
                raise type(refused)(
                    f"第{match.row.sheet_row}行（{match.forward.application.applicant.full_name}）："
                    f"{refused}；整个文件未导入，任何结果都没有登记。"
                ) from refused
            if on_row is not None:
                on_row()
    return found.matched
