"""The review chain's records (四（二）–（四）): thin models; writes go through operations.py.

The state lives on `applications.Application`; these rows hold what the reviews need beside
it: the unit's checklist and opinion, correction lists with their due dates, the trail of
decisions (returns are counted from it), dossier openings, the committee's scope and
sampling share, sampling draws and findings, and provincial forwarding."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhicheng.core import clock
from zhicheng.core.clock import BusinessTimestampField


class ReviewStep(models.Model):
    """One decision of the chain, with the organisation that took it and its reasons."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="review_steps",
        verbose_name=_("申报"),
    )
    step = models.CharField(_("步骤"), max_length=40, db_index=True)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("机构"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150)
    reasons = models.TextField(_("意见或理由"), blank=True)
    is_return = models.BooleanField(_("退回"), default=False)
    submission = models.ForeignKey(
        "applications.Submission", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("所依据的快照"),
    )
    created_at = models.DateTimeField(_("时间"), default=clock.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        indexes = [models.Index(fields=["application", "step"], name="reviews_step_app_step")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.step}"


class UnitCheck(models.Model):
    """The unit's check of one submission against the originals (四（二）)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="unit_checks",
        verbose_name=_("申报"),
    )
    submission = models.OneToOneField(
        "applications.Submission", on_delete=models.PROTECT, related_name="unit_check",
        verbose_name=_("快照"),
    )
    # {str(material id): sha256 of the material seen when the original was checked}
    checked = models.JSONField(_("已核对原件的材料"), default=dict, blank=True)
    opinion = models.TextField(_("单位审核意见"), blank=True)
    updated_at = BusinessTimestampField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("审核人"),
    )

    class Meta:
        verbose_name = _("单位审核")
        verbose_name_plural = _("单位审核")

    def __str__(self) -> str:
        return f"{self.application_id} 单位审核"


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("待补正")
    ANSWERED = "answered", _("已补正")
    EXPIRED = "expired", _("逾期视为放弃")
    CLOSED = "closed", _("已关闭")


class CorrectionRequest(models.Model):
    """一次性告知: every item to correct, in one list, with a due date (四（三）)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE,
        related_name="correction_requests", verbose_name=_("申报"),
    )
    number = models.PositiveSmallIntegerField(_("次序"))
    reviewer = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("初审单位"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("告知人"),
    )
    # [{"target": "section:education" | "material:<id>" | "material:new", "label", "problem"}]
    items = models.JSONField(_("补正事项"))
    due_date = models.DateField(_("补正期限"), db_index=True)
    submission = models.ForeignKey(
        "applications.Submission", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("被补正的快照"),
    )
    answered_submission = models.ForeignKey(
        "applications.Submission", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("补正后的快照"),
    )
    # {str(new material id): str(replaced material id)} for materials replaced on request
    replacements = models.JSONField(_("替换的材料"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=CorrectionStatus.choices,
        default=CorrectionStatus.OPEN, db_index=True,
    )
    created_at = models.DateTimeField(_("告知时间"), default=clock.now)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("补正告知")
        verbose_name_plural = _("补正告知")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="reviews_correction_number_unique"
            ),
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="open"),
                name="reviews_one_open_correction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} 补正#{self.number}"

    @property
    def targets(self) -> set[str]:
        return {str(i["target"]) for i in self.items}


