"""The expert draw record the project writes (`zhicheng draw record`) re-runs with the
standalone verifier, before the draw (commitment only) and after it (same experts)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from zhicheng.evaluation import queries

from .tools import run_tool

pytestmark = pytest.mark.django_db


def test_draw_record_reruns_with_the_standalone_verifier(world: Any, tmp_path: Path) -> None:
    from zhicheng.evaluation import operations as ops

    world.today("2024-10-08")
    world.pool(9)
    world.application()
    m = world.approved()
    m = ops.commit_draw(m, world.office)
    before = tmp_path / "before.json"
    call_command("draw", "record", str(m.pk), output=str(before), stdout=io.StringIO())
    record = json.loads(before.read_text(encoding="utf-8"))
    assert record["seed"] is None and record["seed_hash"] == m.seed_hash
    pre = run_tool("expert_draw.py", str(before))
    assert pre.returncode == 0 and "NOT DRAWN YET: 9 in the pool" in pre.stdout

    m = ops.run_draw(m, world.office)
    after = tmp_path / "after.json"
    call_command("draw", "record", str(m.pk), output=str(after), stdout=io.StringIO())
    ok = run_tool("expert_draw.py", str(after))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    code = queries.pool_code_of(m)
    seated = [code[s.expert_id] for s in m.seats.filter(reserve=False).order_by("position")]
    assert f"selected {seated}" in ok.stdout
