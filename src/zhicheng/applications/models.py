"""Applications (申报): the applicant's profile, the application, its materials, its frozen
submissions and the applicant's inbox. Thin models; writes go through operations.py."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhicheng.catalogue.models import Level
from zhicheng.core.clock import BusinessTimestampField

from .states import State


class ApplicantProfile(models.Model):
    """The applicant's facts, stored as the policy engine's Profile JSON (without `request`).

    `facts` validates with `zhicheng.policy.profile.Profile` on every save (profiles.py);
    `meta` holds what the engine does not read, per fact: a stable `uid` (materials point to
    it), and "verified online" marks (学信网 report within 3 months, 五（五）).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applicant_profile",
        verbose_name=_("申报人"),
    )
    employer = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applicant_profiles",
        limit_choices_to={"kind": "employer"},
        verbose_name=_("工作单位"),
    )
    freelancer = models.BooleanField(_("自由职业"), default=False)
    schema_version = models.CharField(_("资料格式版本"), max_length=10)
    facts = models.JSONField(_("个人资料"), default=dict)
    meta = models.JSONField(_("附注"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = BusinessTimestampField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("申报人资料")
        verbose_name_plural = _("申报人资料")
        constraints = [
            models.CheckConstraint(
                condition=~Q(freelancer=True, employer__isnull=False),
                name="applications_profile_freelancer_has_no_employer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} 的申报资料"


class Route(models.TextChoices):
    NORMAL = "normal", _("正常申报")
    INITIAL_DETERMINATION = "initial_determination", _("职称初定")
    SAME_LEVEL_TRANSFER = "same_level_transfer", _("同级转评")
    EDUCATION_EXCEPTION = "education_exception", _("学历破格（持地方职称）")
    ASSESSMENT_RECOGNITION = "assessment_recognition", _("考核认定")


class Application(models.Model):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("申报人"),
    )
    season = models.ForeignKey(
        "seasons.Season", on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("年度"),
    )
    # The season data the eligibility decision was made under (set at first submission).
    season_version = models.ForeignKey(
        "seasons.SeasonVersion", on_delete=models.PROTECT, null=True, blank=True,
        related_name="applications", verbose_name=_("判定依据的年度数据版本"),
    )
    plan = models.ForeignKey(
        "seasons.CommitteePlan",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("评委会（评审计划）"),
    )
    series = models.ForeignKey(
        "catalogue.Series", on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("系列"),
    )
    specialty = models.CharField(_("专业"), max_length=120)
    level = models.CharField(_("申报层级"), max_length=20, choices=Level.choices)
    route = models.CharField(_("申报途径"), max_length=30, choices=Route.choices,
                             default=Route.NORMAL)
    state = models.CharField(
        _("状态"), max_length=30, choices=State.choices, default=State.DRAFT, db_index=True
    )
    explanation = models.TextField(_("情况说明（需人工审核事项）"), blank=True)
    # Routing, fixed at submission (四, 四（三）).
    employer = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="employee_applications", verbose_name=_("用人单位"),
    )
    freelancer = models.BooleanField(_("自由职业"), default=False)
    preliminary_reviewer = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="applications_to_review", verbose_name=_("初审单位"),
    )
    # Commitment 承诺书 (五（四）).
    commitment_accepted_at = models.DateTimeField(_("承诺时间"), null=True, blank=True)
    commitment_ip = models.GenericIPAddressField(_("承诺IP地址"), null=True, blank=True)
    commitment_sha256 = models.CharField(_("承诺书文本哈希"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = BusinessTimestampField(_("创建时间"), auto_now_add=True)
    updated_at = BusinessTimestampField(_("修改时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # The worklist's order, stored and indexed (docs/performance.md): the nearest deadline
    # (an open correction's due date, else the last day of a running publicity) and when the
    # dossier last moved (its latest review step, else its submission). Kept by
    # reviews.operations.refresh_worklist_keys in the transaction of every write that
    # changes them.
    due_on = models.DateField(_("待办截止日期"), null=True, blank=True)
    received_at = models.DateTimeField(_("收到时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("职称申报")
        verbose_name_plural = _("职称申报")
        indexes = [
            models.Index(fields=["state", "due_on", "received_at", "id"],
                         name="application_worklist_order"),
            # A district bureau's worklist (and its count) out of the ~14,000 applications it
            # reviews in a season: without it PostgreSQL combined the reviewer's index with
            # the state's (46,000 rows at 100,000 applications), 7 ms per query.
            models.Index(fields=["preliminary_reviewer", "state", "due_on", "received_at", "id"],
                         name="application_reviewer_worklist"),
        ]
        constraints = [
            # 二（八）2 and 四: one application (one committee, one level) per person per year.
            models.UniqueConstraint(
                fields=["applicant", "season"],
                condition=~Q(state="withdrawn"),
                name="applications_one_per_season",
                violation_error_message=_("同一年度只能提交一份职称申报（二（八）2、四）。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} · {self.get_level_display()} · {self.specialty}"

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)

    @property
    def is_draft(self) -> bool:
        return self.state == State.DRAFT


class MaterialKind(models.TextChoices):
    IDENTITY = "identity", _("身份证件")
    EDUCATION = "education", _("学历学位证书（或学信网报告）")
    TITLE = "title", _("职称证书")
    CONTRACT = "contract", _("劳动（聘用）合同")
    SOCIAL_INSURANCE = "social_insurance", _("社保证明")
    ASSESSMENT = "assessment", _("年度考核")
    CONTINUING_EDUCATION = "continuing_education", _("继续教育证明")
    ACHIEVEMENT = "achievement", _("业绩成果、论文")
    EXAM = "exam", _("考试成绩")
    OTHER = "other", _("其他")


class Material(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="materials",
        verbose_name=_("申报"),
    )
    kind = models.CharField(_("类别"), max_length=30, choices=MaterialKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=60)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # A PDF whose active content was removed on upload (documents.pdfclean): the hash of the
    # file as uploaded, and what was removed (codes of pdfclean.LABELS). `sha256` is the
    # stored, cleaned file's.
    original_sha256 = models.CharField(_("原始文件SHA-256"), max_length=64, blank=True)
    removed_content = models.JSONField(_("已清除的活动内容"), default=list, blank=True)
    document_date = models.DateField(_("材料日期"))
    is_representative = models.BooleanField(_("代表作"), default=False)
    proves = models.CharField(_("证明的资料条目"), max_length=40, blank=True)
    uploaded_at = BusinessTimestampField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("上传人"),
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")

    def __str__(self) -> str:
        return self.title


class ImmutableError(Exception):
    pass


def canonical_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def snapshot_hash(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


class Submission(models.Model):
    """What was submitted, frozen: profile, request, decision, materials with hashes,
    commitment. Never changed or deleted; `sha256` is over the canonical JSON."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="submissions",
        verbose_name=_("申报"),
    )
    number = models.PositiveSmallIntegerField(_("次序"))
    snapshot = models.JSONField(_("快照"))
    sha256 = models.CharField(_("快照哈希"), max_length=64)
    token = models.CharField(_("提交令牌"), max_length=64, unique=True)
    created_at = BusinessTimestampField(_("提交时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("提交人"),
    )

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("申报快照")
        verbose_name_plural = _("申报快照")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="applications_submission_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} #{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("申报快照提交后不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("申报快照提交后不可删除。")

    def verify(self) -> bool:
        return snapshot_hash(self.snapshot) == self.sha256


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("收件人"),
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True,
        related_name="notifications", verbose_name=_("申报"),
    )
    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = BusinessTimestampField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        indexes = [models.Index(fields=["user", "read_at"], name="applications_notif_unread")]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One message of a notification on one channel (applications.delivery): what was sent
    to which address, how often it was tried and when it is tried next. A failed delivery
    with a next attempt is retried with exponential backoff (`applications.retry_deliveries`);
    one without has given up and waits for the city office's 重发."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries",
        verbose_name=_("站内消息"),
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=254)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    text = models.TextField(_("内容"))
    state = models.CharField(
        _("状态"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_error = models.CharField(_("失败原因"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="applications_delivery_one_per_channel"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="applications_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}：{self.subject or self.text[:20]}"
