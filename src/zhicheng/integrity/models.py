"""The integrity archive (诚信档案, 五（四）): records of persons who obtained or sought a
title by fraud, and of units and staff who covered it up. A record runs `integrity_record_years`
(season parameter, 3 years) from its start; the policy engine refuses a person's
applications while one runs. Records are written only by `integrity.operations`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhicheng.core.clock import BusinessTimestampField


class SubjectKind(models.TextChoices):
    PERSON = "person", _("申报人")
    UNIT = "unit", _("单位")
    STAFF = "staff", _("工作人员")


class Reason(models.TextChoices):
    FRAUD = "fraud", _("弄虚作假")
    ACADEMIC_MISCONDUCT = "academic_misconduct", _("学术不端")
    FALSE_PLEDGE = "false_pledge", _("虚假承诺")
    COVER_UP = "cover_up", _("为弄虚作假提供便利或包庇")
    OTHER = "other", _("其他失信行为")


# The policy engine's IntegrityKind for each reason (policy/profile.py).
POLICY_KIND = {
    Reason.FRAUD: "fraud",
    Reason.ACADEMIC_MISCONDUCT: "academic_misconduct",
    Reason.FALSE_PLEDGE: "false_pledge",
    Reason.COVER_UP: "other",
    Reason.OTHER: "other",
}


class IntegrityRecord(models.Model):
    subject_kind = models.CharField(_("对象类别"), max_length=10, choices=SubjectKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="integrity_records", verbose_name=_("个人"),
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="integrity_records", verbose_name=_("单位"),
    )
    subject_name = models.CharField(_("对象名称"), max_length=120)
    reason = models.CharField(_("失信情形"), max_length=30, choices=Reason.choices)
    description = models.TextField(_("事实与证据"))
    decision_number = models.CharField(_("处理决定文号"), max_length=80)
    start = models.DateField(_("记录开始日期"))
    end = models.DateField(_("记录届满日期"))
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, null=True, blank=True,
        related_name="integrity_records", verbose_name=_("相关申报"),
    )
    city = models.ForeignKey(
        "orgs.City", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("所属城市"),
        help_text=_("记入该记录的市职称办所在城市；只有该城市的市职称办可以查看。"),
    )
    created_at = BusinessTimestampField(_("记录时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("记录人"),
    )

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("诚信档案记录")
        verbose_name_plural = _("诚信档案记录")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")),
                                   name="integrity_record_end_after_start"),
            models.CheckConstraint(
                condition=(Q(subject_kind="unit") & Q(organisation__isnull=False))
                | (~Q(subject_kind="unit") & Q(person__isnull=False)),
                name="integrity_record_has_subject",
            ),
        ]
        indexes = [models.Index(fields=["person", "end"], name="integrity_person_end")]

    def __str__(self) -> str:
        return f"{self.subject_name}·{self.get_reason_display()}（{self.start}至{self.end}）"

    def runs_on(self, day: object) -> bool:
        return bool(self.start <= day <= self.end)  # type: ignore[operator]
