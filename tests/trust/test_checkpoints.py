"""Signed audit checkpoints: a history rewritten in the database (an event edited, another
deleted, the rest renumbered and re-hashed with the application's own digest) passes the
chain check, but not a checkpoint saved before the rewrite, in the command or standalone."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client

from zhicheng.auditlog.models import AuditCheckpoint
from zhicheng.auditlog.operations import sign_checkpoint
from zhicheng.auditlog.tasks import checkpoint_task
from zhicheng.core.audit import GENESIS, event_digest, verify_chain
from zhicheng.core.models import AuditEvent, AuditHead
from zhicheng.core.operations import SYSTEM, operation

from .tools import run_tool

pytestmark = pytest.mark.django_db


def _events(n: int) -> None:
    for i in range(n):
        with operation(SYSTEM, "test.event") as op:
            op.summary = f"第{i}条测试事件"
            op.data = {"i": i}


def _rewrite_history() -> None:
    """What a database administrator could do: edit one event, delete another, renumber
    and re-hash everything after, move the head."""
    with transaction.atomic():
        events = list(AuditEvent.objects.order_by("seq"))
        events[2].summary = "改写后的摘要"
        AuditEvent.objects.filter(pk=events[4].pk).delete()
        kept = events[:4] + events[5:]
        AuditEvent.objects.filter(pk__in=[e.pk for e in kept]).update(seq=models.F("seq") + 10**9)
        prev = GENESIS
        for seq, event in enumerate(kept, start=1):
            event.seq, event.prev_hash = seq, prev
            event.hash = event_digest(event)
            prev = event.hash
            AuditEvent.objects.filter(pk=event.pk).update(
                seq=seq, summary=event.summary,
                prev_hash=event.prev_hash, hash=event.hash)
        AuditHead.objects.filter(id=1).update(seq=len(kept), hash=prev)


def _save(client: Client, url: str, path: Path) -> Path:
    response = client.get(url)
    assert response.status_code == 200
    path.write_bytes(response.content)
    return path


def test_a_saved_checkpoint_catches_a_rewritten_history(tmp_path: Path) -> None:
    _events(8)
    checkpoint = sign_checkpoint()
    client = Client()
    saved = _save(client, "/audit/checkpoints.json", tmp_path / "checkpoints.json")
    keys = _save(client, "/audit/keys.json", tmp_path / "audit-keys.json")
    assert json.loads(saved.read_text(encoding="utf-8"))["checkpoints"][0]["checkpoint"][
        "seq"] == checkpoint.seq
    _events(2)
    out = io.StringIO()
    call_command("audit", "verify", checkpoints=str(saved), keys=str(keys), stdout=out)
    assert "1 checkpoints match" in out.getvalue()

    _rewrite_history()
    assert verify_chain().ok  # every hash recomputed: the chain alone cannot tell
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", checkpoints=str(saved), keys=str(keys), stderr=err)
    assert exit_info.value.code == 1
    assert f"检查点#{checkpoint.seq}" in err.getvalue() and "历史记录已被改写" in err.getvalue()

    export = tmp_path / "audit.jsonl"
    call_command("audit", "export", output=str(export), stdout=io.StringIO())
    alone = run_tool("audit_chain.py", str(export))
    assert alone.returncode == 0  # the rewritten chain is self-consistent …
    caught = run_tool("audit_chain.py", str(export), "--checkpoints", str(saved),
                      "--keys", str(keys))
    assert caught.returncode == 1  # … but not with the checkpoint saved before
    assert f"checkpoint #{checkpoint.seq}" in caught.stdout and "rewritten" in caught.stdout


def test_the_standalone_verifier_accepts_an_untouched_chain_with_its_checkpoints(
    tmp_path: Path,
) -> None:
    _events(3)
    sign_checkpoint()
    _events(1)
    sign_checkpoint()
    client = Client()
    saved = _save(client, "/audit/checkpoints.json", tmp_path / "c.json")
    keys = _save(client, "/audit/keys.json", tmp_path / "k.json")
    export = tmp_path / "audit.jsonl"
    call_command("audit", "export", output=str(export), stdout=io.StringIO())
    ok = run_tool("audit_chain.py", str(export), "--checkpoints", str(saved), "--keys", str(keys))
    assert ok.returncode == 0 and "2 checkpoints match" in ok.stdout, ok.stdout + ok.stderr
    # A forged checkpoint (hash changed, old signature kept) is refused.
    document = json.loads(saved.read_text(encoding="utf-8"))
    document["checkpoints"][0]["checkpoint"]["hash"] = "f" * 64
    saved.write_text(json.dumps(document), encoding="utf-8")
    bad = run_tool("audit_chain.py", str(export), "--checkpoints", str(saved), "--keys", str(keys))
    assert bad.returncode == 1 and "signature invalid" in bad.stdout


def test_public_page_lists_checkpoints_and_the_task_signs_at_least_daily(
    settings: Any,
) -> None:
    page = Client().get("/audit/checkpoints/")
    assert page.status_code == 200 and "尚未签署检查点" in page.content.decode()
    assert checkpoint_task().startswith("checkpoint #")
    assert checkpoint_task() == "skipped"  # one a day is enough
    settings.ZHICHENG_AUDIT_CHECKPOINT_SECONDS = 0
    assert checkpoint_task().startswith("checkpoint #")
    assert AuditCheckpoint.objects.count() == 2
    first = AuditCheckpoint.objects.order_by("pk").first()
    assert first is not None
    html = Client().get("/audit/checkpoints/").content.decode()
    assert first.hash in html and "下载检查点" in html
    out = io.StringIO()
    call_command("audit", "checkpoint", stdout=out)
    assert "已签署审计检查点" in out.getvalue()
