"""The audit sequencer in its production mode: operations commit their event unchained and the
sequencer chains it afterwards (core.audit, docs/trust.md §Audit event and chain). These tests
commit for real (transaction=True): the suite's other tests chain inside the transaction."""

import importlib.util
import io
import json
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from zhicheng.core import audit
from zhicheng.core.audit import export_lines, sequence_events, verify_chain
from zhicheng.core.models import AuditEvent, AuditHead
from zhicheng.core.operations import SYSTEM, operation

ROOT = Path(__file__).resolve().parents[2]


def _standalone_verifier():
    path = ROOT / "tools/verify/audit_chain.py"
    spec = importlib.util.spec_from_file_location("audit_chain", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _top() -> int:
    sequence_events()  # events the migrations wrote, if any
    return AuditEvent.objects.count()


def _max_id(top: int) -> int:
    return AuditEvent.objects.filter(seq=top).values_list("id", flat=True).first() or 0


def _write(n: int, label: str) -> None:
    for i in range(n):
        with operation(SYSTEM, "test.event") as op:
            op.summary = f"{label} {i}"
            op.data = {"i": i}


@pytest.fixture
def after_commit(settings):
    settings.ZHICHENG_AUDIT_CHAINING = "after_commit"


@pytest.mark.django_db(transaction=True)
def test_an_operation_commits_without_the_chain_head_and_is_chained_right_after(after_commit):
    top = _top()
    _write(3, "写入")
    events = list(AuditEvent.objects.filter(id__gt=_max_id(top)).order_by("id"))
    assert [e.seq for e in events] == [top + 1, top + 2, top + 3]
    assert [e.summary for e in events] == ["写入 0", "写入 1", "写入 2"]
    head = AuditHead.objects.get(id=1)
    assert (head.seq, head.hash) == (top + 3, events[-1].hash)
    result = verify_chain()
    assert result.ok and result.count == top + 3 and result.pending == 0


@pytest.mark.django_db(transaction=True)
def test_a_crash_between_commit_and_chaining_loses_nothing(after_commit, monkeypatch):
    """The process dies after its commits, before the sequencer ran: the events are stored,
    reported as pending, and the next sequencer run chains them in commit order."""
    top = _top()
    first = _max_id(top)
    _write(2, "之前")
    monkeypatch.setattr(audit, "_sequence_after_commit", lambda: None)  # the "kill"
    _write(4, "崩溃前")
    stored = list(AuditEvent.objects.filter(id__gt=first).order_by("id"))
    assert len(stored) == 6
    assert [e.seq for e in stored[2:]] == [None] * 4 and all(e.hash is None for e in stored[2:])
    assert AuditHead.objects.get(id=1).seq == top + 2  # no write touched the head

    pending = verify_chain()
    assert pending.ok and pending.count == top + 2 and pending.pending == 4
    assert "4 events not chained yet" in str(pending)

    monkeypatch.undo()  # a new process: `audit verify` chains first, then checks everything
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert f"OK: {top + 6} events, chain intact" in out.getvalue()
    chained = list(AuditEvent.objects.filter(id__gt=first).order_by("seq"))
    assert [e.summary for e in chained] == [
        "之前 0", "之前 1", "崩溃前 0", "崩溃前 1", "崩溃前 2", "崩溃前 3"]
    assert [e.seq for e in chained] == list(range(top + 1, top + 7))
    assert [e.id for e in chained] == sorted(e.id for e in chained)  # seq = commit order

    # The export of the chain passes the standalone verifier (same hash recipe as before).
    lines = [json.loads(line) for line in export_lines()]
    ok, message, _hashes = _standalone_verifier().check_chain(lines)
    assert ok, message
    assert len(lines) == top + 6


@pytest.mark.django_db(transaction=True)
def test_the_periodic_task_chains_what_the_after_commit_run_missed(after_commit, monkeypatch):
    from zhicheng.core.ticker import run_periodic_tasks

    _top()
    monkeypatch.setattr(audit, "_sequence_after_commit", lambda: None)
    _write(3, "待入链")
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 3
    from zhicheng.auditlog.tasks import sequence_task

    # The eager result's value, not .get(): Celery refuses a blocking get() when an earlier
    # test left its "inside a task" marker set in this worker process.
    ran = sequence_task.apply()
    assert ran.successful() and ran.result == "chained 3"
    _write(1, "再一条")
    results = run_periodic_tasks()  # the ticker (and beat: the same schedule) runs it too
    assert results["audit.sequence"].startswith("chained")
    assert AuditEvent.objects.get(summary="再一条 0").seq is not None
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_checkpoint_signs_the_events_committed_before_it(after_commit, monkeypatch, tmp_path,
                                                           settings):
    from zhicheng.auditlog.operations import sign_checkpoint

    settings.ZHICHENG_AUDIT_KEY_DIR = str(tmp_path / "audit")
    top = _top()
    monkeypatch.setattr(audit, "_sequence_after_commit", lambda: None)
    _write(2, "签署前")
    checkpoint = sign_checkpoint()
    assert checkpoint.seq == top + 2
    assert AuditEvent.objects.get(seq=top + 2).hash == checkpoint.hash


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_operation_leaves_no_pending_event(after_commit):
    before = _top()
    with pytest.raises(ValueError), operation(SYSTEM, "test.event") as op:
        op.summary = "不会提交"
        raise ValueError("refused")
    assert AuditEvent.objects.count() == before
    assert sequence_events() == 0
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_tampering_with_a_chained_event_is_still_caught(after_commit):
    top = _top()
    _write(4, "链")
    AuditEvent.objects.filter(seq=top + 3).update(summary="篡改")
    result = verify_chain()
    assert not result.ok and result.broken_seq == top + 3


@pytest.mark.django_db(transaction=True)
def test_an_event_committed_after_a_later_numbered_one_was_chained_is_chained_too(after_commit):
    """A transaction that stored its event first and commits last (a slow request) leaves
    an unchained event below ones already chained: the sequencer's queue scan, which starts
    at the oldest unchained event, still finds it. Needs two connections writing at once:
    PostgreSQL (SQLite lets one writer in at a time)."""
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent writers need PostgreSQL")
    top = _top()
    stored, release, done = threading.Event(), threading.Event(), threading.Event()

    def slow():
        try:
            with transaction.atomic():
                audit.append_event(actor=SYSTEM, action="test.event", summary="慢事务")
                stored.set()
                release.wait(10)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=slow)
    thread.start()
    assert stored.wait(10)
    _write(2, "快事务")  # committed and chained while the slow one is still open
    fast = list(AuditEvent.objects.filter(summary__startswith="快事务").order_by("id"))
    assert [e.seq for e in fast] == [top + 1, top + 2]
    release.set()
    assert done.wait(10)
    thread.join()
    slow_event = AuditEvent.objects.get(summary="慢事务")
    assert slow_event.id < fast[0].id  # numbered first, committed last
    assert slow_event.seq == top + 3  # its own after-commit run chained it
    result = verify_chain()
    assert result.ok and result.count == top + 3 and result.pending == 0


