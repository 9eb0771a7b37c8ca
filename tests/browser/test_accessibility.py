"""WCAG 2 A/AA on the main pages of every role, checked by axe-core (vendored in
tests/browser/vendor, no CDN) in Chromium: 0 violations, colour contrast included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.sessions import hand_session

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
PUBLIC = ["/", "/plans/", "/publicity/", "/verify/", "/notices/", "/notice/", "/accounts/login/",
          "/draws/", "/audit/checkpoints/"]
ROLE_PAGES = {
    "applicant": ["/apply/", "/apply/profile/", "/apply/inbox/", "/certificates/", "/accounts/me/",
                  "/accounts/me/notifications/"],
    "unit_hr": ["/review/", "/publicity/objections/", "/api/tokens/"],
    "haizhou_reviewer": ["/review/"],
    "gongxin_committee": ["/review/", "/evaluation/", "/supervision/sanctions/",
                          "/review/province/", "/jobs/"],
    "expert": ["/evaluation/expert/"],
    "city_office": [
        "/supervision/", "/supervision/statistics/", "/review/sampling/", "/certificates/office/",
        "/supervision/sanctions/", "/supervision/audit/", "/review/", "/evaluation/",
        "/supervision/seasons/", "/supervision/calendar/", "/supervision/plan-import/",
        "/accounts/officials/second-factor/", "/apply/deliveries/", "/jobs/",
    ],
}


@pytest.fixture
def page(browser: Any) -> Any:
    """A page whose context lets the checker's own script in: the site's CSP forbids inline
    scripts, and axe-core is injected as one (the CSP itself is tested in test_csp.py)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  bypass_csp=True)
    yield context.new_page()
    context.close()


def violations(page: Any, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(v => "
        "v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + "
        "(n.any[0] && n.any[0].message || '')).join(' | '))"
    )
    return [f"{url} {v}" for v in result]


def violations_where(page: Any) -> list[str]:
    """The page a journey reached, checked in a second context that lets axe-core in, with
    the journey's cookies (the journey's own page keeps the site's CSP)."""
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 900},
                                               locale="zh-CN", bypass_csp=True)
    try:
        context.add_cookies(page.context.cookies())
        return violations(context.new_page(), page.url)
    finally:
        context.close()


def test_public_pages_have_no_violations(page, live_server, season, settings) -> None:
    settings.ZHICHENG_TODAY = "2024-07-15"
    found = [v for url in PUBLIC for v in violations(page, live_server.url + url)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone-390"])
def test_every_roles_pages_have_no_violations(page, live_server, demo_users, settings,
                                              phone) -> None:
    settings.ZHICHENG_TODAY = "2024-07-15"
    if phone:
        page.set_viewport_size({"width": 390, "height": 844})
    found = []
    for username, urls in ROLE_PAGES.items():
        hand_session(page, live_server.url, demo_users[username])
        for url in urls:
            found += violations(page, live_server.url + url)
            if phone:
                found += squeezed(page, url)
    assert not found, "\n".join(found)


def squeezed(page: Any, url: str) -> list[str]:
    """Table cells with text squeezed below four characters a line (at 16px, 64px)."""
    narrow = page.evaluate(
        "() => Array.from(document.querySelectorAll('main table th, main table td'))"
        ".filter(c => c.offsetParent && c.innerText.trim().length > 3 && c.clientWidth < 64)"
        ".map(c => c.innerText.trim().slice(0, 20))"
    )
    return [f"{url} squeezed at 390 px: {text}" for text in narrow]
