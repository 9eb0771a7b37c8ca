"""The audit log's Merkle tree read from the database (docs/trust.md §Merkle tree): leaves
are the stored event hashes in sequence order (`merkle.py`), over the events that already
have a hash, from seq 1 without a gap. How and when an event's hash is assigned is
core/audit.py's; this module only reads the stored field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhicheng.core.audit import event_body
from zhicheng.core.models import AuditEvent

from . import merkle

BUNDLE_FORMAT = "zhicheng-audit-inclusion/1"
CONSISTENCY_FORMAT = "zhicheng-audit-consistency/1"


def leaf_hashes(size: int | None = None, *, strict: bool = True) -> list[bytes]:
    """The leaf hashes of the first `size` events (all hashed ones when None): one query.
    The tree stops at the first event without a stored hash or out of sequence; with
    `strict`, fewer than `size` such events is an error."""
    # Events the sequencer has not chained yet have no seq (core/audit.py); SQLite would
    # sort those NULLs first and the tree would stop before its first leaf.
    rows = AuditEvent.objects.filter(seq__isnull=False).order_by("seq")
    if size is not None:
        rows = rows.filter(seq__lte=size)
    leaves: list[bytes] = []
    for seq, digest in rows.values_list("seq", "hash").iterator(chunk_size=5000):
        if seq != len(leaves) + 1 or not digest:
            break
        leaves.append(merkle.leaf_hash(merkle.event_leaf(digest)))
    if strict and size is not None and len(leaves) < size:
        raise ValueError(f"审计链只有{len(leaves)}条已计算哈希的事件，不足{size}条")
    return leaves


@dataclass(frozen=True)
class TreeHead:
    size: int
    root: str  # hex


def tree_head(size: int) -> TreeHead:
    """The tree over the first `size` events, or over fewer when some of them have no
    stored hash yet (its `size` says how many)."""
    leaves = leaf_hashes(size, strict=False)
    return TreeHead(len(leaves), merkle.root(leaves).hex())


def consistency(first: int, second: int) -> dict[str, Any]:
    """The RFC 6962 consistency proof between the trees of `first` and `second` events."""
    if not 0 < first <= second:
        raise ValueError("需要 0 < first ≤ second")
    leaves = leaf_hashes(second)
    return {
        "format": CONSISTENCY_FORMAT, "first": first, "second": second,
        "first_root": merkle.root(leaves[:first]).hex(),
        "second_root": merkle.root(leaves).hex(),
        "proof": [p.hex() for p in merkle.consistency_proof(first, leaves)],
    }


def inclusion_bundle(events: list[AuditEvent], signed_head: dict[str, Any] | None,
                     keys: dict[str, Any]) -> dict[str, Any]:
    """The proof that each of `events` is in the log under the signed tree head (a published
    checkpoint entry with `tree_size` and `root`): per event its hashed body and hash, its
    leaf index and audit path. Events after the head's tree are listed as `pending` (the
    next checkpoint covers them)."""
    size = int(signed_head["checkpoint"]["tree_size"]) if signed_head else 0
    leaves = leaf_hashes(size) if size else []
    proven, pending = [], []
    # An event the sequencer has not chained yet (no seq) is pending like one after the head.
    for event in sorted(events, key=lambda e: (e.seq is None, e.seq or 0)):
        line = {**event_body(event), "hash": event.hash}
        if event.seq is not None and event.seq <= size:
            proven.append({"leaf_index": event.seq - 1, "event": line, "proof": [
                p.hex() for p in merkle.inclusion_proof(event.seq - 1, leaves)]})
        else:
            pending.append(line)
    return {"format": BUNDLE_FORMAT, "tree_head": signed_head, "keys": keys,
            "events": proven, "pending": pending}
