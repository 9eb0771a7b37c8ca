"""Pages work under the Content-Security-Policy (docs/security.md): no inline script or
style is refused anywhere — the browser reports no policy violation and no console error —
while the scripts still work (the sign-up form's rows, the plan table's htmx search, the
dashboard's charts, the withdrawal question, Swagger UI, the admin)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.second_factor import enter_code

pytestmark = pytest.mark.browser

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' '
                    + e.sourceFile + ':' + e.lineNumber);
});
"""


class Watcher:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        if str((message.location or {}).get("url", "")).endswith("/favicon.ico"):
            return  # the browser asks for an icon the site does not have
        self.errors.append(message.text)

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        self.check(url)

    def check(self, where: str) -> None:
        violations = self.page.evaluate("window.__csp || []")
        csp_errors = [e for e in self.errors if "Content Security Policy" in e]
        assert violations == [] and csp_errors == [], (where, violations, csp_errors)
        assert self.errors == [], (where, self.errors)


def _login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    if "/2fa/" in page.url:
        enter_code(page)


def test_public_pages_and_their_scripts_work_under_the_policy(page, live_server, season,
                                                              settings) -> None:
    settings.ZHICHENG_TODAY = "2024-07-15"
    base = live_server.url
    w = Watcher(page)
    w.visit(base + "/")
    w.visit(base + "/plans/")
    page.fill("#id_q", "工程")  # htmx swaps the table in
    page.wait_for_timeout(1200)
    w.check("plan search")
    w.visit(base + "/accounts/signup/")
    assert page.is_hidden("#row-foreign_permit_type")
    page.select_option("#id_id_type", "passport")  # signup.js shows the permit rows
    assert page.is_visible("#row-foreign_permit_type")
    w.check("signup")
    w.visit(base + "/verify/")
    w.visit(base + "/publicity/")
    w.visit(base + "/api/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    w.check("swagger")


def test_city_office_pages_work_under_the_policy(page, live_server, season, demo_users,
                                                 demo_password, settings) -> None:
    settings.ZHICHENG_TODAY = "2024-07-15"
    base = live_server.url
    w = Watcher(page)
    _login(page, base, "city_office", demo_password)
    w.check("login")
    for path in ["/supervision/", "/supervision/statistics/", "/supervision/audit/",
                 "/review/", "/certificates/office/", "/accounts/officials/second-factor/",
                 "/accounts/me/", "/api/tokens/", "/admin/"]:
        w.visit(base + path)
    page.goto(base + "/accounts/officials/second-factor/?q=haizhou")
    page.fill("input[name=reason]", "手机丢失")
    questions: list[str] = []
    page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    page.click("#officials button[type=submit]")  # data-zc-confirm asks first
    assert questions and "确定重置" in questions[0]
    w.check("confirm")
