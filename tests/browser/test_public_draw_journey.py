"""A visitor, not signed in, checks an expert draw: from the home page through 公示 to the
public list of draw records, opens the meeting's record (pool by pseudonymous codes, seed
hash, revealed seed, result), downloads its JSON and re-runs it with the standalone
verifier (docs/trust.md §Expert draw). The meeting is committed and drawn through
operations in setup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_navigation_journeys import LOGIN, Journey
from tests.factories.evaluation import World
from tests.trust.tools import run_tool
from zhicheng.evaluation import operations as ops
from zhicheng.evaluation import queries

pytestmark = pytest.mark.browser


def test_a_visitor_downloads_a_draw_record_and_reruns_it(
        page: Any, live_server: Any, season: Any, settings: Any, demo_users: Any,
        tmp_path: Path) -> None:
    settings.ZHICHENG_TODAY = "2024-10-08"
    world = World(season, demo_users, settings)
    pool = world.pool(7)
    world.expert("同单位专家", unit=world.employer)  # excluded before the draw
    world.application("旅程丙")
    m = ops.run_draw(ops.commit_draw(world.approved(), world.office), world.office)
    code = queries.pool_code_of(m)
    seated = [code[s.expert_id] for s in m.seats.filter(reserve=False).order_by("position")]

    journey = Journey(page, live_server.url)  # refuses any typed address but the login's
    page.goto(live_server.url + LOGIN)
    journey.public("公示")
    assert journey.click("评委抽取公开记录", within="main") == "/draws/"
    page.locator(f"a[data-draw='{m.pk}']").click()
    page.wait_for_load_state("load")

    assert page.inner_text("#public-seed-hash") == m.seed_hash
    assert page.inner_text("#public-seed") == m.seed
    result = page.inner_text("#public-result")
    assert all(c in result for c in seated)
    assert "回避" in page.inner_text("#public-exclusions")
    body = page.inner_text("body")
    assert all(e.user.full_name not in body for e in pool) and "同单位专家" not in body

    with page.expect_download() as download:
        page.locator("#download-draw-record").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    ok = run_tool("expert_draw.py", str(saved))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"selected {seated}" in ok.stdout and "OK" in ok.stdout
    journey.assert_reached("Public: a draw record")
