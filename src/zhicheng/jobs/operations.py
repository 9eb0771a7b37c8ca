"""Starting a job (one audit event) and running it (state and progress, not audited: the work
a job does is audited by the operations it calls, e.g. `season.redecide`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from zhicheng.core.actors import Actor, person
from zhicheng.core.operations import NotPermitted, OperationError, operation

from .models import Job, JobState
from .registry import Progress, kind_of, update_job

logger = logging.getLogger(__name__)

STALE_FAILURE = "任务长时间未完成（可能因服务重启而中断），已停止，未生成任何结果；请重新发起。"
GENERIC_FAILURE = "任务执行时出错，未生成任何结果；错误已记入系统日志，请稍后重试或联系系统管理员。"


def start_job(actor: Actor, kind_code: str, scope: dict[str, Any],
              upload: tuple[str, bytes] | None = None) -> Job:
    """Queue a job of `kind_code` on `scope` for `actor` (one audit event `job.start`); it runs
    once the transaction commits (a Celery worker, or in-process when tasks run eagerly).
    An import is started with its uploaded file (`upload`: name and content), stored with the
    job; if the start is refused, nothing is kept."""
    kind = kind_of(kind_code)
    if kind is None:
        raise OperationError("没有这种后台任务。")
    if not getattr(actor, "is_authenticated", False) or not kind.allowed(actor, scope):
        raise NotPermitted("您没有权限发起此任务（或对象不在您的管辖范围内）。")
    if kind.needs_upload != (upload is not None):
        raise OperationError("请选择要上传的文件。" if kind.needs_upload
                             else "此任务不接受上传文件。")
    stored = ""
    try:
        with operation(actor, "job.start") as op:
            if kind.before_start is not None:
                kind.before_start(actor, scope)
            job = Job(kind=kind.code, owner=person(actor), scope=scope,
                      scope_label=kind.describe(scope)[:200])
            if upload is not None:
                name, data = upload
                suffix = PurePosixPath(name).suffix.lower()[:10]
                stored = default_storage.save(f"jobs/uploads/{uuid.uuid4().hex}{suffix}",
                                              ContentFile(data))
                job.upload, job.upload_name = stored, name[:200]
                job.upload_digest = hashlib.sha256(data).hexdigest()
            job.save()
            op.obj = job
            op.summary = f"发起后台任务：{kind.label}（{job.scope_label}）"[:500]
            # The file's name and digest identify it in the audit; its content stays out.
            op.data = {"kind": kind.code, "scope": scope,
                       **({"file": job.upload_name, "sha256": job.upload_digest}
                          if upload is not None else {})}
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    # Imported here: a cycle (tasks imports this module to run the job).
    from .tasks import run_job

    if getattr(settings, "ZHICHENG_JOBS_THREAD", False):
        transaction.on_commit(lambda: in_background(run_job, job.pk))
    else:
        transaction.on_commit(lambda: run_job.delay(job.pk))
    return job


def in_background(task: Any, job_id: int) -> threading.Thread:
    """The embedded mode's worker: the same eager task, in a thread of the server, so the
    request returns at once and the status page follows the job as it progresses."""

    def work() -> None:
        try:
            task.apply(args=[job_id])
        finally:
            connections.close_all()  # the thread's own database connections

    thread = threading.Thread(target=work, name=f"job-{job_id}", daemon=True)
    thread.start()
    return thread


def run(job_id: int) -> None:
    """Run a queued job once (a second delivery of the task finds it claimed and does nothing)."""
    claimed = update_job(Job.objects.filter(pk=job_id, state=JobState.QUEUED),
                         state=JobState.RUNNING, started_at=timezone.now(),
                         heartbeat_at=timezone.now())
    if not claimed:
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    kind = kind_of(job.kind)
    try:
        if kind is None:
            raise OperationError("没有这种后台任务。")
        outcome = kind.run(job, Progress(job))
    except OperationError as exc:
        _fail(job, str(exc))
        return
    except Exception:  # any other error: logged with its traceback, shown as a sentence
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, GENERIC_FAILURE)
        return
    name = ""
    try:
        if outcome.file is not None:
            suffix = PurePosixPath(outcome.filename).suffix
            outcome.file.seek(0)
            name = default_storage.save(f"jobs/{job.pk}/{uuid.uuid4().hex}{suffix}",
                                        File(outcome.file))
        # Only a row still running: one already failed as stale keeps its reason (its result
        # would contradict what the page has told its owner), and the file is not kept.
        finished = update_job(
            Job.objects.filter(pk=job.pk, state=JobState.RUNNING), state=JobState.DONE,
            finished_at=timezone.now(), result=name,
            result_name=outcome.filename[:200], result_summary=outcome.summary[:500],
            **({"report": outcome.report} if outcome.report is not None else {}))
        if not finished and name:
            default_storage.delete(name)
    except Exception:
        logger.exception("job %s (%s): storing the result failed", job.pk, job.kind)
        if name:
            default_storage.delete(name)
        _fail(job, GENERIC_FAILURE)
    finally:
        if outcome.file is not None:
            outcome.file.close()


def _fail(job: Job, reason: str) -> None:
    update_job(Job.objects.filter(pk=job.pk, state=JobState.RUNNING), state=JobState.FAILED,
               finished_at=timezone.now(), failure_reason=reason[:500], result="",
               result_name="")


def fail_stale(older_than: dt.timedelta) -> list[int]:
    """Jobs queued, or running without a progress report, for longer than `older_than` (their
    worker or server thread died): failed with a Chinese reason, so nobody waits on them for
    ever. A running job is judged by its last heartbeat, not by when it started. Idempotent."""
    cutoff = timezone.now() - older_than
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    is_stale = (Q(state=JobState.RUNNING) & silent
                | Q(state=JobState.QUEUED, created_at__lt=cutoff))
    stale = list(Job.objects.filter(is_stale).values_list("pk", flat=True))
    # The same test again in the update: a job that reported progress in between stays running.
    Job.objects.filter(is_stale, pk__in=stale).update(
        state=JobState.FAILED, finished_at=timezone.now(), failure_reason=STALE_FAILURE)
    return stale
