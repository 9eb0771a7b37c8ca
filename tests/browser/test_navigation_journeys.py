"""Every role finds its work by clicking (docs/journeys.md): each test starts at the login
page, signs in as a person would (password, then the authenticator code for officials),
and reaches every page of that role's journey by clicking links only. The page's `goto` is
guarded: any address typed other than the login page fails the test. At the end, every page
docs/journeys.md lists for the role must have been reached.

The data (applications at the unit, at 初审 and at the committee, a committee with a meeting,
the demo expert in the pool) is built through operations in setup."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.second_factor import enter_code
from tests.factories.evaluation import World
from tests.factories.reviews import MARKET_OFFICE, Chain

pytestmark = pytest.mark.browser

JOURNEYS = Path(__file__).resolve().parents[2] / "docs" / "journeys.md"
LOGIN = "/accounts/login/"
PASSWORD = "pw-zhicheng-2024"  # the factories' applicants


def documented_pages(section: str) -> list[str]:
    """The addresses listed under `## <section>` in docs/journeys.md."""
    text = JOURNEYS.read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    pages = re.findall(r"^\|[^|]+\|\s*`([^`]+)`", body, re.M)
    assert pages, f"docs/journeys.md lists no pages for {section}"
    return pages


class Journey:
    """A person in the browser who may type one address: the login page's."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.reached: list[str] = []
        typed = page.goto

        def goto(url: str, **kwargs: Any) -> Any:
            if urlsplit(url).path != LOGIN:
                raise AssertionError(f"{url} was typed: every page must be reached by clicking")
            return typed(url, **kwargs)

        page.goto = goto
        page.on("framenavigated",
                lambda frame: frame == page.main_frame and self.reached.append(
                    urlsplit(frame.url).path))

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def login(self, username: str, password: str) -> str:
        self.page.goto(self.base + LOGIN)
        self.page.fill("input[name=login]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("main form button[type=submit]")
        self.page.wait_for_load_state("load")
        if "/2fa/" in self.path:  # officials: the code from their authenticator app
            enter_code(self.page)
        return self.path

    def click(self, name: str, within: str = "body") -> str:
        """Follow the link called `name` (inside `within`) and return where it led."""
        self.page.locator(within).get_by_role("link", name=name).first.click()
        self.page.wait_for_load_state("load")
        assert "页面不存在" not in self.page.title(), self.path
        return self.path

    def bar(self, name: str) -> str:
        """A link of the work bar (its name may carry a waiting count)."""
        self.page.locator("#work-nav").get_by_role(
            "link", name=re.compile(rf"^{re.escape(name)}")).first.click()
        self.page.wait_for_load_state("load")
        return self.path

    def public(self, name: str) -> str:
        return self.click(name, within="header nav.zc-navbar")

    def link_to(self, pattern: str) -> str:
        """Follow the first link in the page's main part to a record under `pattern`
        (`/review/` follows `/review/12/`, not `/review/sampling/`)."""
        record = re.compile(rf"{re.escape(pattern)}\d+/$")
        links = self.page.locator(f"main a[href^='{pattern}']")
        for i in range(links.count()):
            if record.match(links.nth(i).get_attribute("href") or ""):
                links.nth(i).click()
                self.page.wait_for_load_state("load")
                assert "页面不存在" not in self.page.title(), self.path
                return self.path
        raise AssertionError(f"{self.path} has no link to a record under {pattern}")

    def assert_reached(self, section: str) -> None:
        missing = [
            p for p in documented_pages(section)
            if not any(re.fullmatch(re.escape(p).replace("<pk>", r"\d+"), seen)
                       for seen in self.reached)
        ]
        assert not missing, f"{section}: not reached by clicking: {missing}"


@pytest.fixture
def work(settings: Any, season: Any, demo_users: Any, tmp_path: Any, make_applicant: Any) -> Any:
    """An application waiting at each desk, a committee with a meeting, the expert in the
    pool. The committee office 王秘书 also runs 市场监督局's committee (the demo plan's)."""
    from allauth.account.models import EmailAddress

    from zhicheng.accounts.totp import activate_totp
    from zhicheng.demo.accounts import DEMO_TOTP_SECRET
    from zhicheng.orgs.models import Membership, Organisation

    settings.ZHICHENG_TODAY = "2024-07-15"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CELERY_TASK_ALWAYS_EAGER = True
    committee = demo_users["gongxin_committee"]
    Membership.objects.get_or_create(
        user=committee, organisation=Organisation.objects.get(name=MARKET_OFFICE),
        role="committee_office")
    activate_totp(committee, DEMO_TOTP_SECRET)
    chain = Chain(settings, demo_users, make_applicant, committee)
    submitted = chain.submitted()
    EmailAddress.objects.create(user=submitted.applicant, email=submitted.applicant.email,
                                verified=True, primary=True)
    chain.at_preliminary()
    chain.at_committee()
    settings.ZHICHENG_TODAY = "2024-07-15"
    world = World(season, demo_users, settings)
    world.meeting()
    world.expert("林教授", user=demo_users["expert"])
    return submitted


@pytest.fixture
def journey(page: Any, live_server: Any, season: Any) -> Journey:
    # `season` reloads the 2024 season when an earlier live-server test flushed the database.
    return Journey(page, live_server.url)


def test_public_journey(journey) -> None:
    journey.page.goto(journey.base + LOGIN)
    for name in ("首页", "评审计划表", "公示", "证书查验", "通知公告", "政策原文"):
        journey.public(name)
    journey.public("公示")
    assert journey.click("评委抽取公开记录", within="main") == "/draws/"
    assert journey.click("材料抽查公开记录", within="main") == "/draws/sampling/"
    assert journey.page.locator("#work-nav").count() == 0
    journey.assert_reached("Public (not signed in)")


def test_a_typed_address_fails_the_journey(journey) -> None:
    with pytest.raises(AssertionError, match="reached by clicking"):
        journey.page.goto(journey.base + "/review/")


def test_applicant_journey(journey, work) -> None:
    assert journey.login(work.applicant.username, PASSWORD) == "/apply/"
    assert journey.click("个人资料", within="main") == "/apply/profile/"
    journey.bar("我的申报")
    assert journey.link_to("/apply/") == f"/apply/{work.pk}/"
    assert journey.bar("消息") == "/apply/inbox/"
    assert journey.bar("我的证书") == "/certificates/"
    assert journey.public("我的账户") == "/accounts/me/"
    assert journey.click("修改通知方式", within="main") == "/accounts/me/notifications/"
    journey.assert_reached("Applicant")


def _official(journey: Journey, username: str, demo_password: str, landing: str) -> None:
    assert journey.login(username, demo_password) == landing
    assert journey.page.locator("#work-nav").is_visible()


def test_unit_hr_journey(journey, work, demo_password) -> None:
    _official(journey, "unit_hr", demo_password, "/review/")
    assert "1" in journey.page.locator("#work-nav").inner_text()  # 待办 1
    journey.link_to("/review/")
    assert re.fullmatch(r"/review/\d+/", journey.path)
    assert journey.bar("公示异议") == "/publicity/objections/"
    assert journey.bar("接口令牌") == "/api/tokens/"
    assert journey.bar("我的任务") == "/jobs/"
    journey.public("我的账户")
    journey.assert_reached("Unit HR (用人单位人事)")


def test_preliminary_reviewer_journey(journey, work, demo_password) -> None:
    _official(journey, "haizhou_reviewer", demo_password, "/review/")
    journey.link_to("/review/")
    assert re.fullmatch(r"/review/\d+/", journey.path)
    assert journey.bar("待办") == "/review/"
    assert journey.bar("接口令牌") == "/api/tokens/"
    assert journey.bar("我的任务") == "/jobs/"
    journey.public("我的账户")
    journey.assert_reached("Preliminary reviewer (初审)")


def test_committee_office_journey(journey, work, demo_password) -> None:
    _official(journey, "gongxin_committee", demo_password, "/review/")
    journey.link_to("/review/")
    assert journey.bar("公示异议") == "/publicity/objections/"
    assert journey.bar("评审会议") == "/evaluation/"
    assert re.fullmatch(r"/evaluation/committee/\d+/", journey.link_to("/evaluation/committee/"))
    assert re.fullmatch(r"/evaluation/committee/\d+/roster/",
                        journey.click("导入专家花名册", within="main"))
    journey.bar("评审会议")
    assert re.fullmatch(r"/evaluation/meeting/\d+/", journey.link_to("/evaluation/meeting/"))
    assert journey.bar("处理措施") == "/supervision/sanctions/"
    assert journey.bar("省高评委结果") == "/review/province/"
    assert journey.bar("接口令牌") == "/api/tokens/"
    assert journey.bar("我的任务") == "/jobs/"
    journey.public("我的账户")
    journey.assert_reached("Committee office (评委会办事机构)")


def test_expert_journey(journey, work, demo_password) -> None:
    _official(journey, "expert", demo_password, "/evaluation/expert/")
    journey.public("我的账户")
    assert journey.bar("我的评审") == "/evaluation/expert/"
    journey.assert_reached("Expert (评审专家)")


def test_city_office_journey(journey, work, demo_password) -> None:
    _official(journey, "city_office", demo_password, "/supervision/")
    assert re.fullmatch(r"/supervision/plan/\d+/", journey.link_to("/supervision/plan/"))
    for name, url in (
        ("统计分析", "/supervision/statistics/"), ("届次管理", "/supervision/seasons/"),
        ("材料抽查", "/review/sampling/"),
        ("证书签发", "/certificates/office/"), ("处理措施", "/supervision/sanctions/"),
        ("审计日志", "/supervision/audit/"), ("消息投递", "/apply/deliveries/"),
        ("重置双重认证", "/accounts/officials/second-factor/"), ("待办", "/review/"),
    ):
        assert journey.bar(name) == url
    journey.link_to("/review/")
    assert re.fullmatch(r"/review/\d+/", journey.path)
    journey.bar("评审会议")
    journey.link_to("/evaluation/meeting/")
    assert journey.bar("接口令牌") == "/api/tokens/"
    assert journey.bar("我的任务") == "/jobs/"
    journey.public("我的账户")
    assert journey.bar("管理后台") == "/admin/"
    journey.assert_reached("City office (市职称办)")
