"""Writes of seasons as data (docs/seasons.md): load a package as a version, publish a
version, correct a published season's dates, re-decide submitted applications under a
corrected version. Each goes through the one door (`core.operations.operation`).

A version is a snapshot of the package's parsed data with its SHA-256; once published it never
changes. Publishing applies the version to the season's rows (dates, the plan table, the notice,
the organisations it names); loading a draft leaves the current season exactly as it was.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max

from zhicheng.applications.models import Application
from zhicheng.applications.profiles import decide_application
from zhicheng.core import clock
from zhicheng.core.actors import Actor
from zhicheng.core.operations import SYSTEM, OperationError, operation, require_permission
from zhicheng.policy.package import (
    PackageData,
    PackageProblem,
    canonical,
    code_of,
    derive,
    from_json,
    package_hash,
    plan_table_from_data,
    read_package,
    to_json,
    validate,
)

from . import doctemplates
from .loaders import (
    ImportRefused,
    LoadReport,
    apply_notice,
    apply_organisations,
    apply_plans,
    city_names,
    ensure_city,
    read_scope,
    season_fields,
)
from .models import DocumentTemplate, Season, SeasonVersion, VersionStatus
from .queries import policy_season_of

MANAGE = "seasons.manage_season"


def _actor_user(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def load_package(
    actor: Actor,
    path: Path,
    *,
    code: str | None = None,
    publish: bool = False,
    publish_on: dt.date | None = None,
    note: str = "",
) -> LoadReport:
    """Read a package folder or zip and store it as a new draft version (unchanged data: the
    existing version). With `publish`, publish it on `publish_on` (default today). A package
    with any error is refused as a whole (ImportRefused): nothing is stored."""
    data, problems = read_package(path)
    errors = [p for p in problems if p.severity == "error"]
    if code and not errors and code_of(data) != code:
        errors.append(
            PackageProblem("manifest.toml", f"数据包的年度代码是“{code_of(data)}”，不是“{code}”",
                           field="code")
        )
    if errors:
        raise ImportRefused(errors)
    return store_version(actor, data, publish=publish, publish_on=publish_on, note=note)


def store_version(
    actor: Actor,
    data: PackageData,
    *,
    publish: bool = False,
    publish_on: dt.date | None = None,
    note: str = "",
) -> LoadReport:
    """Store validated package data as a version of its season (one audit event)."""
    problems = [p for p in validate(data) if p.severity == "error"]
    if problems:
        raise ImportRefused(problems)
    code = code_of(data)
    sha = package_hash(data)
    tables = from_json(data["tables"])
    with transaction.atomic():
        report = LoadReport()
        season = Season.objects.filter(code=code).first()
        if season is not None:
            require_permission(actor, MANAGE, season)
        version = (
            SeasonVersion.objects.filter(season=season, sha256=sha).order_by("-number").first()
            if season is not None
            else None
        )
        if version is None:
            if season is None:
                season = Season.objects.create(
                    code=code, owner=ensure_city(report, city_names(data)),
                    **season_fields(tables["season"]),
                )
                report.created.append(f"评审年度:{code}")
            number = (season.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = SeasonVersion.objects.create(
                season=season, number=number, data=data, sha256=sha, note=note[:200],
                created_by=_actor_user(actor),
            )
            report.created.append(f"年度数据版本:{version}")
        if publish and version.status == VersionStatus.DRAFT:
            day = publish_on or clock.today()
            if day > clock.today():
                _schedule(report, version, day)
            else:
                _publish(report, version, day)
        for problem in plan_table_from_data(data).warnings:
            report.warnings.append(str(problem))
        if report.changed:
            with operation(actor, "season.load", target=season, permission=MANAGE) as op:
                published = version.status == VersionStatus.PUBLISHED
                state = ("并发布" if published else
                         f"（草稿，计划于{version.scheduled_on.isoformat()}发布）"
                         if version.scheduled_on else "（草稿，未发布）")
                op.summary = (
                    f"导入{code}年度数据包第{version.number}版{state}"
                    f"：新增{len(report.created)}项，修改{len(report.updated)}项"
                )
                op.data = {
                    "version": version.number, "sha256": sha,
                    "created": report.created[:500], "updated": report.updated[:500],
                    **({"scheduled_on": version.scheduled_on.isoformat()}
                       if version.scheduled_on else {}),
                }
    return report


def _schedule(report: LoadReport, version: SeasonVersion, on: dt.date) -> None:
    """Mark a draft to be published on `on` (a later date) by `publish_due`; one scheduled
    draft per season (scheduling another unschedules the previous one)."""
    SeasonVersion.objects.filter(season_id=version.season_id, status=VersionStatus.DRAFT) \
        .exclude(pk=version.pk).exclude(scheduled_on=None).update(scheduled_on=None)
    if version.scheduled_on != on:
        version.scheduled_on = on
        version.save(update_fields=["scheduled_on"])
        report.updated.append(f"年度数据版本:{version} 计划于{on.isoformat()}发布")


def _publish(report: LoadReport, version: SeasonVersion, on: dt.date) -> None:
    season = Season.objects.select_for_update().get(pk=version.season_id)
    # Publishing settles the season's schedule: no older draft publishes over this one later.
    SeasonVersion.objects.filter(season=season, status=VersionStatus.DRAFT) \
        .exclude(scheduled_on=None).update(scheduled_on=None)
    tables = from_json(version.data["tables"])
    texts = version.data["texts"]
    city = ensure_city(report, city_names(version.data)) or season.owner
    apply_organisations(report, tables["organisations"], city)
    fields = season_fields(tables["season"])
    if city is not None and season.owner_id != city.pk:
        season.owner = city
        report.updated.append(f"评审年度:{season.code} owner")
    changed = sorted(k for k, v in fields.items() if getattr(season, k) != v)
    for key in changed:
        setattr(season, key, fields[key])
    if changed:
        report.updated.append(f"评审年度:{season.code} {changed}")
    previous = season.published_version
    if previous is not None and previous.pk != version.pk:
        SeasonVersion.objects.filter(pk=previous.pk).update(status=VersionStatus.SUPERSEDED)
    version.status = VersionStatus.PUBLISHED
    version.published_on = on
    version.scheduled_on = None
    version.save(update_fields=["status", "published_on", "scheduled_on"])
    season.published_version = version
    # One current season per city; an older season published (or corrected) later never
    # becomes current again.
    current = Season.objects.filter(is_current=True, owner=season.owner).exclude(
        pk=season.pk).first()
    if on <= clock.today() and (current is None or current.year <= season.year):
        if current is not None:
            Season.objects.filter(pk=current.pk).update(is_current=False)
        season.is_current = True
    season.save()
    report.updated.append(f"年度数据版本:{version} 发布于{on.isoformat()}")
    apply_plans(report, season, plan_table_from_data(version.data),
                read_scope(texts.get("scope", "row,series,note\n")))
    apply_notice(report, season, tables["season"]["season"], texts.get("notice", ""))


def publish_version(actor: Actor, version: SeasonVersion, on: dt.date | None = None) -> LoadReport:
    """Publish a draft version on `on` (default today), audited; a published one is refused."""
    with operation(actor, "season.publish", target=version.season, permission=MANAGE) as op:
        locked = SeasonVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.DRAFT:
            raise OperationError(f"{locked.label}不是草稿，不能再次发布。")
        errors = [p for p in validate(locked.data) if p.severity == "error"]
        if errors:
            raise OperationError(
                f"{locked.label}还有{len(errors)}个问题，改正后才能发布：" +
                "；".join(str(p) for p in errors[:5])
            )
        if locked.season.archived_on is not None:
            raise OperationError(f"{locked.season.name}已归档，不能再发布新版本。")
        report = LoadReport()
        day = on or clock.today()
        _publish(report, locked, day)
        op.summary = f"发布{locked.season.name}第{locked.number}版数据，发布日期{day.isoformat()}"
        op.data = {"version": locked.number, "sha256": locked.sha256,
                   "published_on": day.isoformat(), "updated": report.updated[:500]}
    version.refresh_from_db()
    return report


def schedule_publication(actor: Actor, version: SeasonVersion, on: dt.date) -> LoadReport:
    """Publish a draft on `on`: today or earlier publishes now (`publish_version`); a later
    date is kept on the draft and the daily task `seasons.publish_due` publishes it through
    `publish_version` on that date (audited: `season.schedule`, then `season.publish`)."""
    if on <= clock.today():
        return publish_version(actor, version, on)
    with operation(actor, "season.schedule", target=version.season, permission=MANAGE) as op:
        locked = SeasonVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.DRAFT:
            raise OperationError(f"{locked.label}不是草稿，不能再次发布。")
        report = LoadReport()
        _schedule(report, locked, on)
        op.summary = f"{locked.season.name}第{locked.number}版数据计划于{on.isoformat()}发布"
        op.data = {"version": locked.number, "sha256": locked.sha256,
                   "scheduled_on": on.isoformat()}
    version.refresh_from_db()
    return report


def publish_due(today: dt.date | None = None) -> list[str]:
    """Publish every draft whose scheduled date has come (the daily task; idempotent: a
    published version is no longer a scheduled draft). Each through `publish_version` on its
    scheduled date, one audit event each, actor SYSTEM. Returns the versions published."""

    day = today or clock.today()
    published: list[str] = []
    due = SeasonVersion.objects.filter(status=VersionStatus.DRAFT, scheduled_on__lte=day) \
        .select_related("season").order_by("scheduled_on", "season__year", "number")
    for version in due:
        if not SeasonVersion.objects.filter(pk=version.pk, status=VersionStatus.DRAFT,
                                            scheduled_on__lte=day).exists():
            continue  # unscheduled meanwhile (another version of the season was published)
        try:
            publish_version(SYSTEM, version, version.scheduled_on)
        except OperationError:
            continue  # another run published it first, or a newer version replaced it
        published.append(str(version))
    return published


DATE_KEYS = ("seniority_cutoff", "materials_cutoff", "evaluation_deadline", "committee_notice_due")


def correct_dates(actor: Actor, season: Season, changes: dict[str, dt.date], note: str = "") -> \
        SeasonVersion:
    """The office corrects dates of a published season: a new version with those dates,
    published today, so the engine decides new applications with them. Submitted applications
    keep the version they were decided under until they are re-decided (`redecide`)."""
    require_permission(actor, MANAGE, season)
    base = season.published_version
    if base is None:
        raise OperationError(f"{season.name}尚未发布，请直接修改草稿数据包。")
    data = copy.deepcopy(base.data)
    dates = data["tables"]["season"]["dates"]
    for key, value in changes.items():
        if key not in dates:
            raise OperationError(f"season.toml 没有日期 {key}")
        dates[key]["value"] = to_json(value)
    labels = "、".join(f"{k}={v.isoformat()}" for k, v in changes.items())
    store_version(actor, data, publish=True, note=note or f"更正日期：{labels}")
    season.refresh_from_db()
    assert season.published_version is not None
    return season.published_version


@dataclass(frozen=True)
class VerdictChange:
    application_id: int
    applicant: str
    old_version: int | None
    old_verdict: str
    new_verdict: str

    @property
    def changed(self) -> bool:
        return self.old_verdict != self.new_verdict


def redecide(actor: Actor, season: Season, version: SeasonVersion | None = None, *,
             dry_run: bool = False,
             progress: Callable[[int, int], None] | None = None) -> list[VerdictChange]:
    """Decide every submitted application of the season again under `version` (default: the
    published one) and move it onto that version; returns every application with its old and
    new verdict. `dry_run` lists without writing. One audit event names whose verdict changes.
    `progress(done, total)` is told after each application (the re-decision job, docs/jobs.md)."""
    require_permission(actor, MANAGE, season)
    target = version or season.published_version
    if target is None or target.season_id != season.pk or target.status == VersionStatus.DRAFT:
        raise OperationError("只能按本年度已发布的数据版本重新判定。")
    apps = list(
        Application.objects.filter(season=season, submitted_at__isnull=False)
        .exclude(season_version=target)
        .select_related("applicant", "season_version", "series", "plan", "season")
        .order_by("pk")
    )
    results: list[VerdictChange] = []
    for done, app in enumerate(apps, 1):
        _payload, old = decide_application(app)
        _payload, new = decide_application(app, policy_season_of(target))
        results.append(VerdictChange(app.pk, str(app.applicant), getattr(
            app.season_version, "number", None), old.verdict, new.verdict))
        if progress is not None:
            progress(done, len(apps))
    if dry_run or not apps:
        return results
    with operation(actor, "season.redecide", target=season, permission=MANAGE) as op:
        Application.objects.filter(pk__in=[a.pk for a in apps]).update(season_version=target)
        changed = [r for r in results if r.changed]
        op.summary = (
            f"按{season.name}第{target.number}版数据重新判定{len(results)}份已提交申报，"
            f"{len(changed)}份判定结果改变"
        )
        op.data = {
            "version": target.number,
            "changes": [
                {"application": r.application_id, "from_version": r.old_version,
                 "old": r.old_verdict, "new": r.new_verdict}
                for r in changed
            ],
            "unchanged": [r.application_id for r in results if not r.changed][:1000],
        }
    return results


# --- the city office's lifecycle in the browser (docs/seasons.md §In the browser) ---------
SEASON_CODE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def derive_draft(actor: Actor, base: SeasonVersion, code: str, name: str) -> SeasonVersion:
    """A new season from an earlier one: its data copied, every date moved by the years between
    them (`policy.package.derive`), stored as the new season's first draft (one audit event)."""

    require_permission(actor, MANAGE, base.season)
    code = code.strip()
    name = name.strip()
    if not re.fullmatch(SEASON_CODE, code) or len(code) > 50:
        year = str(base.season.year)
        example = (base.season.code.replace(year, str(base.season.year + 1))
                   if year in base.season.code else f"{base.season.code}-{int(year) + 1}")
        raise OperationError(f"年度代码只能用小写字母、数字和连字符，例如 {example}。")
    if not name:
        raise OperationError("请填写新年度的名称。")
    if Season.objects.filter(code=code).exists():
        raise OperationError(f"已有代码为“{code}”的年度，请换一个代码。")
    if base.status == VersionStatus.DRAFT:
        raise OperationError("只能以已发布的年度数据为基础新建草稿。")
    data = derive(base.data, code, years=1, name=name)
    with operation(actor, "season.derive", target=base.season, permission=MANAGE) as op:
        tables = from_json(data["tables"])
        season = Season.objects.create(code=code, **season_fields(tables["season"]))
        version = SeasonVersion.objects.create(
            season=season, number=1, data=data, sha256=package_hash(data),
            note=f"以{base.season.name}第{base.number}版为基础新建，日期顺延一年"[:200],
            created_by=_actor_user(actor),
        )
        op.summary = (f"以{base.season.name}第{base.number}版为基础新建{name}草稿"
                      "（所有日期顺延一年）")
        op.data = {"from": {"season": base.season.code, "version": base.number,
                            "sha256": base.sha256},
                   "season": code, "version": 1, "sha256": version.sha256}
    return version


