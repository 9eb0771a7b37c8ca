"""The evaluation meeting in Chromium, from the opening report to filed
results, on the demo clock: the committee office plans the meeting and submits the opening
report; the city office approves it; the office publishes the seed hash, draws (seed
revealed), records attendance; the meeting cannot open before its day, so the city office
moves the demo clock on from the banner; the office opens the meeting and the vote; every
drawn expert votes on the ballot page and gets a receipt code; the office closes the vote;
counter and scrutineer sign; the office records and publishes the results; the city office
moves the demo clock past the result publicity (which closes by itself) and files the results.

Each person reaches the meeting by clicking (work bar, meeting list, 我的评审), never by a typed
address. Driven through operations in setup (not through the UI): the committee, the expert pool
and the applications already ready for the meeting. Officials' second factor is covered by
tests/accounts: the session is made directly and handed to the browser."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.sessions import hand_session
from tests.factories.evaluation import World

pytestmark = pytest.mark.browser


def _press(page: Any, label: str) -> None:
    page.get_by_role("button", name=label).first.click()
    page.wait_for_load_state("load")


def _to_evaluation(page: Any, base: str) -> None:
    """From the home page, the work bar's 评审会议 (committee and city offices)."""
    page.goto(f"{base}/")
    page.click("#work-nav >> text=评审会议")
    page.wait_for_load_state("load")


def _to_meeting(page: Any, base: str, m: Any) -> None:
    """The meeting's page, by its link in the meeting list."""
    _to_evaluation(page, base)
    page.locator(f"main a[href='/evaluation/meeting/{m.pk}/']").first.click()
    page.wait_for_load_state("load")


def _to_ballot(page: Any, base: str, m: Any) -> None:
    """An expert's way in: the work bar's 我的评审, then 评审与投票 of the meeting."""
    page.goto(f"{base}/")
    page.click("#work-nav >> text=我的评审")
    page.locator(f"main a[href='/evaluation/meeting/{m.pk}/ballot/']").first.click()
    page.wait_for_load_state("load")


def _advance_demo_clock(page: Any, days: int) -> None:
    """The city office's button in the demo banner."""
    page.fill("#demo-clock input[name=days]", str(days))
    page.locator("#demo-clock button").click()
    page.wait_for_load_state("load")


def test_meeting_journey(page, live_server, season, settings, demo_users, tmp_path) -> None:
    from zhicheng.applications.models import Application
    from zhicheng.evaluation.models import Meeting

    settings.ZHICHENG_TODAY = "2024-10-08"
    settings.ZHICHENG_DEMO_CLOCK = True  # demo mode: the city office moves the date on
    settings.ZHICHENG_DEMO_CLOCK_FILE = str(tmp_path / "demo-clock.txt")
    base = live_server.url
    world = World(season, demo_users, settings)
    world.pool(6)
    world.expert("同单位专家", unit=world.employer)  # excluded before the draw
    chair = world.chair()  # 主任委员, who will preside
    a = world.application("旅程甲")
    b = world.application("旅程乙")

    # 1. The committee office plans the meeting and submits the opening report.
    hand_session(page, base, world.office)
    _to_evaluation(page, base)
    page.click(f"main >> text={world.committee.name}")
    page.wait_for_load_state("load")
    page.fill("#id_date", "2024-10-25")
    page.fill("#id_place", "市工信局三楼会议室")
    page.fill("#id_pass_rate", "100")
    page.fill("#id_specialty", "质量工程")
    page.select_option("#id_level", "associate_senior")
    page.fill("#id_count", "5")
    page.fill("#id_reserve", "1")
    _press(page, "保存")
    page.wait_for_url(re.compile(r".*/evaluation/meeting/\d+/$"))
    m = Meeting.objects.get(committee=world.committee)
    _press(page, "报送开评报告")
    assert "开评报告待审批" in page.inner_text("#meeting-state")
    assert "旅程甲" in page.inner_text("#roster")

    # 2. The city office approves it.
    hand_session(page, base, world.city)
    _to_meeting(page, base, m)
    _press(page, "批准开评报告")
    assert "开评报告已批准" in page.inner_text("#meeting-state")

    # 3. The draw: hash first, then the draw reveals the seed.
    hand_session(page, base, world.office)
    _to_meeting(page, base, m)
    _press(page, "排查回避并公布种子哈希")
    seed_hash = page.inner_text("#seed-hash")
    assert len(seed_hash) == 64 and "同一工作单位" in page.content()
    _press(page, "抽取评委")
    m.refresh_from_db()
    assert page.inner_text("#seed") == m.seed and m.seed_hash == seed_hash
    seats = [s for s in m.seats.all() if not s.reserve]
    for s in seats:
        page.check(f"input[name=present][value='{s.pk}']")
    _press(page, "登记出席")
    assert "达到法定人数" in page.inner_text("#quorum")
    assert "尚未指定" in page.inner_text("#presiding")
    _press(page, "保存主持人")  # the chair is the one choice offered
    assert f"{chair.expert.user}（主任委员）" in page.inner_text("#presiding")
    _press(page, "开始评审会议")  # refused: the meeting is on 25 October
    assert "尚未到会议日期" in page.content() and "评委已抽取" in page.inner_text("#meeting-state")

    # The city office moves the demo clock to the meeting's day (banner button, audited).
    hand_session(page, base, world.city)
    _to_meeting(page, base, m)
    _advance_demo_clock(page, 17)
    assert "2024年10月25日" in page.inner_text(".zc-pinned")
    hand_session(page, base, world.office)
    _to_meeting(page, base, m)
    _press(page, "开始评审会议")
    assert "会议进行中" in page.inner_text("#meeting-state")
    cases = list(m.cases.order_by("pk"))
    for c in cases:
        page.click(f"button[data-open-ballot='{c.pk}']")
        page.wait_for_load_state("load")

    # 4. Every drawn expert votes in secret and keeps a receipt.
    receipts = []
    for s in seats:
        hand_session(page, base, s.expert.user)
        _to_ballot(page, base, m)
        for c in cases:
            page.locator("tr", has_text=str(c.application.applicant)).locator(
                "input[value=agree]").check()
            page.locator("tr", has_text=str(c.application.applicant)).get_by_role(
                "button", name="投票").click()
            page.wait_for_load_state("load")
            receipts.append(page.inner_text("#receipt"))
    assert len(set(receipts)) == len(seats) * len(cases)

    # 5. The office closes the votes and names the counter and the scrutineer; they sign.
    hand_session(page, base, world.office)
    _to_meeting(page, base, m)
    for c in cases:
        page.click(f"button[data-close-ballot='{c.pk}']")
        page.wait_for_load_state("load")
    assert "已计票" in page.inner_text("#meeting-state")
    _press(page, "指定")
    for s in seats[:2]:
        hand_session(page, base, s.expert.user)
        _to_ballot(page, base, m)
        _press(page, "签字确认计票结果")
    hand_session(page, base, world.office)
    _to_meeting(page, base, m)
    assert "计票已签字确认" in page.inner_text("#meeting-state")

    # 6. Results recorded and published (结果公示); the data report falls due.
    _press(page, "登记表决结果")
    settings.ZHICHENG_TODAY = "2024-10-28"
    _to_meeting(page, base, m)
    _press(page, "发布结果公示")
    assert "结果公示中" in page.inner_text("#meeting-state")
    assert "2024-11-11" in page.inner_text("#data-report")
    _press(page, "报送评审数据")
    assert "已报送" in page.inner_text("#data-report")

    # 7. The city office moves the demo clock past the publicity (which then closes by
    # itself: the periodic tasks run after each move) and files the results.
    hand_session(page, base, world.city)
    _to_meeting(page, base, m)
    _advance_demo_clock(page, 7)
    assert "2024年11月4日" in page.inner_text(".zc-pinned")
    page.fill("#approval-number", "测试职称办〔2024〕12号")
    _press(page, "核准备案")
    assert "已核准备案" in page.inner_text("#meeting-state")
    assert "测试职称办〔2024〕12号" in page.inner_text("#approval")
    for app in (a, b):
        assert Application.objects.get(pk=app.pk).state == "approved"


