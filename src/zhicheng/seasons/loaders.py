"""Idempotent loaders for the season's reference data: organisations, the title catalogue,
the season and its plan table, the notice. Loading twice changes nothing; a change is
written through one audited operation per load; a file with errors changes nothing at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import translation

from zhicheng.catalogue.models import Series, Specialty, Title
from zhicheng.core.actors import Actor
from zhicheng.core.operations import operation
from zhicheng.orgs.models import City, District, Organisation, OrgKind
from zhicheng.policy.package import PackageProblem
from zhicheng.policy.plans import PlanProblem, PlanTable, season_dir
from zhicheng.policy.season import default_season_code

from .models import CommitteePlan, DataWarning, Notice, PlanSource, Season

ORGS_FILE = season_dir(default_season_code()) / "organisations.toml"
CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "policy" / "data" / "catalogue.toml"


class ImportRefused(Exception):
    """A package or file with errors: every problem named, nothing loaded."""

    def __init__(self, problems: Sequence[PlanProblem | PackageProblem | object]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def merge(self, other: LoadReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.warnings += other.warnings


def _upsert(
    report: LoadReport, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> Any:
    obj = model._default_manager.filter(**lookup).first()
    with translation.override("zh-hans"):  # the report reads the same in any request language
        label = f"{model._meta.verbose_name}:{lookup}"
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
        report.created.append(label)
        return obj
    diff = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if diff:
        for k, v in diff.items():
            setattr(obj, k, v)
        obj.save()
        report.updated.append(f"{label} {sorted(diff)}")
    else:
        report.unchanged += 1
    return obj


def _audited(actor: Actor, action: str, summary: str, work: Any) -> LoadReport:
    """Run `work(report)` in one transaction; audit it only when something changed."""
    with transaction.atomic():
        report = LoadReport()
        work(report)
        if report.changed:
            with operation(actor, action) as op:
                op.summary = f"{summary}：新增{len(report.created)}项，修改{len(report.updated)}项"
                op.data = {"created": report.created[:500], "updated": report.updated[:500]}
    return report


def load_organisations(actor: Actor, path: Path = ORGS_FILE) -> LoadReport:
    """The organisations file of a package (by default the installed 2024 package's)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return _audited(
        actor, "orgs.load", "导入机构", lambda report: apply_organisations(report, data)
    )


def city_names(data: dict[str, Any]) -> tuple[str, str, str] | None:
    """(code, name) of the city a package's organisations belong to: the `[city]` table of
    organisations.toml, else the season's city and its code's prefix (yunhu-2024 →
    yunhu); None for an organisations file without `[city]` read alone."""
    orgs = data.get("tables", {}).get("organisations", data)
    declared = orgs.get("city", {}) if isinstance(orgs.get("city"), dict) else {}
    season = data.get("tables", {}).get("season", {}).get("season", {})
    name = declared.get("name") or season.get("city")
    if not name:
        return None
    code = declared.get("code") or str(data.get("manifest", {}).get("package", {}).get(
        "code", season.get("code", ""))).rsplit("-", 1)[0]
    return (code or "city", str(name), str(declared.get("name_en", "")))


def ensure_city(report: LoadReport, names: tuple[str, str, str] | None) -> City | None:
    """The city of that name (created with its code the first time)."""
    if names is None:
        return None
    code, name, name_en = names
    found = City.objects.filter(name=name).first()
    if found is not None:
        if name_en and found.name_en != name_en:
            found.name_en = name_en
            found.save(update_fields=["name_en"])
            report.updated.append(f"城市:{name} name_en")
        return found
    city: City = _upsert(report, City, {"code": code}, {"name": name, "name_en": name_en})
    return city


def apply_organisations(
    report: LoadReport, data: dict[str, Any], city: City | None = None
) -> None:
    """Upsert the organisations a package names (city office, centre, districts, departments),
    all belonging to `city` (by default the file's own `[city]`)."""
    if city is None:
        city = ensure_city(report, city_names(data))
    office = data["city_office"]
    _upsert(
        report,
        Organisation,
        {"name": office["name"]},
        {
            "short_name": office["short_name"],
            "kind": OrgKind.CITY_OFFICE,
            "address": office.get("address", ""),
            "city": city,
        },
    )
    centre = data["talent_centre"]
    _upsert(
        report,
        Organisation,
        {"name": centre["name"]},
        {
            "short_name": centre["short_name"],
            "kind": OrgKind.TALENT_CENTRE,
            "phone": centre["phone"],
            "address": centre["address"],
            "city": city,
        },
    )
    for d in data.get("districts", []):
        district = _upsert(
            report,
            District,
            {"code": d["code"]},
            {"name": d["name"], "kind": d["kind"], "plan_row": d["plan_row"], "city": city},
        )
        _upsert(
            report,
            Organisation,
            {"name": d["bureau"]},
            {
                "short_name": d["bureau"],
                "kind": OrgKind.DISTRICT_BUREAU,
                "district": district,
                "phone": d["phone"],
                "address": d["address"],
                "city": city,
            },
        )
    for dep in data.get("departments", []):
        _upsert(
            report,
            Organisation,
            {"name": dep["name"]},
            {"short_name": dep["short_name"], "kind": OrgKind.CITY_DEPARTMENT, "city": city},
        )
    prov = data.get("provincial")
    if prov:
        _upsert(
            report,
            Organisation,
            {"name": prov["name"]},
            {"short_name": prov["short_name"], "kind": OrgKind.PROVINCIAL},
        )


