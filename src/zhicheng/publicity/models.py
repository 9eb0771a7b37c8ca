"""Publicity (公示) and objections (异议). Thin models; writes go through operations.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhicheng.applications.states import State
from zhicheng.core import clock
from zhicheng.orgs.models import Role
from zhicheng.policy.dates import cn_date


class Kind(models.TextChoices):
    UNIT = "unit", _("单位公示")
    PRE_EVALUATION = "pre_evaluation", _("评前公示")
    RESULT = "result", _("结果公示")


# The application state during which each kind of publicity runs (states.py), and back.
STATE_FOR_KIND: dict[str, str] = {
    Kind.UNIT: State.UNIT_PUBLICITY,
    Kind.PRE_EVALUATION: State.PRE_EVALUATION_PUBLICITY,
    Kind.RESULT: State.RESULT_PUBLICITY,
}
KIND_FOR_STATE: dict[str, str] = {state: kind for kind, state in STATE_FOR_KIND.items()}
# Who posts each kind, and so who resolves its objections: the employer's HR for the unit
# publicity (四（二）), the committee office for the others (四（四）、五（二）).
POSTING_ROLE: dict[str, str] = {
    Kind.UNIT: Role.UNIT_HR,
    Kind.PRE_EVALUATION: Role.COMMITTEE_OFFICE,
    Kind.RESULT: Role.COMMITTEE_OFFICE,
}
# Display order on the public page: the order of the procedure.
KIND_ORDER = (Kind.UNIT, Kind.PRE_EVALUATION, Kind.RESULT)


def parameter_name(kind: str) -> str:
    """Season.parameters["periods"][…] holding the working days of a kind of publicity."""
    return f"{kind}_publicity_workdays"


class Status(models.TextChoices):
    """Derived, never stored: what the public sees on a given day."""

    NOT_STARTED = "not_started", _("未开始")
    RUNNING = "running", _("公示中")
    ENDED = "ended", _("已结束")


def status_of(first_day: dt.date, last_day: dt.date, closed_at: Any, day: dt.date) -> Status:
    """What the public sees on `day` of a publicity with these dates (Publicity.status_on;
    the public list reads these columns as values, without an instance)."""
    if closed_at is not None or day > last_day:
        return Status.ENDED
    if day < first_day:
        return Status.NOT_STARTED
    return Status.RUNNING


class Publicity(models.Model):
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="publicities",
        verbose_name=_("申报"),
    )
    kind = models.CharField(_("公示类型"), max_length=20, choices=Kind.choices)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="publicities",
        verbose_name=_("公示单位"),
    )
    first_day = models.DateField(_("公示开始日期"))
    last_day = models.DateField(_("公示截止日期"), db_index=True)
    required_workdays = models.PositiveSmallIntegerField(_("公示工作日数"))
    parameter = models.CharField(_("年度参数"), max_length=60)
    clause = models.CharField(_("依据条款"), max_length=40)
    opened_at = models.DateTimeField(_("发布时间"), default=clock.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # The public list's order as stored, indexed (docs/performance.md): the kind's place in
    # the procedure (KIND_ORDER) and the applicant's name as posted. Set by save().
    kind_rank = models.PositiveSmallIntegerField(_("公示类型次序"), default=0)
    sort_name = models.CharField(_("排序姓名"), max_length=150, blank=True, default="")

    class Meta:
        ordering = ["kind", "-first_day", "pk"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "round"], name="publicity_unique_round"
            ),
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="publicity_last_after_first"
            ),
            models.CheckConstraint(
                condition=Q(required_workdays__gte=1), name="publicity_at_least_one_workday"
            ),
        ]
        indexes = [
            models.Index(fields=["closed_at", "last_day"], name="publicity_due"),
            models.Index(fields=["application", "kind", "round"], name="publicity_current"),
            models.Index(fields=["kind_rank", "-first_day", "sort_name", "id"],
                         name="publicity_public_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.application_id}（{self.date_range}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.kind_rank = KIND_ORDER.index(Kind(self.kind)) if self.kind in Kind.values else 0
        if not self.sort_name and self.application_id is not None:
            self.sort_name = self.application.applicant.full_name
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "kind" in update_fields:
            kwargs["update_fields"] = {*update_fields, "kind_rank"}
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def date_range(self) -> str:
        return f"{cn_date(self.first_day)}至{cn_date(self.last_day)}"

    @property
    def date_range_full(self) -> str:
        """2024年9月27日至2024年10月9日（5个工作日）"""
        return f"{self.date_range}（{self.required_workdays}个工作日）"

    def status_on(self, day: dt.date) -> Status:
        return status_of(self.first_day, self.last_day, self.closed_at, day)

    def accepts_objections_on(self, day: dt.date) -> bool:
        return self.status_on(day) == Status.RUNNING


class ObjectionState(models.TextChoices):
    OPEN = "open", _("待处理")
    RESOLVED = "resolved", _("已处理")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    publicity = models.ForeignKey(
        Publicity, on_delete=models.PROTECT, related_name="objections", verbose_name=_("公示")
    )
    name = models.CharField(_("异议人姓名"), max_length=64, blank=True)
    contact = models.CharField(_("联系方式"), max_length=120)
    text = models.TextField(_("异议内容"))
    filed_at = models.DateTimeField(_("提出时间"), default=clock.now)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    resolution = models.TextField(_("处理意见"), blank=True)
    outcome = models.CharField(_("处理结论"), max_length=10, choices=Outcome.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["filed_at", "pk"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        constraints = [
            # A resolution is written, has an outcome, a person and a time; an open one none.
            models.CheckConstraint(
                condition=(
                    Q(state="open", outcome="", resolved_at__isnull=True)
                    | (
                        Q(state="resolved", resolved_at__isnull=False, resolved_by__isnull=False)
                        & ~Q(outcome="")
                        & ~Q(resolution="")
                    )
                ),
                name="publicity_objection_resolution_complete",
            ),
            models.CheckConstraint(condition=~Q(contact=""), name="publicity_objection_contact"),
        ]
        indexes = [models.Index(fields=["publicity", "state"], name="publicity_objection_open")]

    def __str__(self) -> str:
        return f"异议#{self.pk}（{self.get_state_display()}）"

    @property
    def reference(self) -> str:
        """The number the objector quotes when asking after it: GS-<year filed>-<00012>."""
        return f"GS-{self.filed_at.year}-{self.pk:05d}"

    @property
    def is_open(self) -> bool:
        return self.state == ObjectionState.OPEN
