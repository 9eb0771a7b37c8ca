"""The certificate office packs every certificate of the season into one zip by clicking
(docs/jobs.md): from the work bar to 证书签发, the button starts the job, its status page
follows it (htmx polling, as `make run` runs it: in a server thread) until 已完成 and offers
the download; 我的任务 lists it."""

from __future__ import annotations

import io
import re
import threading
import zipfile
from typing import Any

import pytest

from tests.browser.second_factor import enter_code
from tests.factories.certificates import (  # noqa: F401  (fixtures)
    _keys_and_date,
    city_office,
    issued,
    make_approved,
)

pytestmark = pytest.mark.browser


def _bar(page: Any, name: str) -> None:
    page.locator("#work-nav").get_by_role("link", name=re.compile(rf"^{name}")).first.click()
    page.wait_for_load_state("load")


def test_the_office_starts_the_certificate_zip_and_sees_it_finish(
        page, live_server, issued, city_office,  # noqa: F811
        demo_password, tmp_path, settings, monkeypatch):
    from zhicheng.certificates import exports

    certs = [issued(name="钱打包"), issued(name="孙打包")]
    # The job runs in a thread of the server; it waits before its first PDF until the page
    # has shown it unfinished, so the page must follow it by polling to see it finish.
    settings.ZHICHENG_JOBS_THREAD = True
    shown_unfinished = threading.Event()
    render = exports.render_certificate

    def render_when_seen(cert: Any, **kwargs: Any) -> bytes:
        shown_unfinished.wait(60)
        return render(cert, **kwargs)

    monkeypatch.setattr(exports, "render_certificate", render_when_seen)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", city_office.username)
    page.fill("input[name=password]", demo_password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    if "/2fa/" in page.url:
        enter_code(page)

    _bar(page, "证书签发")
    form = page.locator("#certificates-zip")
    assert "2份有效证书" in form.inner_text()
    form.get_by_role("button", name="打包下载全部电子证书").click()
    page.wait_for_load_state("load")
    assert re.search(r"/jobs/\d+/$", page.url)
    assert page.inner_text("#job-state") in {"排队中", "进行中"}
    assert page.locator("#job-download").count() == 0
    shown_unfinished.set()
    page.locator("#job-download").wait_for()
    assert page.inner_text("#job-state") == "已完成"
    assert "2 / 2" in page.inner_text("#job-status")
    with page.expect_download() as info:
        page.click("#job-download")
    path = tmp_path / "certificates.zip"
    info.value.save_as(path)
    names = zipfile.ZipFile(io.BytesIO(path.read_bytes())).namelist()
    assert sorted(names) == sorted(f"{c.number}.pdf" for c in certs)

    _bar(page, "我的任务")
    assert "打包下载全部电子证书" in page.inner_text("#jobs")
    assert "已完成" in page.inner_text("#jobs")
