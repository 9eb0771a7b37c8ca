"""The long work that runs as a job (docs/jobs.md): each kind says who may start it, what its
scope is in words, and how it runs with progress. The work itself is the feature apps' own
(their exports, queries and operations); this module only starts it and counts."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from zhicheng.applications.models import Application
from zhicheng.certificates.exports import certificates_zip, season_certificates
from zhicheng.core import clock
from zhicheng.core.labels import label
from zhicheng.core.operations import OperationError
from zhicheng.orgs.permissions import is_city_office
from zhicheng.reviews.exports import WORKLIST_COLUMNS, worklist_rows
from zhicheng.reviews.queries import roles_of
from zhicheng.reviews.queries import worklist as worklist_query
from zhicheng.seasons.operations import redecide
from zhicheng.supervision import queries as supervision_queries
from zhicheng.supervision.exports import Sheet, data_report_sheets, definitions_sheet, xlsx_chunks

from .models import Job
from .registry import Kind, Outcome, Progress, register
from .scopes import require_season, season_name, season_of

CERTIFICATES_ZIP = "certificates.zip"
WORKLIST_EXPORT = "reviews.worklist_export"
DATA_REPORT = "supervision.data_report"
REDECIDE_PREVIEW = "seasons.redecide_preview"
REDECIDE_APPLY = "seasons.redecide_apply"


def _spool() -> IO[bytes]:
    # Handed to the runner, which stores and closes it (jobs.operations.run).
    return tempfile.TemporaryFile()


def _counted[T](items: Iterable[T], progress: Progress) -> Iterator[T]:
    for item in items:
        yield item
        progress.step()


def _office_of_season(user: Any, scope: dict[str, Any]) -> bool:
    season = season_of(scope)
    return season is not None and is_city_office(user, season)


def _workbook_file(wb: Workbook) -> IO[bytes]:
    fh = _spool()
    wb.save(fh)
    return fh


# --- the bulk certificate zip ---------------------------------------------------------------


def run_certificates_zip(job: Job, progress: Progress) -> Outcome:
    season = require_season(job.scope)
    certs = season_certificates(season.pk)
    progress.start(certs.count())
    fh = _spool()
    try:
        count = certificates_zip(certs.iterator(chunk_size=200), fh, progress.step)
    except BaseException:
        fh.close()
        raise
    return Outcome(summary=f"共{count}份有效电子证书", file=fh,
                   filename=f"电子证书-{season.name}.zip")


register(Kind(
    code=CERTIFICATES_ZIP, label=_("打包下载全部电子证书"), allowed=_office_of_season,
    run=run_certificates_zip, describe=season_name,
))


# --- the worklist export (the owner's own worklist, with the filters they chose) ------------


def _worklist_filters(scope: dict[str, Any]) -> dict[str, str]:
    return {k: str(scope.get(k, ""))[:40] for k in ("state", "plan", "due", "q")}


def run_worklist_export(job: Job, progress: Progress) -> Outcome:
    roles = roles_of(job.owner)
    if not roles.any:
        raise OperationError("您已没有审核职责，不能导出待办。")
    apps = worklist_query(job.owner, roles=roles, **_worklist_filters(job.scope))
    progress.start(apps.count())
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("待办")
    ws.append(WORKLIST_COLUMNS)
    for row in worklist_rows(_counted(apps.iterator(chunk_size=500), progress)):
        ws.append(row)
    return Outcome(summary=f"共{progress.done}份申报", file=_workbook_file(wb),
                   filename=f"待办-{clock.today().isoformat()}.xlsx")


def _worklist_words(scope: dict[str, Any]) -> str:
    chosen = [v for v in _worklist_filters(scope).values() if v]
    return "按筛选条件" if chosen else "全部待办"


register(Kind(
    code=WORKLIST_EXPORT, label=_("导出待办（Excel）"),
    allowed=lambda user, _scope: roles_of(user).any, run=run_worklist_export,
    describe=_worklist_words, owner_only=True,
))


# --- the city's data report (every meeting of a season) -------------------------------------


def run_data_report(job: Job, progress: Progress) -> Outcome:
    season = require_season(job.scope)
    report = supervision_queries.city_data_report(season, clock.today())
    first, *rest = data_report_sheets(report)
    progress.start(len(report.rows))
    counted = Sheet(first.title, first.header, _counted(first.rows, progress))
    fh = _spool()
    for chunk in xlsx_chunks([counted, *rest, definitions_sheet()]):
        fh.write(chunk)
    return Outcome(summary=f"共{len(report.rows)}次评审会议", file=fh,
                   filename=f"评审数据汇总-{season.name}.xlsx")


register(Kind(
    code=DATA_REPORT, label=_("导出评审数据汇总（Excel）"), allowed=_office_of_season,
    run=run_data_report, describe=season_name,
))


# --- re-deciding a season's submitted applications under its published version --------------

REDECIDE_COLUMNS = ["申报编号", "申报人", "原数据版本", "原判定", "新判定", "判定是否改变"]


def _redecide(job: Job, progress: Progress, *, apply: bool) -> Outcome:
    season = require_season(job.scope)
    version = season.published_version
    pending = (Application.objects.filter(season=season, submitted_at__isnull=False)
               .exclude(season_version=version).count() if version else 0)
    progress.start(pending)
    results = redecide(job.owner, season, dry_run=not apply,
                       progress=lambda done, _total: progress.step(done - progress.done))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("重新判定")
    ws.append(REDECIDE_COLUMNS)
    for r in results:
        ws.append([r.application_id, r.applicant,
                   f"第{r.old_version}版" if r.old_version else "", label(r.old_verdict, "verdict"),
                   label(r.new_verdict, "verdict"), "是" if r.changed else "否"])
    changed = sum(r.changed for r in results)
    number = version.number if version else ""
    if apply:
        summary = f"已按第{number}版重新判定{len(results)}份已提交申报，{changed}份判定结果改变"
    else:
        summary = (f"预览：按第{number}版重新判定{len(results)}份已提交申报，"
                   f"{changed}份判定结果将改变（尚未写入）")
    word = "结果" if apply else "预览"
    return Outcome(summary=summary, file=_workbook_file(wb),
                   filename=f"重新判定{word}-{season.name}.xlsx")


register(Kind(
    code=REDECIDE_PREVIEW, label=_("预览按现行版本重新判定"), allowed=_office_of_season,
    run=lambda job, progress: _redecide(job, progress, apply=False), describe=season_name,
))
register(Kind(
    code=REDECIDE_APPLY, label=_("按现行版本重新判定"), allowed=_office_of_season,
    run=lambda job, progress: _redecide(job, progress, apply=True), describe=season_name,
))
