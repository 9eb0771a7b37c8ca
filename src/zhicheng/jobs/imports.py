"""Imports as jobs (docs/jobs.md, docs/exchange.md): the expert roster (专家花名册), the
provincial committee's results (省高评委评审结果表) and the city's plan table (评审计划表).

Each import is two kinds of job. The page the office works on checks the upload's content
(`core.tabular.check_table`: a workbook or text in a known encoding, nothing else) and starts
the **preview** job with the file, which is stored with the job. The preview reads the rows
(the status page counts them as they are read), checks every row against the database and
stores its report on the job; it writes nothing else. When the report allows it, the status
page offers the **confirm** button, which starts the second job: it reads the same stored file
again (its SHA-256 is checked against the preview's), and applies it through the feature's
own import function — the normal audited operations, all in one transaction, so a refused row
leaves everything as it was. A preview is confirmed at most once.

The report (`Job.report`) is plain data for the status page:
    {"filename": str, "counts": [[label, n, tone]],
     "problems": [[row, column, message, "error" or "warning"]],
     "problems_total": int, "columns": [label], "rows": [[tone, [cell, ...]]] (a cell is the
     file's or the database's text, or {"t": label} for a fixed word the page translates),
     "rows_total": int, "can_confirm": bool, "blocked": sentence, "confirm_label": label}
Labels are the Chinese source strings, translated when the page is rendered; the problems
name the sheet row and column in Chinese, as the readers write them. At most `SHOWN` problems
and rows are kept (the counts are complete)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as noop

from zhicheng.core.inputs import id_text
from zhicheng.core.labels import label
from zhicheng.core.operations import OperationError
from zhicheng.core.tabular import TableRefused
from zhicheng.evaluation import operations as evaluation_ops
from zhicheng.evaluation.models import Committee
from zhicheng.evaluation.roster_files import read_roster_file
from zhicheng.evaluation.roster_import import ROSTER_IMPORT, ROSTER_PREVIEW, import_roster
from zhicheng.evaluation.roster_import import preview as roster_preview
from zhicheng.orgs.models import Organisation
from zhicheng.orgs.permissions import is_city_office
from zhicheng.orgs.queries import in_office_cities
from zhicheng.reviews.province_files import read_results_file
from zhicheng.reviews.province_import import (
    RESULTS_IMPORT,
    RESULTS_PREVIEW,
    import_results,
    seasons_for,
)
from zhicheng.reviews.province_import import preview as results_preview
from zhicheng.seasons.models import Season
from zhicheng.seasons.plan_files import CellProblem, read_plan_file
from zhicheng.seasons.plan_import import (
    PLAN_IMPORT,
    PLAN_PREVIEW,
    OfficeDecision,
    import_plan_table,
)
from zhicheng.seasons.plan_import import preview as plan_preview

from .models import Job, JobState
from .registry import Kind, Outcome, Progress, kind_of, register
from .scopes import require_season, season_name, season_of

SHOWN = 1000



@dataclass(frozen=True)
class Importer:
    preview_code: str
    apply_code: str
    preview_label: str | Promise
    apply_label: str | Promise
    allowed: Callable[[Any, dict[str, Any]], bool]
    describe: Callable[[dict[str, Any]], str]
    # The upload page (the status page links back to it; a refused upload returns to it).
    back: Callable[[dict[str, Any]], str | None]
    scope_fields: tuple[str, ...]  # the ids the upload form posts (e.g. "committee")
    # (preview job, file name, content, called per row read) -> the parsed upload;
    # TableRefused
    read: Callable[[Job, str, bytes, Callable[[], None]], Any]
    # (job, parsed upload) -> the report; writes nothing
    preview: Callable[[Job, Any], dict[str, Any]]
    # (job of the confirm, job of the preview, parsed upload, called per row applied) ->
    # the summary sentence; writes through the feature's operations in one transaction
    apply: Callable[[Job, Job, Any, Callable[[], None]], str]
    # Why this scope takes no upload now (a sentence for the upload page), or None.
    refuse: Callable[[dict[str, Any]], str | None] | None = None
    # Choices made with the confirm button (the plan table's unknown offices): a template
    # included in the confirm form, what it needs besides the report, and how its fields
    # become part of the confirming job's scope.
    confirm_template: str = ""
    confirm_context: Callable[[Job], dict[str, Any]] | None = None
    confirm_scope: Callable[[Any], dict[str, Any]] | None = None


def _word(text: str) -> dict[str, str]:
    """A cell the page translates (a fixed word, not the file's text)."""
    return {"t": text}


def _problems(problems: Iterable[CellProblem]) -> tuple[list[list[Any]], int]:
    found = [[p.sheet_row, p.column or "", p.message, p.severity] for p in problems]
    return found[:SHOWN], len(found)


def _report(upload: Any, *, counts: list[list[Any]], problems: Iterable[CellProblem],
            columns: list[str], rows: list[list[Any]], can_confirm: bool, blocked: str,
            confirm_label: str, **extra: Any) -> dict[str, Any]:
    shown, total = _problems(problems)
    return {"filename": upload.filename, "counts": counts, "problems": shown,
            "problems_total": total, "columns": columns, "rows": rows[:SHOWN],
            "rows_total": len(rows), "can_confirm": can_confirm,
            "blocked": "" if can_confirm else blocked, "confirm_label": confirm_label, **extra}


def _read_stored(job: Job) -> bytes:
    name = job.upload.name
    if not name:
        raise OperationError("上传的文件已不存在（可能已导入或已清理），请重新上传。")
    try:
        with default_storage.open(name, "rb") as fh:
            data: bytes = fh.read()
    except FileNotFoundError as exc:
        raise OperationError("上传的文件已不存在（可能已导入或已清理），请重新上传。") from exc
    return data


def _forget_upload(job: Job) -> None:
    """The stored file is no longer needed (imported, or it cannot be): it holds ID numbers."""
    if job.upload.name:
        default_storage.delete(job.upload.name)
        Job.objects.filter(pk=job.pk).update(upload="")


UNCONFIRMED_HOURS = 24
EXPIRED = noop("预览超过24小时未确认，上传的文件已删除：如仍需导入，请重新上传。")


def expire_unconfirmed(older_than: dt.timedelta) -> list[int]:
    """Previews finished longer ago than `older_than` and never confirmed: their stored file
    (ID numbers) is deleted and the page says to upload again (the periodic `jobs.fail_stale`
    task calls this). Idempotent."""
    cutoff = timezone.now() - older_than
    previews = [i.preview_code for i in IMPORTERS.values()]
    expired = []
    for job in Job.objects.filter(kind__in=previews, state=JobState.DONE,
                                  finished_at__lt=cutoff).exclude(upload=""):
        confirm = kind_of(job.kind)
        if confirm is not None and Job.objects.filter(
                kind=confirm.confirmed_by, scope__preview=job.pk,
                state__in=[JobState.QUEUED, JobState.RUNNING]).exists():
            continue  # being imported right now: it needs the file
        report = {**job.report, "can_confirm": False, "blocked": EXPIRED}
        default_storage.delete(job.upload.name or "")
        Job.objects.filter(pk=job.pk).update(upload="", report=report)
        expired.append(job.pk)
    return expired


def _parse(importer: Importer, job: Job, data: bytes, progress: Progress) -> Any:
    try:
        return importer.read(job, job.upload_name, data, progress.step)
    except TableRefused as refused:
        raise OperationError(f"{job.upload_name}：{refused}") from refused


def _run_preview(importer: Importer) -> Callable[[Job, Progress], Outcome]:
    def run(job: Job, progress: Progress) -> Outcome:
        try:
            upload = _parse(importer, job, _read_stored(job), progress)
            # Fixed words are kept as their Chinese source and translated on the page.
            with translation.override(settings.LANGUAGE_CODE):
                report = importer.preview(job, upload)
        except BaseException:
            _forget_upload(job)
            raise
        progress.start(report["rows_total"])
        progress.step(report["rows_total"])
        if not report["can_confirm"]:
            _forget_upload(job)
        summary = ("预览完成，尚未写入：请核对后确认导入。" if report["can_confirm"]
                   else "预览完成：不能导入，数据库未作任何修改。")
        return Outcome(summary=summary, report=report)

    return run


def _preview_job(scope: dict[str, Any], importer: Importer, *, lock: bool = False
                 ) -> Job | None:
    pk = scope.get("preview")
    if not isinstance(pk, int):
        return None
    rows = Job.objects.select_for_update() if lock else Job.objects
    return rows.filter(pk=pk, kind=importer.preview_code).first()


def _confirmable(importer: Importer) -> Callable[[Any, dict[str, Any]], bool]:
    def allowed(user: Any, scope: dict[str, Any]) -> bool:
        preview = _preview_job(scope, importer)
        return (preview is not None and preview.owner_id == user.pk
                and importer.allowed(user, preview.scope))

    return allowed


def _confirm_once(importer: Importer) -> Callable[[Any, dict[str, Any]], None]:
    def check(_user: Any, scope: dict[str, Any]) -> None:
        # The preview's row is locked: two clicks on 确认导入 start one import, not two.
        preview = _preview_job(scope, importer, lock=True)
        if preview is None or preview.state != JobState.DONE:
            raise OperationError("预览尚未完成，不能确认导入。")
        if not preview.report.get("can_confirm"):
            raise OperationError(preview.report.get("blocked")
                                 or "预览发现问题，不能导入：请改正后重新上传。")
        if Job.objects.filter(kind=importer.apply_code, scope__preview=preview.pk).exclude(
                state=JobState.FAILED).exists():
            raise OperationError("这份文件已确认导入过（或正在导入），不能重复导入。")

    return check


def _run_apply(importer: Importer) -> Callable[[Job, Progress], Outcome]:
    def run(job: Job, progress: Progress) -> Outcome:
        preview = _preview_job(job.scope, importer)
        if preview is None:
            raise OperationError("找不到要确认的预览，请重新上传。")
        upload = _parse(importer, preview, _read_stored(preview), progress)
        if upload.digest != preview.upload_digest:
            raise OperationError("上传的文件与预览时不一致，未导入：请重新上传。")
        # Progress inside the one transaction is seen by others only at its end.
        progress.start(preview.report.get("rows_total", 0))
        summary = importer.apply(job, preview, upload, progress.step)
        _forget_upload(preview)  # after the import's transaction has committed
        return Outcome(summary=summary)

    return run


IMPORTERS: dict[str, Importer] = {}


def importer_of(preview_code: str) -> Importer | None:
    return IMPORTERS.get(preview_code)


def importer_confirmed_by(apply_code: str) -> Importer | None:
    return next((i for i in IMPORTERS.values() if i.apply_code == apply_code), None)


def register_importer(importer: Importer) -> Importer:
    IMPORTERS[importer.preview_code] = importer
    register(Kind(
        code=importer.preview_code, label=importer.preview_label, allowed=importer.allowed,
        run=_run_preview(importer), describe=importer.describe, owner_only=True,
        needs_upload=True, confirmed_by=importer.apply_code, back=importer.back,
    ))
    register(Kind(
        code=importer.apply_code, label=importer.apply_label, allowed=_confirmable(importer),
        run=_run_apply(importer), owner_only=True, before_start=_confirm_once(importer),
        describe=lambda scope: (importer.describe(p.scope) if (p := _preview_job(
            scope, importer)) else "（预览已删除）"),
        back=lambda scope: (importer.back(p.scope) if (p := _preview_job(
            scope, importer)) else None),
    ))
    return importer


# --- the expert roster (docs/exchange.md, 专家花名册) ------------------------------------------


def _committee(scope: dict[str, Any]) -> Committee | None:
    pk = scope.get("committee")
    return Committee.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def _require_committee(scope: dict[str, Any]) -> Committee:
    committee = _committee(scope)
    if committee is None:
        raise OperationError("该评委会已不存在，未导入。")
    return committee


def _roster_allowed(user: Any, scope: dict[str, Any]) -> bool:
    committee = _committee(scope)
    return committee is not None and evaluation_ops.is_office(user, committee)


def _roster_preview(job: Job, upload: Any) -> dict[str, Any]:
    found = roster_preview(_require_committee(job.scope), upload)

    def row(tone: str, item: Any, action: str) -> list[Any]:
        r = item.row
        return [tone, [r.sheet_row, str(item.user), item.series.name, r.specialty,
                       _word(str(label(r.title_level, "level"))), str(item.unit),
                       f"{r.term_start.isoformat()} – {r.term_end.isoformat()}", _word(action)]]

    rows = ([row("success", item, noop("入库")) for item in found.new]
            + [row("", item, noop("已在库，跳过")) for item in found.present])
    return _report(
        upload, problems=found.problems, rows=rows, can_confirm=found.can_confirm,
        counts=[[noop("新入库"), len(found.new), "success"],
                [noop("已在库"), len(found.present), ""],
                [noop("错误"), len(found.problems), "danger"]],
        columns=[noop("行"), noop("专家"), noop("系列"), noop("专业"), noop("职称层级"),
                 noop("工作单位"), noop("任期"), noop("处理")],
        blocked=noop("不能导入：请按上表改正后重新上传（或文件中没有新专家）。数据库未作任何修改。"),
        confirm_label=noop("确认导入"),
    )


def _roster_apply(job: Job, preview: Job, upload: Any, on_row: Callable[[], None]) -> str:
    committee = _require_committee(preview.scope)
    added = import_roster(job.owner, committee, upload, on_row)
    return f"已将{len(added)}位专家加入{committee.name}的专家库。"


register_importer(Importer(
    preview_code=ROSTER_PREVIEW, apply_code=ROSTER_IMPORT,
    preview_label=_("预览专家花名册"), apply_label=_("导入专家花名册"),
    allowed=_roster_allowed,
    describe=lambda scope: (c.name if (c := _committee(scope)) else "（评委会已删除）"),
    back=lambda scope: reverse("evaluation:roster", args=[scope["committee"]])
    if isinstance(scope.get("committee"), int) else None,
    scope_fields=("committee",),
    read=lambda _job, name, data, on_row: read_roster_file(name, data, on_row),
    preview=_roster_preview, apply=_roster_apply,
))


# --- the province's results (docs/exchange.md, 导入省级评审结果) -------------------------------


def _results_allowed(user: Any, scope: dict[str, Any]) -> bool:
    pk = scope.get("season")
    return isinstance(pk, int) and any(s.pk == pk for s in seasons_for(user))


def _results_preview(job: Job, upload: Any) -> dict[str, Any]:
    found = results_preview(job.owner, require_season(job.scope), upload)

    def row(tone: str, m: Any, name: str, match: str, note: str) -> list[Any]:
        return [tone, [m.row.sheet_row, m.row.plan_row, name or "—", m.verdict,
                       m.row.document_number, _word(match), note]]

    def known(m: Any) -> str:
        return str(m.forward.application.applicant.full_name)

    def known_id(m: Any) -> int:
        return int(m.forward.application_id)

    rows = ([row("success", m, known(m), noop("待登记"), f"申报编号{known_id(m)}")
             for m in found.matched]
            + [row("", m, known(m), noop("已登记"), m.reason) for m in found.recorded]
            + [row("warning", m, m.row.name, noop("冲突"), m.reason) for m in found.conflicting]
            + [row("warning", m, m.row.name, noop("未匹配"), m.reason) for m in found.unmatched])
    blocked = (noop("文件有错误，不能导入：请按上表改正后重新上传。数据库未作任何修改。")
               if found.errors else noop("没有待登记的行，数据库未作任何修改。"))
    return _report(
        upload, problems=upload.problems, rows=rows, can_confirm=found.can_confirm,
        counts=[[noop("待登记"), len(found.matched), "success"],
                [noop("已登记"), len(found.recorded), ""],
                [noop("冲突"), len(found.conflicting), "danger"],
                [noop("未匹配"), len(found.unmatched), "danger"],
                [noop("未填结果"), len(upload.skipped), ""],
                [noop("错误"), found.errors, "danger"]],
        columns=[noop("行"), noop("计划表序号"), noop("姓名"), noop("评审结果"),
                 noop("省级文号"), noop("匹配"), noop("说明")],
        blocked=blocked, confirm_label=noop("确认登记评审结果"),
    )


def _results_apply(job: Job, preview: Job, upload: Any, on_row: Callable[[], None]) -> str:
    season = require_season(preview.scope)
    recorded = import_results(job.owner, season, upload, on_row)
    return f"已登记{len(recorded)}名申报人的省高评委评审结果（{season.name}）。"


register_importer(Importer(
    preview_code=RESULTS_PREVIEW, apply_code=RESULTS_IMPORT,
    preview_label=_("预览省级评审结果"), apply_label=_("导入省级评审结果"),
    allowed=_results_allowed,
    describe=season_name,
    back=lambda scope: (f"{reverse('province:results')}?season={s.code}"
                        if (s := season_of(scope)) else None),
    scope_fields=("season",),
    read=lambda _job, name, data, on_row: read_results_file(name, data, on_row),
    preview=_results_preview, apply=_results_apply,
))


# --- the city's plan table (docs/seasons.md, 评审计划表导入) ----------------------------------


def _plan_allowed(user: Any, scope: dict[str, Any]) -> bool:
    pk = scope.get("season")
    return (isinstance(pk, int) and is_city_office(user)
            and Season.objects.filter(in_office_cities(user, "owner"), pk=pk).exists())


def _plan_refuse(scope: dict[str, Any]) -> str | None:
    season = season_of(scope)
    if season is not None and season.published_version_id is None and season.versions.exists():
        # A draft's plan table is part of its data: rows written here would not be published.
        return (f"{season.name}的数据还是草稿：请在“届次管理”打开它的草稿页上传计划表，"
                "发布时一并生效。")
    return None


def _plan_read(job: Job, name: str, data: bytes, _on_row: Callable[[], None]) -> Any:
    # Read with merged cells (openpyxl's full mode): a plan table is a few hundred rows.
    return read_plan_file(require_season(job.scope).code, name, data)


def _plan_preview(job: Job, upload: Any) -> dict[str, Any]:
    found = plan_preview(require_season(job.scope), upload)
    rows = []
    for number, row in sorted(upload.table.rows.items()):
        action: Any
        if number in found.changed_rows:
            tone, action = "warning", f"修改：{'、'.join(found.changed_rows[number])}"
        elif number in found.new_rows:
            tone, action = "success", _word(noop("新增"))
        else:
            tone, action = "", _word(noop("不变"))
        office = (_word(noop("系统中没有，确认时选择")) if row.office in found.unknown_offices
                  else row.office)
        rows.append([tone, [number, row.specialty, row.office or "—", office,
                            row.evaluation_text, action]])
    return _report(
        upload, problems=upload.problems, rows=rows, can_confirm=found.can_confirm,
        counts=[[noop("共计"), len(upload.table.rows), ""],
                [noop("新增"), len(found.new_rows), "success"],
                [noop("修改"), len(found.changed_rows), ""],
                [noop("不变"), len(found.unchanged_rows), ""],
                [noop("错误"), len(upload.errors), "danger"],
                [noop("提示"), len(upload.warnings), ""]],
        columns=[noop("序号"), noop("专业名称"), noop("评委会办事机构"), noop("系统中的机构"),
                 noop("计划评审时间"), noop("处理")],
        blocked=noop("文件有错误，不能导入：请按上表改正后重新上传。数据库未作任何修改。"),
        confirm_label=noop("确认导入"), unknown_offices=found.unknown_offices,
        absent_rows=found.absent_rows,
    )


def _plan_confirm_scope(posted: Any) -> dict[str, Any]:
    """The choice made for each unknown office, by its place in the preview's list."""
    decisions: dict[str, dict[str, Any]] = {}
    for key in posted:
        parts = key.split("-")
        if len(parts) != 3 or parts[0] != "office" or parts[2] != "action":
            continue
        action = posted.get(key, "")
        if not parts[1].isdigit() or action not in ("link", "create", "text"):
            continue
        chosen = id_text(posted.get(f"office-{parts[1]}-organisation", ""))
        decisions[parts[1]] = {"action": action,
                               "organisation": int(chosen) if chosen else None}
    return {"decisions": decisions}


def _plan_apply(job: Job, preview: Job, upload: Any, _on_row: Callable[[], None]) -> str:
    season = require_season(preview.scope)
    offices = preview.report.get("unknown_offices", [])
    chosen = job.scope.get("decisions", {})
    decisions = {
        name: OfficeDecision(chosen[str(i)]["action"], chosen[str(i)]["organisation"])
        for i, name in enumerate(offices) if str(i) in chosen
    }
    report = import_plan_table(job.owner, season, upload, decisions)
    return (f"已导入{season.name}评审计划表：新增{len(report.created)}项，"
            f"修改{len(report.updated)}项，未变{report.unchanged}项。")


register_importer(Importer(
    preview_code=PLAN_PREVIEW, apply_code=PLAN_IMPORT,
    preview_label=_("预览评审计划表"), apply_label=_("导入评审计划表"),
    allowed=_plan_allowed, refuse=_plan_refuse,
    describe=season_name,
    back=lambda scope: (f"{reverse('plan_import:upload')}?season={s.code}"
                        if (s := season_of(scope)) else None),
    scope_fields=("season",),
    read=_plan_read, preview=_plan_preview, apply=_plan_apply,
    confirm_template="seasons/_plan_office_choices.html",
    confirm_context=lambda _job: {"organisations": list(
        Organisation.objects.order_by("name").only("pk", "name"))},
    confirm_scope=_plan_confirm_scope,
))
