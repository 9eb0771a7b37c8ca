"""Electronic title certificates (五（五）), their verification log and number counters.

A certificate is written once by `operations.issue_certificate` (payload and signature never
change); only its status changes, to revoked, by `operations.revoke_certificate`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhicheng.core.clock import BusinessTimestampField

from .payload import b64d, encode


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")


class RevocationCategory(models.TextChoices):
    FRAUD = "fraud", _("弄虚作假")
    ACADEMIC_MISCONDUCT = "academic_misconduct", _("学术不端")
    FALSE_PLEDGE = "false_pledge", _("虚假承诺")
    OTHER = "other", _("其他违规")
    # A committee's results declared void (五（三）): not the holder's fault, no integrity record.
    RESULTS_VOID = "results_void", _("评审结果被宣布无效")


# Categories the city office picks by hand; RESULTS_VOID comes only from a sanction.
HOLDER_FAULT_CATEGORIES = [
    c for c in RevocationCategory.choices if c[0] != RevocationCategory.RESULTS_VOID
]


# Number scheme (docs/certificates.md): <city prefix>-<year>-<series code>-<level code>-<6-digit
# seq>; the prefix is the season parameter `certificates.number_prefix` (LYG in 2024).
LEVEL_CODES = {
    "entry": "Y",
    "assistant": "Z",
    "intermediate": "M",
    "associate_senior": "FG",
    "full_senior": "ZG",
}


class CertificateCounter(models.Model):
    """The last sequence number per (year, series, level); locked while numbering."""

    year = models.PositiveSmallIntegerField()
    series_code = models.CharField(max_length=50)
    level = models.CharField(max_length=20)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "series_code", "level"], name="certificates_counter_unique"
            )
        ]


class Certificate(models.Model):
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="certificate",
        verbose_name=_("申报"),
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates",
        verbose_name=_("持证人"),
    )
    number = models.CharField(_("证书编号"), max_length=60, unique=True)
    holder_name = models.CharField(_("姓名"), max_length=64)
    id_type = models.CharField(_("证件类型"), max_length=40, blank=True)
    id_masked = models.CharField(_("证件号码（脱敏）"), max_length=30, blank=True)
    series_name = models.CharField(_("系列"), max_length=60)
    specialty = models.CharField(_("专业"), max_length=120)
    title_name = models.CharField(_("职称名称"), max_length=60)
    level = models.CharField(_("层级"), max_length=20)
    route = models.CharField(_("取得途径"), max_length=30)
    committee = models.CharField(_("评审委员会"), max_length=200)
    approval_number = models.CharField(_("批准文号"), max_length=80)
    qualification_date = models.DateField(_("批准日期"))
    # The day the committee that evaluated the holder passed them (its meeting), apart from
    # the approval date; empty on routes without a meeting (初定, 考核认定).
    passed_on = models.DateField(_("评审通过日期"), null=True, blank=True)
    issuing_authority = models.CharField(_("制发证机构"), max_length=120)
    review_number = models.CharField(_("评审编号"), max_length=60)
    round_label = models.CharField(_("初定批次"), max_length=30, blank=True)
    issue_date = models.DateField(_("发证日期"))
    key_id = models.CharField(_("签名密钥"), max_length=40)
    payload = models.TextField(_("签名内容（规范JSON）"))
    signature = models.CharField(_("签名（base64url）"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=10, choices=CertificateStatus.choices,
        default=CertificateStatus.VALID, db_index=True,
    )
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revocation_category = models.CharField(
        _("撤销原因类别"), max_length=30, choices=RevocationCategory.choices, blank=True
    )
    revocation_decision_number = models.CharField(_("撤销决定文号"), max_length=80, blank=True)
    revocation_evidence = models.TextField(_("撤销事实与证据"), blank=True)
    created_at = BusinessTimestampField(_("签发时间"), auto_now_add=True)

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name = _("电子职称证书")
        verbose_name_plural = _("电子职称证书")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="valid", revoked_on__isnull=True)
                | Q(status="revoked", revoked_on__isnull=False),
                name="certificates_revoked_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"

    @property
    def is_revoked(self) -> bool:
        return self.status == CertificateStatus.REVOKED

    @property
    def qr_text(self) -> str:
        return encode(self.payload.encode("utf-8"), b64d(self.signature), self.key_id)


class VerificationResult(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")
    UNKNOWN = "unknown", _("查无此证")
    INVALID = "invalid", _("签名无效")
    THROTTLED = "throttled", _("查询过于频繁")


class VerificationLog(models.Model):
    """Every public verification, kept as a log (docs/domain.md §Electronic certificates)."""

    at = models.DateTimeField(_("查询时间"), auto_now_add=True, db_index=True)
    method = models.CharField(_("方式"), max_length=10)  # "number" or "qr"
    number = models.CharField(_("查询的证书编号"), max_length=60, blank=True)
    certificate = models.ForeignKey(
        Certificate, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="verifications", verbose_name=_("证书"),
    )
    result = models.CharField(_("结果"), max_length=10, choices=VerificationResult.choices)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("证书查验记录")
        verbose_name_plural = _("证书查验记录")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.number} {self.result}"