@pytest.mark.django_db(transaction=True)
def test_with_a_sequencer_process_no_request_chains_and_the_sequencer_chains_them_all(settings):
    """`ZHICHENG_AUDIT_CHAINING=sequencer`: an operation commits its event and leaves it
    unchained (no after-commit run); the sequencer process chains everything committed, in
    commit order, and the chain verifies, standalone verifier included."""
    settings.ZHICHENG_AUDIT_CHAINING = "sequencer"
    top = _top()
    first = _max_id(top)
    _write(5, "排队")
    stored = list(AuditEvent.objects.filter(id__gt=first).order_by("id"))
    assert len(stored) == 5 and all(e.seq is None and e.hash is None for e in stored)
    assert AuditHead.objects.get(id=1).seq == top
    assert verify_chain().pending == 5

    turns = iter([True, True, False])  # two runs of the loop, then the process is stopped
    waited: list[float] = []
    chained = audit.follow_sequence(0.5, keep_going=lambda: next(turns), sleep=waited.append)
    assert chained == 5 and waited == [0.5, 0.5]
    events = list(AuditEvent.objects.filter(id__gt=first).order_by("seq"))
    assert [e.summary for e in events] == [f"排队 {i}" for i in range(5)]
    assert [e.seq for e in events] == list(range(top + 1, top + 6))
    result = verify_chain()
    assert result.ok and result.pending == 0 and result.count == top + 5
    lines = [json.loads(line) for line in export_lines()]
    ok, message, _hashes = _standalone_verifier().check_chain(lines)
    assert ok, message


@pytest.mark.django_db(transaction=True)
def test_the_sequencer_survives_a_failed_run_and_chains_on_the_next(settings, monkeypatch):
    """A run that fails (the database going away a moment) loses nothing: the events stay
    stored, and the next turn chains them."""
    settings.ZHICHENG_AUDIT_CHAINING = "sequencer"
    top = _top()
    _write(2, "断线")
    real = audit.sequence_events
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("connection lost")
        return real(**kwargs)

    monkeypatch.setattr(audit, "sequence_events", flaky)
    turns = iter([True, True, False])
    assert audit.follow_sequence(0.1, keep_going=lambda: next(turns), sleep=lambda _s: None) == 2
    assert verify_chain().ok and AuditHead.objects.get(id=1).seq == top + 2


def test_the_sequence_command_chains_once_and_refuses_a_bad_interval(db, settings):
    from django.core.management.base import CommandError

    settings.ZHICHENG_AUDIT_CHAINING = "sequencer"
    out = io.StringIO()
    call_command("audit", "sequence", stdout=out)
    assert "已入链" in out.getvalue()
    with pytest.raises(CommandError, match="--interval"):
        call_command("audit", "sequence", "--follow", "--interval", "0")
