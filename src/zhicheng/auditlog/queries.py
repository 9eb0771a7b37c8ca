"""Searching the audit chain: filters, keyset pagination on `seq` (newest first), and the
dossier each event belongs to. A page is one query whatever the chain's length."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from zhicheng.certificates.payload import PayloadError, b64d, canonical_bytes
from zhicheng.core import labels
from zhicheng.core.inputs import bounded_int
from zhicheng.core.models import AuditEvent
from zhicheng.orgs.queries import in_office_cities

from . import merkle, tree
from .models import AuditCheckpoint

PAGE_SIZE = 50
APPLICATION = "applications.application"
_TYPED_TARGET = re.compile(r"^([a-z_]+\.[a-z_]+)[:#](\S+)$")


@dataclass
class Filters:
    actor: str = ""
    action: str = ""
    target: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    errors: list[str] = field(default_factory=list)

    def as_query(self) -> dict[str, str]:
        out = {"actor": self.actor, "action": self.action, "target": self.target, "q": self.q,
               "date_from": self.date_from.isoformat() if self.date_from else "",
               "date_to": self.date_to.isoformat() if self.date_to else ""}
        return {k: v for k, v in out.items() if v}


def _date(raw: str, label: str, errors: list[str]) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(f"{label}“{raw}”不是有效日期（格式：2024-07-15）。")
        return None


def parse_filters(params: Any) -> Filters:
    errors: list[str] = []
    f = Filters(
        actor=params.get("actor", "").strip()[:150],
        action=params.get("action", "").strip()[:80],
        target=params.get("target", "").strip()[:150],
        date_from=_date(params.get("date_from", ""), "起始日期", errors),
        date_to=_date(params.get("date_to", ""), "截止日期", errors),
        q=params.get("q", "").strip()[:200],
        errors=errors,
    )
    if f.date_from and f.date_to and f.date_from > f.date_to:
        errors.append("起始日期晚于截止日期。")
    return f


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def target_q(target: str) -> Q:
    """A dossier number (申报编号, digits) matches the application and every event whose data
    names it; `type:id` (e.g. `evaluation.meeting:5`) matches that object (a meeting also its
    cases' and seats' events: ballots, recusals, dossier openings, call-ins); other text
    matches the object type."""
    if bounded_int(target) is not None:
        return Q(target_type=APPLICATION, target_id=target) | Q(
            data__application=bounded_int(target))
    typed = _TYPED_TARGET.match(target)
    if typed:
        q = Q(target_type=typed.group(1), target_id=typed.group(2))
        if typed.group(1) == "evaluation.meeting" and bounded_int(typed.group(2)) is not None:
            # a meeting's own events and those filed under its cases and seats
            from zhicheng.evaluation.queries import audit_targets_of_meeting

            q |= audit_targets_of_meeting(int(typed.group(2)))
        return q
    return Q(target_type__icontains=target)


def search(f: Filters, user: Any = None) -> QuerySet[AuditEvent]:
    """The events matching `f`; with `user`, only those of the cities the person's
    city-office memberships serve and those belonging to no city (docs/seasons.md, 多城市).
    The chain as chained: an event committed a moment ago shows once the sequencer has
    given it its place (core.audit.sequence_events, seconds at most)."""
    qs = AuditEvent.objects.filter(seq__isnull=False)
    if user is not None:
        qs = qs.filter(in_office_cities(user, "city_id"))
    if f.actor:
        qs = qs.filter(Q(actor_label__icontains=f.actor) | Q(actor__username=f.actor))
    if f.action:
        qs = qs.filter(action__istartswith=f.action)
    if f.target:
        qs = qs.filter(target_q(f.target))
    if f.date_from:
        qs = qs.filter(created_at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(created_at__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    if f.q:
        qs = qs.filter(summary__icontains=f.q)
    return qs


@dataclass
class Page:
    events: list[AuditEvent]
    newer: int | None  # pass as ?after= for the newer page
    older: int | None  # pass as ?before= for the older page


def page(qs: QuerySet[AuditEvent], *, before: int | None = None, after: int | None = None,
         size: int = PAGE_SIZE) -> Page:
    """Keyset pagination on seq: one query, one row more than shown to know if there is more."""
    if after is not None:
        rows = list(qs.filter(seq__gt=after).order_by("seq")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        return Page(rows, rows[0].seq if rows and more_newer else None,
                    rows[-1].seq if rows else None)
    if before is not None:
        qs = qs.filter(seq__lt=before)
    rows = list(qs.order_by("-seq")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return Page(rows, rows[0].seq if rows and before is not None else None,
                rows[-1].seq if rows and more_older else None)


def dossier_id(event: AuditEvent) -> int | None:
    if event.target_type == APPLICATION and event.target_id.isdigit():
        return int(event.target_id)
    value = (event.data or {}).get("application") if isinstance(event.data, dict) else None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return bounded_int(value)
    return None


def dossier_url_pattern() -> str:
    """The dossier page (the supervision drill-down if installed, else the review dossier),
    with 0 in place of the number: resolved once per page, not once per row."""
    for name in ("supervision:dossier", "reviews:dossier"):
        try:
            return reverse(name, args=[0])
        except NoReverseMatch:
            continue
    return ""


def dossier_url(pattern: str, pk: int | None) -> str:
    if not pattern or pk is None:
        return ""
    head, _, tail = pattern.rpartition("/0/")
    return f"{head}/{pk}/{tail}"


def export_rows(qs: QuerySet[AuditEvent]) -> Iterator[list[Any]]:
    for e in qs.order_by("seq").iterator(chunk_size=2000):
        yield [
            e.seq,
            timezone.localtime(e.created_at).replace(tzinfo=None),
            e.actor_label,
            labels.label(e.action, "audit_action"),
            labels.label(e.target_type, "target_type"),
            e.target_id,
            dossier_id(e) or "",
            e.summary,
            e.hash,
            e.prev_hash,
            e.action,
            e.target_type,
        ]


# Labels first; the codes stay in the last two, clearly named columns for tools that re-check
# the chain or filter by code.
EXPORT_COLUMNS = ["序号", "时间", "操作人", "操作", "对象类型", "对象编号", "申报编号", "摘要",
                  "哈希", "前一事件哈希", "操作代码（系统用）", "对象类型代码（系统用）"]


# --- signed checkpoints (docs/trust.md §Audit checkpoints) ---------------------------------


def published_checkpoints(limit: int | None = None) -> dict[str, Any]:
    """The checkpoints as published (`/audit/checkpoints.json`), newest first."""
    rows = AuditCheckpoint.objects.order_by("-seq", "-pk")
    if limit is not None:
        rows = rows[:limit]
    return {"checkpoints": [c.as_json() for c in rows]}


def _tree_root(body: dict[str, Any], leaves: list[bytes]) -> str | None:
    """The root over the first `tree_size` of `leaves` (the chain's, read once per check);
    None when the chain is shorter or the size unreadable."""
    try:
        size = int(body["tree_size"])
    except (TypeError, ValueError):
        return None
    return merkle.root(leaves[:size]).hex() if 0 <= size <= len(leaves) else None


def check_checkpoints(document: Any, public_keys: dict[str, Any]) -> list[str]:
    """Problems found comparing saved checkpoints with the chain in the database (empty
    when every signature is valid and every signed hash is the chain's hash at that
    sequence number). Messages in Chinese and English."""
    try:
        entries = document["checkpoints"] if isinstance(document, dict) else list(document)
        bodies = [(e, e["checkpoint"], int(e["checkpoint"]["seq"])) for e in entries]
    except (KeyError, TypeError, ValueError):
        return ["检查点文件格式不正确 (not a checkpoints file)"]
    stored = dict(AuditEvent.objects.filter(seq__in=[s for _, _, s in bodies])
                  .values_list("seq", "hash"))
    sizes = [int(b["tree_size"]) for _, b, _ in bodies
             if str(b.get("tree_size", "")).isdigit()]
    leaves = tree.leaf_hashes(max(sizes), strict=False) if sizes else []  # one query
    problems = []
    for entry, body, seq in bodies:
        key = public_keys.get(str(entry.get("key_id")))
        if key is None:
            problems.append(f"检查点#{seq}：未知的审计密钥 (unknown key) {entry.get('key_id')}")
            continue
        if entry.get("algorithm", key.algorithm) != key.algorithm:
            problems.append(f"检查点#{seq}：签名算法与密钥不符 (algorithm differs from the key's)")
            continue
        try:
            key.public_key.verify(b64d(str(entry.get("signature", ""))), canonical_bytes(body))
        except (InvalidSignature, PayloadError):
            problems.append(f"检查点#{seq}：签名无效 (signature invalid)")
            continue
        if seq == 0:
            continue
        if seq not in stored:
            problems.append(f"检查点#{seq}：链中没有第{seq}条事件 (event #{seq} missing)")
        elif stored[seq] != body.get("hash"):
            problems.append(
                f"检查点#{seq}（{body.get('time')}签署）：链中该事件的哈希与签署的不同，"
                f"历史记录已被改写 (the chain's hash at #{seq} differs from the signed one: "
                "history was rewritten)"
            )
        elif "tree_size" in body and _tree_root(body, leaves) != body.get("root"):
            problems.append(
                f"检查点#{seq}：前{body['tree_size']}条事件的默克尔树根与签署的不同 "
                "(the Merkle root differs from the signed tree head)")
    return problems


# --- Merkle proofs (docs/trust.md §Merkle tree) ---------------------------------------------


def latest_tree_head() -> AuditCheckpoint | None:
    """The newest checkpoint that signs a tree head."""
    return (AuditCheckpoint.objects.filter(tree_size__isnull=False)
            .order_by("-tree_size", "-pk").first())


def dossier_events(application_id: int) -> list[AuditEvent]:
    """Every event of a dossier as the audit search finds them (its own and those whose
    data names it), in sequence order."""
    return list(AuditEvent.objects.filter(target_q(str(application_id))).order_by("seq"))


def dossier_proof(application_id: int, keys: dict[str, Any]) -> dict[str, Any]:
    """The inclusion proof bundle of a dossier's events under the newest signed tree head."""
    head = latest_tree_head()
    bundle = tree.inclusion_bundle(dossier_events(application_id),
                                   head.as_json() if head is not None else None, keys)
    return {"application": application_id, **bundle}
