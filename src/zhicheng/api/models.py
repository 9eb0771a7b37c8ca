"""API tokens: one organisation's key to the JSON API, with scopes. Only a SHA-256 of the
secret is stored; the secret is shown once, when the token is created."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    APPLICATIONS_READ = "applications:read", _("读取申报（按管辖范围）")
    RESULTS_READ = "results:read", _("读取评审结果（按管辖范围）")
    REVIEWS_WRITE = "reviews:write", _("办理审核事项（须指定经办人）")


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("机构"),
    )
    # Writes are done as this person (the audit names them); reads use their roles in the
    # organisation. Without one the token reads with the organisation's roles and cannot write.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="api_tokens", verbose_name=_("经办人"),
    )
    name = models.CharField(_("名称"), max_length=80)
    scopes = models.JSONField(_("权限范围"), default=list)
    prefix = models.CharField(_("前缀"), max_length=16, unique=True)
    secret_hash = models.CharField(_("密钥哈希"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("创建人"),
    )
    created_by_label = models.CharField(_("创建人名称"), max_length=150, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by_label = models.CharField(_("吊销人"), max_length=150, blank=True)

    class Meta:
        ordering = ["organisation_id", "-created_at", "pk"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        moment = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > moment

    @property
    def status_label(self) -> str:
        if self.revoked_at is not None:
            return str(_("已吊销"))
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return str(_("已过期"))
        return str(_("有效"))
