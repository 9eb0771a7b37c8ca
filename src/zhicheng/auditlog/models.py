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


class AuditCheckpoint(models.Model):
    """The city office's audit key's signature over (seq, hash, time) of the chain's head
    (docs/trust.md §Audit checkpoints). Published so that copies are kept outside the
    database: a history rewritten after a checkpoint no longer matches it."""

    seq = models.PositiveBigIntegerField(_("事件序号"))
    hash = models.CharField(_("链哈希"), max_length=64)
    time = models.CharField(_("签署时间（UTC）"), max_length=32)
    key_id = models.CharField(_("审计密钥"), max_length=64)
    algorithm = models.CharField(_("签名算法"), max_length=20)
    signature = models.CharField(_("签名（base64url）"), max_length=200)
    # The signed tree head (docs/trust.md §Merkle tree): the Merkle tree over the first
    # `tree_size` events and its root; null on checkpoints signed before the tree existed.
    tree_size = models.PositiveBigIntegerField(_("树大小"), null=True, blank=True)
    root = models.CharField(_("默克尔树根"), max_length=64, blank=True)

    class Meta:
        ordering = ["-seq", "-pk"]
        verbose_name = _("审计检查点")
        verbose_name_plural = _("审计检查点")

    def __str__(self) -> str:
        return f"#{self.seq} {self.time}"

    def body(self) -> dict[str, object]:
        """What the signature covers: (seq, hash, time), and the tree head when signed."""
        body: dict[str, object] = {"seq": self.seq, "hash": self.hash, "time": self.time}
        if self.tree_size is not None:
            body |= {"tree_size": self.tree_size, "root": self.root}
        return body

    def as_json(self) -> dict[str, object]:
        return {"checkpoint": self.body(), "key_id": self.key_id,
                "algorithm": self.algorithm, "signature": self.signature}