def test_a_meeting_over_two_sittings(page, live_server, season, settings, demo_users) -> None:
    """The office adds a second sitting on the next working day (a Saturday is refused),
    moves one applicant to it, records that sitting's attendance (short of the quorum), and
    sees each sitting with its date, place, attendance and applicants."""
    settings.ZHICHENG_TODAY = "2024-10-08"
    base = live_server.url
    world = World(season, demo_users, settings)
    world.pool(7)
    world.application("分场甲")
    yi = world.application("分场乙")
    m = world.drawn()  # 2024-10-25, a Friday: drawn, the chair presiding
    hand_session(page, base, world.office)
    _to_evaluation(page, base)
    page.get_by_role("link", name=f"{m.committee} · 2024-10-25").click()
    page.wait_for_load_state("load")
    assert "第1场" in page.inner_text("#sittings")

    page.fill("#new-sitting-date", "2024-10-26")
    page.fill("#new-sitting-place", "市工信局五楼会议室")
    _press(page, "增设分场会议")
    assert "2024年10月26日不是工作日" in page.content()
    page.fill("#new-sitting-date", "2024-10-28")
    page.fill("#new-sitting-place", "市工信局五楼会议室")
    page.select_option("#new-sitting-presiding", label=f"{world.chair().expert.user}（主任委员）")
    _press(page, "增设分场会议")
    second = page.locator("#sittings tr[data-sitting='2']")
    assert "2024-10-28" in second.inner_text() and "市工信局五楼会议室" in second.inner_text()

    page.locator("#assign-cases").get_by_label(re.compile("分场乙")).check()
    page.locator("#assign-cases select[name=sitting]").select_option(label="第2场（2024-10-28）")
    _press(page, "调整场次")
    assert "分场乙" in page.inner_text("#sittings tr[data-sitting='2']")
    assert "分场乙" not in page.inner_text("#sittings tr[data-sitting='1']")

    seats = [s for s in m.seats.order_by("position") if not s.reserve]
    day2 = page.locator("[data-attendance='2']")
    for s in seats[:3]:
        day2.locator(f"input[name=present][value='{s.pk}']").check()
    _press(page, "登记出席（第2场）")
    assert "出席3人 / 抽取5人" in page.inner_text("#quorum-2")
    assert "未达到法定人数" in page.inner_text("#quorum-2")
    assert "出席0人" in page.inner_text("#quorum")  # sitting 1 keeps its own attendance
    yi_case = m.cases.get(application=yi)
    assert yi_case.sitting is not None and yi_case.sitting.number == 2
