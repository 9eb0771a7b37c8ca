"""The result of each scheduled (or requested) verification of the audit hash chain."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChainCheck(models.Model):
    checked_at = models.DateTimeField(_("校验时间"), db_index=True)
    ok = models.BooleanField(_("完整"))
    count = models.PositiveBigIntegerField(_("已校验事件数"))
    broken_seq = models.PositiveBigIntegerField(_("首个断裂事件"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    alerted = models.BooleanField(_("已告警"), default=False)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        verbose_name = _("审计链校验")
        verbose_name_plural = _("审计链校验")

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {'OK' if self.ok else 'BROKEN'}"
