"""Verify the audit chain and record the result (`zhicheng audit verify` on a schedule).

A break is alerted once (until the chain is intact again or breaks elsewhere): an inbox
notification and an email to every member of the city title office, and an ERROR log line.
The record itself is written through an operation, so it is audited like any other change.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from zhicheng.applications.notifications import notify
from zhicheng.certificates import keys as keystore
from zhicheng.certificates.payload import b64e, canonical_bytes
from zhicheng.core.actors import Actor
from zhicheng.core.audit import GENESIS, VerifyResult, sequence_events, verify_chain
from zhicheng.core.models import AuditHead
from zhicheng.core.operations import SYSTEM, operation
from zhicheng.orgs.models import Membership
from zhicheng.orgs.models import Role as OrgRole

from . import tree
from .models import AuditCheckpoint, ChainCheck

logger = logging.getLogger("zhicheng.audit")


def latest() -> ChainCheck | None:
    return ChainCheck.objects.order_by("-checked_at", "-pk").first()


def _needs_alert(result: VerifyResult, previous: ChainCheck | None) -> bool:
    if result.ok:
        return False
    return previous is None or previous.ok or previous.broken_seq != result.broken_seq


def record_check(actor: Actor = SYSTEM) -> ChainCheck:
    """Chain what is pending, verify the whole chain now, store the result, alert on a new
    break."""
    sequence_events()
    result = verify_chain()
    previous = latest()
    alert = _needs_alert(result, previous)
    with operation(actor, "audit.verify") as op:
        check = ChainCheck.objects.create(
            checked_at=timezone.now(), ok=result.ok, count=result.count,
            broken_seq=result.broken_seq, reason=result.reason[:200], alerted=alert,
        )
        op.obj = check
        op.summary = (f"审计链校验：完整，{result.count}条事件" if result.ok
                      else f"审计链校验：第{result.broken_seq}条事件处断裂（{result.reason}）")
        op.data = {"ok": result.ok, "count": result.count, "broken_seq": result.broken_seq}
        if alert:
            url = reverse("auditlog:search")
            for m in Membership.objects.filter(
                role=OrgRole.CITY_OFFICE, active=True
            ).select_related("user"):
                notify(m.user, "audit.chain_broken",
                       f"审计链校验失败：第{result.broken_seq}条事件处断裂",
                       f"定时校验发现审计记录被改动或缺失：{result}。请立即核查数据库访问记录，"
                       "并保留现场。", url=url)
    if not result.ok:
        logger.error("audit chain verification failed: %s", result)
    return check


# --- signed checkpoints (docs/trust.md §Audit checkpoints) ---------------------------------


def audit_key_dir() -> Path:
    """The city office's audit key, apart from the certificate keys (same file layout)."""
    configured = getattr(settings, "ZHICHENG_AUDIT_KEY_DIR", "")
    return Path(configured) if configured else keystore.key_dir() / "audit"


def sign_checkpoint(actor: Actor = SYSTEM) -> AuditCheckpoint:
    """Sign (seq, hash, time) of the chain's head now, with the signed tree head (tree_size
    = seq and the Merkle root over those events), with the audit key (created on first use)
    and record it; the checkpoint's own audit event comes after the head it signs."""
    directory = audit_key_dir()
    keystore.ensure_key(directory)
    sequence_events()  # the checkpoint signs every event committed before it
    with operation(actor, "audit.checkpoint") as op:
        head = AuditHead.objects.filter(id=1).first()
        seq, chain_hash = (head.seq, head.hash) if head is not None else (0, GENESIS)
        head_of_tree = tree.tree_head(seq)  # every event up to the head (docs/trust.md)
        body = {"seq": seq, "hash": chain_hash,
                "time": timezone.now().astimezone(dt.UTC).replace(microsecond=0).isoformat(),
                "tree_size": head_of_tree.size, "root": head_of_tree.root}
        key_id, private = keystore.private_key(directory=directory)
        checkpoint = AuditCheckpoint.objects.create(
            **body, key_id=key_id, algorithm=private.algorithm,
            signature=b64e(private.sign(canonical_bytes(body))),
        )
        op.obj = checkpoint
        op.summary = f"签署审计检查点：第{seq}条事件，链哈希{chain_hash[:16]}…"
        op.data = {"seq": seq, "hash": chain_hash, "key_id": key_id,
                   "tree_size": head_of_tree.size, "root": head_of_tree.root}
    return checkpoint
