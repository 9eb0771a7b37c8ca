"""The public draw record of a meeting (docs/trust.md §Expert draw): reachable without a
login from 公示, by pseudonymous pool codes only (no names, units or pool ids), fixed at the
commit, and the downloaded JSON re-runs with the standalone verifier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhicheng.evaluation import operations as ops
from zhicheng.evaluation import queries

from .tools import run_tool

pytestmark = pytest.mark.django_db


def _committed(world: Any, n: int = 9) -> tuple[Any, list[Any]]:
    world.today("2024-10-08")
    pool = world.pool(n)
    world.application()
    m = ops.commit_draw(world.approved(), world.office)
    return m, pool


def test_a_visitor_reaches_the_record_from_publicity_and_it_reruns(world: Any,
                                                                   tmp_path: Path) -> None:
    m, pool = _committed(world)
    visitor = Client()
    publicity = visitor.get(reverse("publicity:list")).content.decode()
    assert reverse("draws:list") in publicity
    listing = visitor.get(reverse("draws:list")).content.decode()
    assert reverse("draws:meeting", args=[m.pk]) in listing and "尚未抽取" in listing

    before = visitor.get(reverse("draws:meeting", args=[m.pk])).content.decode()
    assert m.seed_hash in before and m.seed not in before
    assert "P-01" in before and "P-09" in before
    for e in pool:
        assert e.user.full_name not in before and e.unit.name not in before

    ops.run_draw(m, world.office)
    m.refresh_from_db()
    after = visitor.get(reverse("draws:meeting", args=[m.pk])).content.decode()
    assert m.seed in after
    code = queries.pool_code_of(m)
    seated = [code[s.expert_id] for s in m.seats.filter(reserve=False).order_by("position")]
    assert all(c in after for c in seated)

    response = visitor.get(reverse("draws:meeting_json", args=[m.pk]))
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / "record.json"
    path.write_bytes(response.content)
    record = json.loads(response.content)
    text = response.content.decode()
    assert all(e.user.full_name not in text for e in pool)
    assert sorted(c["id"] for c in record["candidates"]) == sorted(code.values())
    ok = run_tool("expert_draw.py", str(path))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"selected {seated}" in ok.stdout

    record["result"]["groups"][0]["selected"].reverse()
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert run_tool("expert_draw.py", str(path)).returncode == 1


def test_exclusions_are_published_by_code_with_the_class_only(world: Any) -> None:
    world.today("2024-10-08")
    world.pool(8)
    colleague = world.expert("同单位专家", unit=world.employer)
    world.application("张评审")
    m = ops.commit_draw(world.approved(), world.office)
    record = queries.draw_record(m)
    mine = queries.pool_code_of(m)[colleague.pk]
    assert record["excluded"] == [mine]
    assert record["exclusions"] == [{"id": mine, "reason": "conflict", "overridden": False}]
    page = Client().get(reverse("draws:meeting", args=[m.pk])).content.decode()
    assert f"{mine}</code>：回避" in page
    assert "张评审" not in page and world.employer.name not in page


def test_codes_are_fixed_at_the_commit_and_unrelated_across_meetings(world: Any) -> None:
    m, pool = _committed(world)
    first = queries.pool_code_of(m)
    world.expert("抽取前新入库的专家")  # joins the pool after the commit
    ops.run_draw(m, world.office)
    m.refresh_from_db()
    assert queries.pool_code_of(m) == first
    assert len(queries.draw_record(m)["candidates"]) == len(pool)

    orders = {tuple(first[e.pk] for e in pool)}
    for _ in range(2):
        world.application()
        other = ops.commit_draw(world.approved(), world.office)
        codes = queries.pool_code_of(other)
        orders.add(tuple(codes[e.pk] for e in pool))
    # a fresh secret order each meeting: three meetings giving the same 9 codes to the same
    # experts would happen once in (9!)² ≈ 10¹¹ runs
    assert len(orders) > 1


def test_an_uncommitted_meeting_has_no_public_record(world: Any) -> None:
    world.today("2024-10-08")
    world.pool(6)
    world.application()
    m = world.approved()
    assert Client().get(reverse("draws:meeting", args=[m.pk])).status_code == 404
    assert Client().get(reverse("draws:meeting_json", args=[m.pk])).status_code == 404


def test_the_public_pages_cost_the_same_queries_for_one_meeting_or_three(world: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(url).status_code == 200
        return len(ctx.captured_queries)

    m, _pool = _committed(world)
    Client().get("/")  # the site's city list is cached after the first page (seasons.queries)
    one = cost(reverse("draws:list")), cost(reverse("draws:meeting", args=[m.pk]))
    for _ in range(2):
        world.application()
        ops.run_draw(ops.commit_draw(world.approved(), world.office), world.office)
    world.expert("又一位专家")
    assert (cost(reverse("draws:list")), cost(reverse("draws:meeting", args=[m.pk]))) == one


def test_the_office_sees_each_drawn_experts_code_beside_the_name(world: Any) -> None:
    m, _pool = _committed(world)
    m = ops.run_draw(m, world.office)
    office = Client()
    office.force_login(world.office)
    html = office.get(reverse("evaluation:meeting", args=[m.pk])).content.decode()
    code = queries.pool_code_of(m)
    for seat in m.seats.select_related("expert__user"):
        assert seat.expert.user.full_name in html and code[seat.expert_id] in html