def load_catalogue(actor: Actor, path: Path = CATALOGUE_FILE) -> LoadReport:
    data = tomllib.loads(path.read_text(encoding="utf-8"))

    def work(report: LoadReport) -> None:
        for position, s in enumerate(data["series"], start=1):
            series = _upsert(
                report,
                Series,
                {"code": s["code"]},
                {
                    "name": s["name"],
                    "name_en": s.get("name_en", ""),
                    "confidence": s.get("confidence", "H"),
                    "source": s.get("source", "")[:300],
                    "position": position,
                },
            )
            for name in s.get("specialties", []):
                _upsert(report, Specialty, {"series": series, "name": name}, {})
            for level, names in s.get("titles", {}).items():
                for name in [names] if isinstance(names, str) else names:
                    _upsert(report, Title, {"series": series, "level": level, "name": name}, {})

    return _audited(actor, "catalogue.load", "导入职称目录", work)


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def load_season(
    actor: Actor,
    code: str,
    directory: Path | None = None,
    *,
    publish: bool = True,
    publish_on: dt.date | None = None,
) -> LoadReport:
    """Load a season package as a new version (a draft unless `publish`); see
    `seasons.operations.load_package`. Kept for the callers that load and publish at once."""
    from .operations import load_package  # cycle: operations.py imports this module

    return load_package(
        actor, directory or season_dir(code), code=code, publish=publish, publish_on=publish_on
    )


def season_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The Season row's columns from a package's season.toml (plain data, dates parsed)."""
    s, dates = data["season"], data["dates"]
    return {
        "name": s["name"],
        "year": s["year"],
        "city": s["city"],
        "notice_number": s["notice_number"],
        "notice_title": s["notice_title"],
        "notice_date": _date(s["notice_date"]),
        "seniority_cutoff": _date(dates["seniority_cutoff"]["value"]),
        "materials_cutoff": _date(dates["materials_cutoff"]["value"]),
        "evaluation_deadline": _date(dates["evaluation_deadline"]["value"]),
        "committee_notice_due": _date(dates["committee_notice_due"]["value"]),
        "initial_determination_months": data["initial_determination"]["round_months"],
        "parameters": _json_params(data),
    }


def _json_params(data: dict[str, Any]) -> dict[str, Any]:
    def convert(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    result: dict[str, Any] = convert(data)
    return result


def read_scope(text: str) -> dict[int, list[str]]:
    scope: dict[int, list[str]] = {}
    for record in csv.DictReader(io.StringIO(text)):
        scope[int(record["row"])] = [c for c in record["series"].split() if c]
    return scope


def apply_plans(
    report: LoadReport, season: Season, table: PlanTable, scope: dict[int, list[str]]
) -> None:
    offices = {o.short_name: o for o in Organisation.objects.exclude(short_name="")}
    offices.update({o.name: o for o in Organisation.objects.filter(
        name__in={r.office for r in table.rows.values()})})
    unlinked = sorted({r.office for r in table.rows.values() if r.office} - set(offices))
    for name in unlinked:
        rows = "、".join(str(r.row) for r in table.rows.values() if r.office == name)
        report.warnings.append(
            f"[提示] 序号{rows}：办事机构“{name}”在系统中没有对应机构，未关联；"
            "请在“评审计划表导入”页面关联到已有机构或新建"
        )
    series_by_code = {s.code: s for s in Series.objects.all()}
    for number, row in table.rows.items():
        provenance = {
            name: {"from_row": inf.from_row, "reason": inf.reason}
            for name, inf in sorted(row.inferred.items())
        }
        plan = _upsert(
            report,
            CommitteePlan,
            {"season": season, "row": number},
            {
                "specialty": row.specialty,
                "office_name": row.office,
                "office": offices.get(row.office),
                "phone": row.phone,
                "address": row.address,
                "acceptance_text": row.acceptance_text,
                "evaluation_text": row.evaluation_text,
                "remarks": row.remarks,
                "provenance": provenance,
                "source": PlanSource.PRINTED,
            },
        )
        unknown = [c for c in scope.get(number, []) if c not in series_by_code]
        if unknown:
            report.warnings.append(
                f"[提示] scope.csv 序号{number}：未知系列代码 {', '.join(unknown)}"
            )
        wanted = {series_by_code[c].pk for c in scope.get(number, []) if c in series_by_code}
        current = set(plan.series.values_list("pk", flat=True))
        if wanted != current:
            plan.series.set(wanted)
            report.updated.append(f"评审计划:{number} series")
    for problem in table.warnings:
        _, created = DataWarning.objects.get_or_create(
            season=season, row=problem.row, field=problem.field, message=problem.message[:300]
        )
        if created:
            report.created.append(f"数据提示:{problem.row}:{problem.field}")
        report.warnings.append(str(problem))


def apply_notice(report: LoadReport, season: Season, s: dict[str, Any], body: str) -> None:
    if not body:
        return
    _upsert(
        report,
        Notice,
        {"slug": f"{season.code}-notice"},
        {
            "season": season,
            "number": s["notice_number"],
            "title": s["notice_title"],
            "issuer": s.get("issuer", ""),
            "date": _date(s["notice_date"]),
            "body": body,
            "published": True,
        },
    )