class DossierView(models.Model):
    """A reviewer opened this submission's dossier (approval is refused without one)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="dossier_views",
        verbose_name=_("申报"),
    )
    submission = models.ForeignKey(
        "applications.Submission", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("快照"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("查阅人"),
    )
    viewed_at = models.DateTimeField(_("首次查阅时间"), default=clock.now)

    class Meta:
        verbose_name = _("材料查阅记录")
        verbose_name_plural = _("材料查阅记录")
        constraints = [
            models.UniqueConstraint(fields=["submission", "user"], name="reviews_view_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} 查阅 {self.submission_id}"


class CommitteeSetting(models.Model):
    """A committee's scope (levels it evaluates, levels forwarded to the province) and the
    share of its accepted dossiers the city office samples. Editable by the city office."""

    plan = models.OneToOneField(
        "seasons.CommitteePlan", on_delete=models.CASCADE, related_name="review_setting",
        verbose_name=_("评审计划"),
    )
    city_levels = models.JSONField(_("本市评审的层级"), default=list)
    provincial_levels = models.JSONField(_("报送省高评委的层级"), default=list)
    sample_share = models.DecimalField(
        _("抽查比例"), max_digits=4, decimal_places=3, default=Decimal("0.100"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    note = models.CharField(_("依据或说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("评委会受理范围与抽查比例")
        verbose_name_plural = _("评委会受理范围与抽查比例")
        constraints = [
            models.CheckConstraint(
                condition=Q(sample_share__gte=0) & Q(sample_share__lte=1),
                name="reviews_sample_share_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} 受理范围"


class SamplingDraw(models.Model):
    """The city office's sample of one committee's accepted dossiers (四（四））, commit-reveal
    (`reviews/sampling.py`, docs/trust.md §Sampling draw): the commit fixes the population and
    its pseudonymous codes and publishes the seed's hash; the draw reveals the seed and the
    sample (`drawn_at` set). The same seed over the same codes gives the same sample."""

    plan = models.ForeignKey(
        "seasons.CommitteePlan", on_delete=models.PROTECT, related_name="sampling_draws",
        verbose_name=_("评审计划"),
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("抽取人"),
    )
    seed = models.CharField(_("随机种子"), max_length=64)
    seed_sha256 = models.CharField(_("种子哈希"), max_length=64)
    share = models.DecimalField(_("抽查比例"), max_digits=4, decimal_places=3)
    population = models.JSONField(_("抽查范围（申报编号）"))
    sample = models.JSONField(_("抽中（申报编号）"), default=list, blank=True)
    # {application id: this sampling's pseudonymous code}; published by code only. Empty on
    # samplings drawn before the commit-reveal (they have no public record).
    codes = models.JSONField(_("抽查编号"), default=dict, blank=True)
    created_at = models.DateTimeField(_("公布种子哈希时间"), default=clock.now)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("抽查")
        verbose_name_plural = _("抽查")

    def __str__(self) -> str:
        return f"{self.plan} 抽查 {self.created_at:%Y-%m-%d}"

    @property
    def drawn(self) -> bool:
        return self.drawn_at is not None


class FindingOutcome(models.TextChoices):
    OK = "ok", _("未发现问题")
    PROBLEM = "problem", _("发现问题")


class SampleFinding(models.Model):
    draw = models.ForeignKey(
        SamplingDraw, on_delete=models.CASCADE, related_name="findings", verbose_name=_("抽查")
    )
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="sample_findings",
        verbose_name=_("申报"),
    )
    outcome = models.CharField(_("结论"), max_length=10, choices=FindingOutcome.choices)
    finding = models.TextField(_("抽查意见"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("记录人"),
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=clock.now)

    class Meta:
        verbose_name = _("抽查意见")
        verbose_name_plural = _("抽查意见")
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "application"], name="reviews_finding_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}/{self.application_id}: {self.get_outcome_display()}"


class ProvincialResult(models.TextChoices):
    PENDING = "pending", _("待省高评委评审")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")


class ProvincialForward(models.Model):
    """A senior dossier sent to the provincial committee, and its returned result."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT,
        related_name="provincial_forward", verbose_name=_("申报"),
    )
    submission = models.ForeignKey(
        "applications.Submission", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("报送的快照"),
    )
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("报送人"),
    )
    forwarded_at = models.DateTimeField(_("报送时间"), default=clock.now)
    package = models.FileField(_("材料包"), max_length=300)
    package_sha256 = models.CharField(_("材料包哈希"), max_length=64)
    result = models.CharField(
        _("评审结果"), max_length=10, choices=ProvincialResult.choices,
        default=ProvincialResult.PENDING,
    )
    document_number = models.CharField(_("省级文号"), max_length=80, blank=True)
    result_recorded_at = models.DateTimeField(_("结果登记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报送省高评委")
        verbose_name_plural = _("报送省高评委")

    def __str__(self) -> str:
        return f"{self.application_id} 报省 {self.get_result_display()}"
