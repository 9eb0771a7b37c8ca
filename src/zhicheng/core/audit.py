"""The audit hash chain: append inside the caller's transaction; chain; verify end to end.

An operation stores its event in its own transaction without touching the chain head: the
event has no `seq`, `prev_hash` or `hash` yet, only the database's autoincrement `id`, so
concurrent writers do not queue behind one row. The sequencer (`sequence_events`) takes the
head row's lock, gives every committed unchained event the next `seq` in `id` order, its
`prev_hash` and its `hash` (the recipe of docs/trust.md, unchanged), and moves the head. It
runs right after the operation commits (its own short transaction; if another sequencer holds
the lock it leaves the work to it), every few seconds as the periodic task
`audit.sequence` (Celery beat, or the embedded ticker), and before `audit verify`, the
scheduled check and a checkpoint. A crash between commit and chaining loses nothing: the
event is stored and the next run chains it. `ZHICHENG_AUDIT_CHAINING = "sequencer"` takes the
chaining out of the request altogether: nothing runs after the commit, and one sequencer
process (`zhicheng audit sequence --follow`, or the periodic task alone) chains what has
been committed, many events per run. `ZHICHENG_AUDIT_CHAINING = "in_transaction"` chains
inside the writing transaction instead (the old serialising behaviour)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from zhicheng.core.actors import Actor, person_or_none

from . import clock
from .models import AuditEvent, AuditHead
from .redaction import redact

GENESIS = "0" * 64
logger = logging.getLogger("zhicheng.audit")


def _json_safe(data: dict[str, Any]) -> dict[str, Any]:
    # Store exactly what is hashed: a JSON round trip fixes dates, decimals, UUIDs as strings.
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))
    return result


def event_body(event: AuditEvent) -> dict[str, Any]:
    """The fields an event's hash covers, as hashed (docs/trust.md §Audit event)."""
    return {
        "seq": event.seq,
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "summary": event.summary,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }


