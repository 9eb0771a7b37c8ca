"""The expert's case page in Chromium, click-only after login: from the work bar (我的评审)
to the meeting (评审与投票), to a case's materials page (profile, eligibility findings,
review opinions), a material opened watermarked with the expert's name, then a recusal
asked for on the page, after which the ballot page shows 已回避.

Setup through operations (committee, pool, application with a submission, an opened
meeting); the expert's session is made directly and handed to the browser."""

from __future__ import annotations

import io

import pytest

from tests.browser.sessions import hand_session
from tests.browser.test_accessibility import violations_where
from tests.evaluation.test_panel_and_case_page import submitted
from tests.factories.evaluation import World

pytestmark = pytest.mark.browser


def test_an_expert_evaluates_a_case_by_clicking(page, live_server, season, settings,
                                                demo_users, tmp_path) -> None:
    from pypdf import PdfReader

    from zhicheng.core.models import AuditEvent
    from zhicheng.evaluation.models import Recusal

    settings.ZHICHENG_TODAY = "2024-10-08"
    settings.ZHICHENG_BALLOT_KEY_DIR = str(tmp_path / "ballot-keys")
    world = World(season, demo_users, settings)
    world.pool(6)
    app = submitted(world, settings, tmp_path, "旅程丙")
    m = world.opened(count=5, reserve=0)
    expert = m.seats.filter(reserve=False).select_related("expert__user").first().expert.user
    base = live_server.url

    hand_session(page, base, expert)
    page.goto(base + "/")
    page.get_by_role("link", name="我的评审").first.click()
    page.wait_for_load_state("load")
    page.get_by_role("link", name="评审与投票").first.click()
    page.wait_for_load_state("load")
    page.locator("tr", has_text="旅程丙").get_by_role("link", name="评审材料").click()
    page.wait_for_load_state("load")
    assert "旅程丙" in page.inner_text("#case-title")
    assert "材料工程" in page.inner_text("#profile")
    assert "任职年限满5年" in page.inner_text("#findings")
    assert "材料真实，同意推荐" in page.inner_text("#opinions")
    assert not violations_where(page)  # WCAG 2 A/AA on the expert's case page

    link = page.get_by_role("link", name="代表作：检测方法论文")
    href = link.get_attribute("href")
    with page.context.expect_page() as opened:
        link.click()
    opened.value.close()
    pdf = page.context.request.get(base + href)  # the same bytes the new tab received
    assert pdf.headers["content-type"] == "application/pdf"
    assert str(expert.full_name) in PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()

    page.fill("#recuse-reason", "曾与申报人同一课题组")
    page.get_by_role("button", name="申请回避").click()
    page.wait_for_load_state("load")
    assert "已回避" in page.locator("tr", has_text="旅程丙").inner_text()
    assert Recusal.objects.filter(case__application=app, seat__expert__user=expert).exists()
    assert AuditEvent.objects.filter(action="evaluation.dossier.open").count() >= 2
