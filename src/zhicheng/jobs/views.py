"""The pages of jobs: 我的任务, a job's status page that follows it live (htmx polling, no
inline script), the download of its result, and the one door that starts a job."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhicheng.core.inputs import id_text
from zhicheng.core.operations import OperationError

from . import kinds, queries
from .models import JobState
from .operations import start_job
from .registry import kind_of

POLL_SECONDS = 2
SEASON_KINDS = {kinds.CERTIFICATES_ZIP, kinds.DATA_REPORT, kinds.REDECIDE_PREVIEW,
                kinds.REDECIDE_APPLY}


def _scope(request: HttpRequest, kind: str) -> dict[str, Any]:
    if kind in SEASON_KINDS:
        season = id_text(request.POST.get("season", ""))
        return {"season": int(season)} if season else {}
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
    if kind in SEASON_KINDS and not scope:
        messages.error(request, _("请选择年度。"))
        return redirect(back or "jobs:mine")
    try:
        job = start_job(request.user, kind, scope)
    except OperationError as exc:
        messages.error(request, str(exc))
        return redirect(back or "jobs:mine")
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


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "jobs/detail.html", {"job": job, "poll_seconds": POLL_SECONDS})


@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status block alone, polled by the status page until the job has finished."""
    job = _job(request, pk)
    return render(request, "jobs/_status.html", {"job": job, "poll_seconds": POLL_SECONDS})


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
