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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max

from zhicheng.core import clock
from zhicheng.core.actors import Actor
from zhicheng.core.operations import OperationError, operation, require_permission
from zhicheng.policy.package import (
    PackageData,
    PackageProblem,
    code_of,
    from_json,
    package_hash,
    plan_table_from_data,
    read_package,
    to_json,
    validate,
)

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
from .models import Season, SeasonVersion, VersionStatus

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
            _publish(report, version, publish_on or clock.today())
        for problem in plan_table_from_data(data).warnings:
            report.warnings.append(str(problem))
        if report.changed:
            with operation(actor, "season.load", target=season, permission=MANAGE) as op:
                published = version.status == VersionStatus.PUBLISHED
                op.summary = (
                    f"导入{code}年度数据包第{version.number}版"
                    f"{'并发布' if published else '（草稿，未发布）'}"
                    f"：新增{len(report.created)}项，修改{len(report.updated)}项"
                )
                op.data = {
                    "version": version.number, "sha256": sha,
                    "created": report.created[:500], "updated": report.updated[:500],
                }
    return report


def _publish(report: LoadReport, version: SeasonVersion, on: dt.date) -> None:
    season = Season.objects.select_for_update().get(pk=version.season_id)
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
    version.save(update_fields=["status", "published_on"])
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
        report = LoadReport()
        day = on or clock.today()
        _publish(report, locked, day)
        op.summary = f"发布{locked.season.name}第{locked.number}版数据，发布日期{day.isoformat()}"
        op.data = {"version": locked.number, "sha256": locked.sha256,
                   "published_on": day.isoformat(), "updated": report.updated[:500]}
    version.refresh_from_db()
    return report


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
             dry_run: bool = False) -> list[VerdictChange]:
    """Decide every submitted application of the season again under `version` (default: the
    published one) and move it onto that version; returns every application with its old and
    new verdict. `dry_run` lists without writing. One audit event names whose verdict changes."""
    from zhicheng.applications.models import Application
    from zhicheng.applications.profiles import decide_application

    from .queries import policy_season_of

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
    for app in apps:
        _payload, old = decide_application(app)
        _payload, new = decide_application(app, policy_season_of(target))
        results.append(VerdictChange(app.pk, str(app.applicant), getattr(
            app.season_version, "number", None), old.verdict, new.verdict))
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
