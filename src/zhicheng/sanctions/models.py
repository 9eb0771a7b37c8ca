"""Measures the city title office takes against a committee office that does not perform its
duties (五（三）): ordered correction by a date, suspension of evaluation, results declared
void, withdrawal of the right to evaluate. Written only by `sanctions.operations`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CORRECTION = "correction", _("限期整改")
    SUSPENSION = "suspension", _("暂停评审")
    VOID_RESULTS = "void_results", _("宣布评审结果无效")
    WITHDRAWAL = "withdrawal", _("收回评审权")


class Status(models.TextChoices):
    IN_FORCE = "in_force", _("生效中")
    REPORTED = "reported", _("已报送整改报告")
    CLOSED = "closed", _("整改已销号")
    LIFTED = "lifted", _("已解除")


class Sanction(models.Model):
    kind = models.CharField(_("处理措施"), max_length=20, choices=Kind.choices, db_index=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.IN_FORCE, db_index=True
    )
    office = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="sanctions",
        verbose_name=_("评委会办事机构"),
    )
    # Empty: every committee of the office (correction, suspension).
    committee = models.ForeignKey(
        "evaluation.Committee", on_delete=models.PROTECT, null=True, blank=True,
        related_name="sanctions", verbose_name=_("评委会"),
    )
    meeting = models.ForeignKey(
        "evaluation.Meeting", on_delete=models.PROTECT, null=True, blank=True,
        related_name="sanctions", verbose_name=_("评审会议"),
    )
    decision_number = models.CharField(_("处理决定文号"), max_length=80, unique=True)
    reason = models.TextField(_("处理理由"))
    evidence = models.TextField(_("事实与证据"))
    decided_on = models.DateField(_("决定日期"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("决定人"),
    )
    due_on = models.DateField(_("整改期限"), null=True, blank=True)
    report = models.TextField(_("整改报告"), blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("报告人"),
    )
    ended_on = models.DateField(_("销号或解除日期"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("销号或解除人"),
    )
    end_decision_number = models.CharField(_("解除决定文号"), max_length=80, blank=True)
    end_note = models.TextField(_("销号或解除意见"), blank=True)
    overdue_notified_on = models.DateField(_("逾期提醒日期"), null=True, blank=True)
    effects = models.JSONField(_("执行结果"), default=dict, blank=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("处理措施")
        verbose_name_plural = _("处理措施")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="correction") | Q(due_on__isnull=False),
                name="sanctions_correction_has_due_date",
            ),
            models.CheckConstraint(
                condition=~Q(kind="void_results") | Q(meeting__isnull=False),
                name="sanctions_void_names_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(kind="withdrawal") | Q(committee__isnull=False),
                name="sanctions_withdrawal_names_committee",
            ),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(kind="void_results"),
                name="sanctions_one_void_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decision_number}"

    @property
    def target_label(self) -> str:
        if self.meeting_id:
            return str(self.meeting)
        if self.committee_id:
            return str(self.committee)
        return f"{self.office}（{_('全部评委会')}）"

    def is_overdue(self, today: dt.date) -> bool:
        """A correction still without its report after the due date."""
        return (
            self.kind == Kind.CORRECTION
            and self.status == Status.IN_FORCE
            and self.due_on is not None
            and today > self.due_on
        )
