"""The pages of jobs: 我的任务, a job's status page that follows it live (htmx polling, no
inline script), the download of its result, and the one door that starts a job."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhicheng.core.inputs import id_text
from zhicheng.core.operations import OperationError
from zhicheng.core.tabular import MAX_TABLE_BYTES, TableRefused, check_table

from . import imports, kinds, queries
from .models import Job, JobState
from .operations import start_job
from .registry import kind_of

POLL_SECONDS = 2
SEASON_KINDS = {kinds.CERTIFICATES_ZIP, kinds.DATA_REPORT, kinds.REDECIDE_PREVIEW,
                kinds.REDECIDE_APPLY}
CONFIRM_KINDS = {i.apply_code for i in imports.IMPORTERS.values()}


def _scope(request: HttpRequest, kind: str) -> dict[str, Any]:
    if kind in SEASON_KINDS:
        season = id_text(request.POST.get("season", ""))
        return {"season": int(season)} if season else {}
    if kind in CONFIRM_KINDS:
        preview = id_text(request.POST.get("preview", ""))
        importer = imports.importer_confirmed_by(kind)
        extra = importer.confirm_scope(request.POST) if importer and importer.confirm_scope else {}
        return {"preview": int(preview), **extra} if preview else {}
    if kind == kinds.WORKLIST_EXPORT:
        return {k: request.POST.get(k, "").strip()[:40] for k in ("state", "plan", "due", "q")}
    return {}


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponseBase:
    kind = request.POST.get("kind", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()},
                                           require_https=request.is_secure()):
        back = ""
    if kind_of(kind) is None:
        raise Http404(_("没有这种后台任务。"))
    scope = _scope(request, kind)
    if (kind in SEASON_KINDS or kind in CONFIRM_KINDS) and not scope:
        messages.error(request, _("请选择年度。"))
        return redirect(back or "jobs:mine")
    try:
        job = start_job(request.user, kind, scope)
    except OperationError as exc:
        messages.error(request, str(exc))
        return redirect(back or "jobs:mine")
    return redirect("jobs:detail", job.pk)


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponseBase:
    """An import's upload, posted by its page (e.g. 导入专家花名册): the content is checked
    here — a table, not a PDF, an old .xls or a broken workbook — and the file goes to the
    preview job, whose page shows every problem and the confirm button. A refused file is not
    kept; the upload page says why."""
    importer = imports.importer_of(request.POST.get("kind", ""))
    if importer is None:
        raise Http404(_("没有这种后台任务。"))
    scope: dict[str, Any] = {}
    for field in importer.scope_fields:
        value = id_text(request.POST.get(field, ""))
        if value:
            scope[field] = int(value)
    if len(scope) != len(importer.scope_fields) or not importer.allowed(request.user, scope):
        raise PermissionDenied
    back = importer.back(scope) or "jobs:mine"
    refusal = importer.refuse(scope) if importer.refuse else None
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, _("请选择要上传的文件。"))
        return redirect(back)
    name = file.name or "upload"
    if file.size and file.size > MAX_TABLE_BYTES:
        messages.error(request, _("%(name)s：文件超过%(mb)dMB，不像是一张表格。") % {
            "name": name, "mb": MAX_TABLE_BYTES // 1024 // 1024})
        return redirect(back)
    data = file.read()
    try:
        check_table(data)
        job = start_job(request.user, importer.preview_code, scope, upload=(name, data))
    except TableRefused as refused:
        messages.error(request, f"{name}：{refused}")
        return redirect(back)
    except OperationError as refused:
        messages.error(request, str(refused))
        return redirect(back)
    return redirect("jobs:detail", job.pk)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/mine.html",
                  {"jobs": queries.my_jobs(request.user)[:queries.MY_JOBS_SHOWN]})


def _job(request: HttpRequest, pk: int) -> Any:
    job = queries.job_for(request.user, pk)
    if job is None:
        raise Http404(_("没有找到该任务。"))
    return job


def _context(request: HttpRequest, job: Job) -> dict[str, Any]:
    """The job, and for an import: the page it came from, and the preview's confirmation
    (the button while none was started, else a link to the job that confirmed it)."""
    kind = kind_of(job.kind)
    context: dict[str, Any] = {"job": job, "poll_seconds": POLL_SECONDS,
                               "back": kind.back(job.scope) if kind and kind.back else None}
    if kind and kind.confirmed_by and job.state == JobState.DONE:
        context["confirm_kind"] = kind.confirmed_by
        importer = imports.importer_of(job.kind)
        if importer and importer.confirm_template and job.report.get("can_confirm"):
            context["confirm_template"] = importer.confirm_template
            if importer.confirm_context:
                context.update(importer.confirm_context(job))
        context["confirmation"] = (Job.objects.filter(kind=kind.confirmed_by,
                                                      scope__preview=job.pk)
                                   .exclude(state=JobState.FAILED).order_by("-pk").first())
    return context


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "jobs/detail.html", _context(request, job))


@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status block alone, polled by the status page until the job has finished."""
    job = _job(request, pk)
    return render(request, "jobs/_status.html", _context(request, job))


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _job(request, pk)
    if job.state != JobState.DONE or not job.result:
        raise Http404(_("该任务没有可下载的结果。"))
    try:
        fh = default_storage.open(job.result.name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("结果文件已不存在，请重新发起任务。")) from exc
    response = FileResponse(fh)
    response["Content-Disposition"] = content_disposition_header(True, job.result_name)
    return response
