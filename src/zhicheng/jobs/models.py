"""A job: long work one person started, with its state, progress and result file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


FINISHED = (JobState.DONE, JobState.FAILED)


class Job(models.Model):
    kind = models.CharField(_("任务类型"), max_length=60)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("发起人"))
    # What the job works on, as plain data for its runner (e.g. {"season": 3}), and in words.
    scope = models.JSONField(_("范围"), default=dict, blank=True)
    scope_label = models.CharField(_("范围说明"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=JobState.choices,
                             default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("已完成数"), default=0)
    total = models.PositiveIntegerField(_("总数"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    # Written with every progress report: a running job is stale when it has stopped
    # reporting, however long it has run (a big export may run for hours and be alive).
    heartbeat_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # An import's uploaded file, stored once its content passed the first check (a table), read
    # by the preview job and again by the confirming job (never changed: its digest is kept).
    upload = models.FileField(_("上传的文件"), upload_to="jobs/", blank=True)
    upload_name = models.CharField(_("上传的文件名"), max_length=200, blank=True)
    upload_digest = models.CharField(_("上传文件的SHA-256"), max_length=64, blank=True)
    # What an import's preview found, for its status page (counts, problems by row and column,
    # the rows) and whether it may be confirmed; see jobs/imports.py for the layout.
    report = models.JSONField(_("预览结果"), default=dict, blank=True)
    result = models.FileField(_("结果文件"), upload_to="jobs/", blank=True)
    result_name = models.CharField(_("结果文件名"), max_length=200, blank=True)
    result_summary = models.CharField(_("结果说明"), max_length=500, blank=True)
    failure_reason = models.CharField(_("失败原因"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.state == JobState.DONE else None
        return min(100, self.done * 100 // self.total)
