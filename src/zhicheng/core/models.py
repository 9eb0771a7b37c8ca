from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One state change. Events form a hash chain: each stores the hash of the previous.

    An operation stores its event unchained (`seq`, `prev_hash`, `hash` empty; `id` is the
    database's autoincrement); the sequencer (`core.audit.sequence_events`) gives committed
    events their place in the chain shortly after, in `id` order (docs/trust.md)."""

    seq = models.PositiveBigIntegerField(_("序号"), unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一事件哈希"), max_length=64, blank=True, default="")
    hash = models.CharField(_("哈希"), max_length=64, unique=True, null=True, blank=True)
    # The city the event belongs to (an `orgs.City` id: its target's city, else the acting
    # office's), so each city office searches its own city's events (docs/seasons.md,
    # 多城市). A search index outside the hash: the chain's proof does not depend on it.
    city_id = models.PositiveIntegerField(_("所属城市"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # The sequencer's queue: only the few events not yet chained.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True),
                         name="core_audit_unchained_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_type}:{self.target_id}"


class AuditHead(models.Model):
    """The chain's tip. Its single row is the sequencer's lock (only the sequencer takes it,
    never an operation's transaction) and spots truncation."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row")
        ]


class CalendarYear(models.Model):
    """A year the office has entered in full (for years chinese-calendar does not cover)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("依据"), max_length=200, help_text=_("国务院办公厅放假安排通知文号")
    )
    published = models.BooleanField(_("已发布"), default=False)

    class Meta:
        ordering = ["year"]
        verbose_name = _("工作日历年份")
        verbose_name_plural = _("工作日历年份")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A holiday on a weekday, or a make-up working day (调休) on a weekend; or a correction."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("说明"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.name}"