def digest_body(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def event_digest(event: AuditEvent) -> str:
    return digest_body(event_body(event))


def export_lines(chunk_size: int = 2000) -> Iterator[str]:
    """The chain as JSON Lines, one event a line: its hashed body plus `hash`, in order of
    `seq` up to the head as it is when the export starts. `tools/verify/audit_chain.py`
    re-checks such a file without the project's code (docs/trust.md §Audit export)."""
    head = _read_head()
    top = head.seq if head is not None else 0
    events = AuditEvent.objects.filter(seq__isnull=False, seq__lte=top).order_by("seq")
    for event in events.iterator(chunk_size=chunk_size):
        line = {**event_body(event), "hash": event.hash}
        yield json.dumps(line, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def target_label(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


CHAINING_MODES = ("after_commit", "sequencer", "in_transaction")


def chaining_mode() -> str:
    """`after_commit` (default), `sequencer` or `in_transaction`
    (settings.ZHICHENG_AUDIT_CHAINING; anything else is `after_commit`)."""
    mode = str(getattr(settings, "ZHICHENG_AUDIT_CHAINING", "after_commit"))
    return mode if mode in CHAINING_MODES else "after_commit"


# Who tells the city an event belongs to: registered by the orgs app at start-up (the
# foundation imports no feature app). Each takes (actor, target) and answers a city id or None.
CityOf = Callable[[Actor, models.Model | None], int | None]
_CITY_OF: list[CityOf] = []


def register_city_of(resolver: CityOf) -> None:
    if resolver not in _CITY_OF:
        _CITY_OF.append(resolver)


def city_of_event(actor: Actor, target: models.Model | None) -> int | None:
    for resolver in _CITY_OF:
        city = resolver(actor, target)
        if city is not None:
            return city
    return None


def append_event(
    *,
    actor: Actor,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one event. Must run inside the transaction of the change it records. The event
    is chained after the commit (or here, in `in_transaction` mode)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are written inside the operation's transaction")
    target_type, target_id = target_label(target)
    user = person_or_none(actor)
    event = AuditEvent.objects.create(
        seq=None,
        created_at=clock.now(),
        actor=user,
        # Users by name; SYSTEM as 系统; other non-user actors (e.g. 公众) by their label.
        actor_label=str(actor) if user is not None else "系统",
        action=action,
        target_type=target_type,
        target_id=target_id,
        summary=summary[:500],
        # Secrets never enter the chain, whoever passed them (core.redaction).
        data=_json_safe(redact(data or {})),
        prev_hash="",
        hash=None,
        city_id=city_of_event(actor, target),
    )
    mode = chaining_mode()
    if mode == "in_transaction":
        done = _chain(wait=True, batch=5000)[event.pk]
        event.seq, event.prev_hash, event.hash = done.seq, done.prev_hash, done.hash
    elif mode == "after_commit":
        transaction.on_commit(_sequence_after_commit)
    # "sequencer": the sequencer process or the periodic task chains it, not this request.
    return event


def _sequence_after_commit() -> None:
    # Never fails the request that committed: the periodic task chains what is left.
    try:
        sequence_events(wait=False)
    except Exception:  # logged; the periodic task chains it on its next run
        logger.exception("audit sequencing after commit failed")


def sequence_events(*, wait: bool = True, batch: int = 5000) -> int:
    """Chain every committed unchained event, in `id` order, under the head row's lock; return
    how many were chained. With `wait=False` a sequencer already at work is left to do it
    (what it read before this commit is chained by the next run: the periodic task). Inside a
    caller's transaction it chains in it."""
    return len(_chain(wait=wait, batch=batch))


def follow_sequence(interval: float, *, keep_going: Callable[[], bool] = lambda: True,
                    sleep: Callable[[float], object] | None = None) -> int:
    """The sequencer process (`zhicheng audit sequence --follow`): chain what has been
    committed, wait `interval` seconds, again, while `keep_going()`; return how many events
    it chained. A run that fails (the database restarting) is logged and retried on the next
    turn: the events stay stored and unchained meanwhile, as after a crash."""
    pause = sleep or time.sleep
    total = 0
    while keep_going():
        try:
            total += sequence_events(wait=True)
        except Exception:  # logged; the next turn (or the periodic task) chains them
            logger.exception("audit sequencer run failed")
            transaction.get_connection().close()  # a fresh connection on the next turn
        pause(interval)
    return total


def _lock_head(wait: bool) -> tuple[int, str] | None:
    """The head's (seq, hash) under its row lock, created on first use; None when another
    sequencer holds it and `wait` is false. One statement in the usual case: the sequencer
    runs after every commit, so its own cost is part of every audited write's."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    lock = (connection.ops.for_update_sql(skip_locked=not wait)
            if connection.features.has_select_for_update else "")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {table} WHERE id = 1 {lock}")
        row = cursor.fetchone()
        if row is not None:
            return int(row[0]), str(row[1])
        if wait is False:
            cursor.execute(f"SELECT 1 FROM {table} WHERE id = 1")
            if cursor.fetchone() is not None:
                return None  # another sequencer holds the lock and will chain ours
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
    return head.seq, head.hash


def _chain(*, wait: bool, batch: int) -> dict[int, AuditEvent]:
    chained: dict[int, AuditEvent] = {}
    with transaction.atomic():
        locked = _lock_head(wait)
        if locked is None:
            return chained
        seq, last = locked
        while True:
            pending = _pending(batch)
            if not pending:
                break
            for event in pending:
                seq += 1
                event.seq, event.prev_hash = seq, last
                event.hash = last = event_digest(event)
                chained[event.pk] = event
            _store_links(pending)
            if len(pending) < batch:
                break
        if chained:
            _store_head(seq, last)
    return chained


# What an event's hash covers, besides the links the sequencer gives it (`event_body`).
_BODY_FIELDS = ("id", "created_at", "actor", "actor_label", "action", "target_type",
                "target_id", "summary", "data")


# Per database alias: the queue's SELECT and each column's converters (they depend only on
# the backend), built once per process instead of on every run.
_PENDING_QUERY: dict[str, tuple[str, list[tuple[list[Any], Any]]]] = {}


def _pending_query(connection: Any) -> tuple[str, list[tuple[list[Any], Any]]]:
    cached = _PENDING_QUERY.get(connection.alias)
    if cached is not None:
        return cached
    qn = connection.ops.quote_name
    table = AuditEvent._meta.db_table
    fields = [cast("models.Field[Any, Any]", AuditEvent._meta.get_field(name))
              for name in _BODY_FIELDS]
    convert = []
    for f in fields:
        col = f.get_col(table)
        convert.append((connection.ops.get_db_converters(col) + f.get_db_converters(connection),
                        col))
    columns = ", ".join(qn(f.column) for f in fields)
    # The queue is the partial index of unchained events. Chaining an event leaves a dead
    # entry in it until the table is vacuumed, and a bitmap scan (the plan for "seq IS NULL
    # ORDER BY id") visits the table for every dead entry on every run: with 18,000 events
    # chained since the last vacuum one run cost 5-10 ms of the server's CPU. The min()
    # below walks the index in order, which marks the dead entries it passes so that later
    # scans skip them, and the main scan starts at the oldest pending event.
    sql = (f"SELECT {columns} FROM {qn(table)} WHERE seq IS NULL AND id >= "
           f"(SELECT min(id) FROM {qn(table)} WHERE seq IS NULL) ORDER BY id LIMIT %s")
    _PENDING_QUERY[connection.alias] = sql, convert
    return sql, convert


def _pending(batch: int) -> list[AuditEvent]:
    """The committed unchained events, oldest first: one plain SELECT of the hashed fields
    through the fields' own converters (the stored JSON decoded, SQLite's datetimes made
    aware), as the ORM would read them, without building a query per call."""
    connection = transaction.get_connection()
    sql, convert = _pending_query(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [batch])
        rows = cursor.fetchall()
    names = [col.target.attname for _converters, col in convert]
    events = []
    for row in rows:
        values = {}
        for name, value, (converters, col) in zip(names, row, convert, strict=True):
            for converter in converters:
                value = converter(value, col, connection)
            values[name] = value
        event = AuditEvent(**values)
        event._state.adding, event._state.db = False, connection.alias
        events.append(event)
    return events


def _store_links(events: list[AuditEvent]) -> None:
    # One plain UPDATE per event: the ORM's bulk_update built a CASE expression per field
    # and row, which cost more CPU than the rest of the sequencer together. A run after one
    # writer's commit chains one event: a plain execute, without the pipeline executemany
    # opens; several are sent as one batch.
    connection = transaction.get_connection()
    sql = (f"UPDATE {connection.ops.quote_name(AuditEvent._meta.db_table)} "
           "SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s")
    rows = [(e.seq, e.prev_hash, e.hash, e.pk) for e in events]
    with connection.cursor() as cursor:
        if len(rows) == 1:
            cursor.execute(sql, rows[0])
        else:
            cursor.executemany(sql, rows)


def _store_head(seq: int, digest: str) -> None:
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(AuditHead._meta.db_table)} "
            "SET seq = %s, hash = %s WHERE id = 1", [seq, digest])


def pending_count() -> int:
    """Events stored but not chained yet (normally none, or those of the last moment)."""
    return AuditEvent.objects.filter(seq__isnull=True).count()


@dataclass
class VerifyResult:
    ok: bool
    count: int
    broken_seq: int | None = None
    reason: str = ""
    pending: int = 0

    def __str__(self) -> str:
        if self.ok:
            tail = f"; {self.pending} events not chained yet (pending)" if self.pending else ""
            return f"OK: {self.count} events, chain intact{tail}"
        return f"BROKEN at event #{self.broken_seq}: {self.reason} ({self.count} events checked)"


def _read_head() -> AuditHead | None:
    return AuditHead.objects.filter(id=1).first()


def verify_chain(chunk_size: int = 2000) -> VerifyResult:
    """Check every link up to the head as it is when the check starts. Writers go on while a
    check runs (the periodic task runs during office hours): events appended after the head
    was read belong to the next check, not to this one (reading the head last made every
    append during a long check look like a broken chain). Events stored but not chained yet
    are not part of the chain: they are counted as pending (`sequence_events` first, as
    `audit verify` does, to check them too)."""
    head = _read_head()
    if head is None:
        head = AuditHead(seq=0, hash=GENESIS)
    prev_hash = GENESIS
    expected_seq = 1
    count = 0
    events = AuditEvent.objects.filter(seq__isnull=False, seq__lte=head.seq).order_by("seq")
    for event in events.iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return VerifyResult(False, count, expected_seq, f"event #{expected_seq} is missing")
        if event.prev_hash != prev_hash:
            return VerifyResult(
                False, count, event.seq, "prev_hash does not match the event before"
            )
        if event_digest(event) != event.hash:
            return VerifyResult(False, count, event.seq, "content does not match its hash")
        prev_hash = event.hash
        expected_seq += 1
        count += 1
    if head.seq != count or head.hash != prev_hash:
        return VerifyResult(
            False, count, count + 1, f"chain head says {head.seq} events but {count} are stored"
        )
    # An event stored beyond the head (written without moving it) breaks the chain too. Read
    # the highest event before the head: an append commits both at once, so a head read
    # later is never behind an event that was already there.
    stored = AuditEvent.objects.aggregate(top=models.Max("seq"))["top"] or 0
    now = _read_head()
    top = now.seq if now is not None else 0
    if stored > top:
        return VerifyResult(False, count, count + 1,
                            f"chain head says {top} events but event #{stored} is stored")
    return VerifyResult(True, count, pending=pending_count())