def correction_draft(actor: Actor, base: SeasonVersion) -> SeasonVersion:
    """A new draft version of the same season, a copy of its published version (no date
    moved): the way to correct a published season in the browser (one audit event)."""
    with operation(actor, "season.correction_draft", target=base.season,
                   permission=MANAGE) as op:
        season = Season.objects.select_for_update().get(pk=base.season_id)
        if season.archived_on is not None:
            raise OperationError(f"{season.name}已归档，不能再更正。")
        if base.status != VersionStatus.PUBLISHED or season.published_version_id != base.pk:
            raise OperationError("只能以本年度现行发布的版本为基础新建更正草稿。")
        open_draft = season.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
        if open_draft is not None:
            raise OperationError(
                f"{season.name}已有第{open_draft.number}版草稿，请先修改或发布它。")
        number = (season.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        data = from_json_safe(base.data)
        version = SeasonVersion.objects.create(
            season=season, number=number, data=data, sha256=package_hash(data),
            note=f"以第{base.number}版为基础的更正草稿", created_by=_actor_user(actor),
        )
        op.summary = f"以{season.name}第{base.number}版为基础新建更正草稿第{number}版"
        op.data = {"from_version": base.number, "version": number, "sha256": version.sha256}
    return version


def edit_draft(actor: Actor, version: SeasonVersion, data: PackageData, summary: str,
               details: dict[str, Any] | None = None) -> SeasonVersion:
    """Replace a draft's data (drafts are mutable; a published version is refused). The draft
    may still have validation problems: they are listed on its page and block publishing."""
    with operation(actor, "season.edit_draft", target=version.season, permission=MANAGE) as op:
        locked = SeasonVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.DRAFT:
            raise OperationError(f"{locked.label}已发布，不能修改；请以它为基础新建更正草稿。")
        if locked.season.archived_on is not None:
            raise OperationError(f"{locked.season.name}已归档，不能修改。")
        before = locked.sha256
        clean = from_json_safe(data)
        locked.data = clean
        locked.sha256 = package_hash(clean)
        locked.save(update_fields=["data", "sha256"])
        op.summary = f"修改{locked.season.name}第{locked.number}版草稿：{summary}"[:300]
        op.data = {"version": locked.number, "from_sha256": before, "sha256": locked.sha256,
                   **(details or {})}
    version.refresh_from_db()
    return version


def from_json_safe(data: PackageData) -> PackageData:
    """The data as stored JSON (a deep copy: the caller's dict is never aliased)."""

    result: PackageData = json.loads(canonical(data))
    return result


def archive_season(actor: Actor, season: Season, on: dt.date | None = None) -> Season:
    """Close and archive a season: its pages stay readable, it takes no new applications and
    no new versions. The current season cannot be archived (publish its successor first)."""
    with operation(actor, "season.archive", target=season, permission=MANAGE) as op:
        locked = Season.objects.select_for_update().get(pk=season.pk)
        if locked.archived_on is not None:
            raise OperationError(f"{locked.name}已于{locked.archived_on.isoformat()}归档。")
        if locked.is_current:
            raise OperationError(
                f"{locked.name}是当前年度，不能归档：请先发布下一年度，使其成为当前年度。")
        if locked.published_version_id is None:
            raise OperationError(f"{locked.name}从未发布，无需归档；草稿可以继续修改。")
        day = on or clock.today()
        locked.archived_on = day
        locked.save(update_fields=["archived_on"])
        op.summary = f"结束并归档{locked.name}（归档日期{day.isoformat()}），不再受理新申报"
        op.data = {"archived_on": day.isoformat()}
    season.refresh_from_db()
    return season


def save_document_template(actor: Actor, season: Season, kind: str,
                           values: dict[str, Any]) -> DocumentTemplate:
    """Store what the city office adjusted in the document `kind` of `season` (one audit
    event with the old and new texts). Every text is checked for placeholders first: a
    refusal names the field and the placeholders it may use, and nothing is written."""
    spec = doctemplates.KINDS.get(kind)
    if spec is None:
        raise OperationError("没有这种文件。")
    with operation(actor, "season.document_template", target=season, permission=MANAGE) as op:
        texts = {f: " ".join(str(values.get(f, "")).split()) if f != "closing"
                 else str(values.get(f, "")).strip() for f in doctemplates.TEXT_FIELDS}
        for name, text in texts.items():
            try:
                doctemplates.check(kind, name, text)
            except doctemplates.TemplateError as exc:
                raise OperationError(str(exc)) from None
        unknown = [c for c in values.get("columns", []) if c not in spec.optional_columns]
        if unknown:
            raise OperationError(f"可选列：没有“{'、'.join(unknown)}”这一列。")
        columns = [c for c in spec.optional_columns if c in values.get("columns", [])]
        row = DocumentTemplate.objects.select_for_update().filter(season=season,
                                                                   kind=kind).first()
        before = ({f: getattr(row, f) for f in doctemplates.TEXT_FIELDS}
                  | {"columns": row.columns} if row is not None else None)
        if row is None:
            row = DocumentTemplate(season=season, kind=kind)
        for name, text in texts.items():
            setattr(row, name, text)
        row.columns = columns
        row.save()
        op.summary = f"修改{season.name}的文件模板：{spec.label}"
        op.data = {"kind": kind, "before": before, "after": {**texts, "columns": columns}}
    return row
