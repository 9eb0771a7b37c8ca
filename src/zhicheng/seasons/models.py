import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhicheng.core.clock import BusinessTimestampField
from zhicheng.orgs.models import City, Organisation
from zhicheng.policy.plans import parse_window


class Season(models.Model):
    code = models.SlugField(_("代码"), unique=True)
    name = models.CharField(_("名称"), max_length=80)
    year = models.PositiveSmallIntegerField(_("年度"))
    city = models.CharField(_("城市"), max_length=20)
    # The city running the season (its officials, its public pages); `city` is its name as
    # the notice prints it.
    owner = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="seasons",
        verbose_name=_("所属城市"),
    )
    notice_number = models.CharField(_("通知文号"), max_length=60)
    notice_title = models.CharField(_("通知标题"), max_length=120)
    notice_date = models.DateField(_("发文日期"))
    seniority_cutoff = models.DateField(_("资历截止日期"))
    materials_cutoff = models.DateField(_("业绩材料截止日期"))
    evaluation_deadline = models.DateField(_("评审完成期限"))
    committee_notice_due = models.DateField(_("评委会通知报送期限"))
    initial_determination_months = models.JSONField(_("初定月份"), default=list)
    parameters = models.JSONField(_("全部参数"), default=dict, blank=True)
    is_current = models.BooleanField(_("当前年度"), default=False)
    # The version the engine decides new applications under (None: a draft season).
    published_version = models.ForeignKey(
        "SeasonVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("生效版本"),
    )
    # Closed and archived: its pages stay readable, it takes no new applications.
    archived_on = models.DateField(_("归档日期"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("评审年度")
        verbose_name_plural = _("评审年度")
        constraints = [
            # One current season per city.
            models.UniqueConstraint(
                fields=["owner", "is_current"],
                condition=models.Q(is_current=True),
                name="one_current_season_per_city",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def key_dates(self) -> list[tuple[str, dt.date, str]]:
        """(label, date, clause) in date order, for the portal."""
        dates = [
            ("资历（任职年限）计算截止", self.seniority_cutoff, "二（二）"),
            ("业绩成果、论文、学历截止", self.materials_cutoff, "二（二）"),
            ("评委会年度通知报市职称办会签", self.committee_notice_due, "三（三）"),
            ("中初级职称评审完成期限", self.evaluation_deadline, "三（一）"),
        ]
        return sorted(dates, key=lambda d: d[1])


class PlanSource(models.TextChoices):
    PRINTED = "printed", _("原文")
    OFFICE = "office", _("市职称办补录")


def month_mask(months: frozenset[int] | set[int]) -> int:
    return sum(1 << m for m in months)


class CommitteePlan(models.Model):
    """One row of the season's plan table (the notice's attachment 评审计划表)."""

    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="plans", verbose_name=_("年度")
    )
    row = models.PositiveSmallIntegerField(_("序号"))
    specialty = models.CharField(_("专业名称"), max_length=120)
    office_name = models.CharField(_("评委会办事机构"), max_length=60, blank=True)
    office = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("办事机构（机构）"),
    )
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("材料报送地址"), max_length=200, blank=True)
    acceptance_text = models.CharField(_("申报材料受理时间"), max_length=60, blank=True)
    evaluation_text = models.CharField(_("计划评审时间"), max_length=60, blank=True)
    remarks = models.CharField(_("备注"), max_length=200, blank=True)
    acceptance_mask = models.PositiveIntegerField(_("受理月份掩码"), default=0, editable=False)
    provenance = models.JSONField(_("推断来源"), default=dict, blank=True)
    source = models.CharField(
        _("来源"), max_length=10, choices=PlanSource.choices, default=PlanSource.PRINTED
    )
    series = models.ManyToManyField(
        "catalogue.Series", blank=True, related_name="plans", verbose_name=_("职称系列")
    )

    class Meta:
        ordering = ["season", "row"]
        verbose_name = _("评审计划")
        verbose_name_plural = _("评审计划")
        constraints = [
            models.UniqueConstraint(fields=["season", "row"], name="seasons_plan_row_unique")
        ]

    def __str__(self) -> str:
        return f"{self.row}. {self.specialty}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.acceptance_mask = month_mask(parse_window(self.acceptance_text).all_months)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def acceptance_months(self) -> list[int]:
        return [m for m in range(1, 13) if self.acceptance_mask & (1 << m)]

    def is_open_on(self, day: dt.date) -> bool:
        return day.year == self.season.year and bool(self.acceptance_mask & (1 << day.month))

    def opens_after(self, day: dt.date) -> int | None:
        """The next month this season in which the window opens, or None."""
        if day.year != self.season.year:
            return None
        later = [m for m in self.acceptance_months if m > day.month]
        return later[0] if later else None


class DataWarning(models.Model):
    """A problem in the source data, kept as printed and shown to the office."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="warnings")
    row = models.PositiveSmallIntegerField(_("序号"), null=True, blank=True)
    field = models.CharField(_("字段"), max_length=40)
    message = models.CharField(_("说明"), max_length=300)
    resolved = models.BooleanField(_("已处理"), default=False)

    class Meta:
        ordering = ["row", "field"]
        verbose_name = _("数据提示")
        verbose_name_plural = _("数据提示")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "row", "field", "message"], name="seasons_warning_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.row or ''} {self.field}: {self.message}"


class Notice(models.Model):
    season = models.ForeignKey(
        Season, on_delete=models.SET_NULL, null=True, blank=True, related_name="notices"
    )
    slug = models.SlugField(_("标识"), unique=True)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    issuer = models.CharField(_("发文单位"), max_length=120, blank=True)
    date = models.DateField(_("日期"))
    body = models.TextField(_("正文（Markdown）"))
    published = models.BooleanField(_("已发布"), default=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")

    def __str__(self) -> str:
        return self.title


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被更正版本取代")


class ImmutableVersion(Exception):
    pass


class SeasonVersion(models.Model):
    """One snapshot of a season package (docs/seasons.md): its parsed data and SHA-256.

    A draft may be replaced; once published a version never changes (a correction is a new
    version), so every application can name the version it was decided under.
    """

    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="versions", verbose_name=_("年度")
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    data = models.JSONField(_("数据包内容"))
    sha256 = models.CharField(_("数据包哈希"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    # A draft to be published on this date by the daily task (seasons.publish_due).
    scheduled_on = models.DateField(_("计划发布日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = BusinessTimestampField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("创建人"),
    )

    class Meta:
        ordering = ["season", "number"]
        verbose_name = _("年度数据版本")
        verbose_name_plural = _("年度数据版本")
        constraints = [
            models.UniqueConstraint(fields=["season", "number"], name="seasons_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.season.code}@{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = SeasonVersion.objects.filter(pk=self.pk).values("status", "sha256").first()
            if stored and stored["status"] != VersionStatus.DRAFT and (
                stored["sha256"] != self.sha256 or self.status == VersionStatus.DRAFT
            ):
                raise ImmutableVersion("已发布的年度数据版本不可修改，请新建更正版本。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.status != VersionStatus.DRAFT:
            raise ImmutableVersion("已发布的年度数据版本不可删除。")
        return super().delete(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.season.name} 第{self.number}版（{self.get_status_display()}）"


class DocumentKind(models.TextChoices):
    PUBLICITY_NOTICE = "publicity_notice", _("公示通知")
    RESULT_DOCUMENT = "result_document", _("评审结果文件")
    OPENING_REPORT = "opening_report", _("开评报告")
    ROSTER = "roster", _("评审对象花名册")


class DocumentTemplate(models.Model):
    """What the city office adjusted in one printed document of a season (docs/documents.md
    §Document templates). No row: the defaults of `seasons.doctemplates`; a later season of
    the same city starts from the latest earlier row."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE,
                               related_name="document_templates", verbose_name=_("评审年度"))
    kind = models.CharField(_("文件"), max_length=30, choices=DocumentKind.choices)
    header = models.CharField(_("文头"), max_length=120, blank=True)
    office_name = models.CharField(_("发文单位"), max_length=120, blank=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    closing = models.TextField(_("结尾文字"), max_length=2000, blank=True)
    contact = models.CharField(_("联系方式"), max_length=300, blank=True)
    columns = models.JSONField(_("可选列"), default=list, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("文件模板")
        verbose_name_plural = _("文件模板")
        constraints = [models.UniqueConstraint(fields=["season", "kind"],
                                               name="seasons_document_template_unique")]

    def __str__(self) -> str:
        return f"{self.season} · {self.get_kind_display()}"
