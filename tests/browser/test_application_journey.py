"""The applicant's journey in Chromium: sign up, fill the profile, see a
failing finding, fix it, upload a PDF, sign the commitment, submit, download the 申报表."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import pytest
from playwright.sync_api import expect
from stdnum.cn import ric

pytestmark = pytest.mark.browser

FIRST17 = "32070619880412301"  # fictional: 海州区, 1988-04-12, 17th digit 1: male
ID_NUMBER = FIRST17 + ric.calc_check_digit(FIRST17 + "0")
EMPLOYER = "连云港海澜智能装备有限公司"


def _pdf(tmp_path: Any) -> Any:
    from reportlab.pdfgen import canvas

    path = tmp_path / "title-certificate.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Assistant engineer certificate 2019")
    c.showPage()
    c.save()
    return path


def _sign_up(page: Any, base: str, mailoutbox: Any) -> None:
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_full_name", "孙立强")
    page.select_option("#id_id_type", "resident")
    page.fill("#id_id_number", ID_NUMBER)
    page.fill("#id_phone", "13700002222")
    page.fill("#id_username", "sunlq")
    page.fill("#id_email", "sunlq@example.invalid")
    page.fill("#id_password1", "Lyg-title-2024!")
    page.fill("#id_password2", "Lyg-title-2024!")
    page.click("#signup-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    page.goto(link)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    # Confirming the address signs the applicant in and lands on 我的申报.
    page.wait_for_url(re.compile(r".*/apply/$"))
    expect(page.locator("h1")).to_contain_text("我的申报")


def _add(page: Any, base: str, section: str, values: dict[str, str], checks: dict[str, bool]
         | None = None, selects: dict[str, str] | None = None) -> None:
    page.goto(f"{base}/apply/profile/{section}/add/")
    for name, value in (selects or {}).items():
        page.select_option(f"#id_{name}", value)
    for name, value in values.items():
        page.fill(f"#id_{name}", value)
    for name, checked in (checks or {}).items():
        page.set_checked(f"#id_{name}", checked)
    page.click("form.section-form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/apply/profile/#{section}$"))


def test_applicant_applies_online(page, live_server, season, settings, mailoutbox, tmp_path):
    settings.ZHICHENG_TODAY = "2024-07-15"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    base = live_server.url
    _sign_up(page, base, mailoutbox)

    # The profile: employer first (routing), then the facts the engine reads.
    page.goto(f"{base}/apply/profile/employment/")
    page.select_option("#id_employer", label=EMPLOYER)
    page.select_option("#id_contract", label="已签订")  # asked, never preselected
    page.click("form.section-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/apply/profile/$"))
    assert EMPLOYER in page.inner_text("#employment")

    # A typo is refused in Chinese, and what was typed is kept.
    page.goto(f"{base}/apply/profile/work_history/add/")
    page.fill("#id_start", "2015-07-15")
    page.fill("#id_end", "2014-01-01")
    page.fill("#id_employer", EMPLOYER)
    page.click("form.section-form button[type=submit]")
    page.wait_for_selector(".form-errors, .field-error")
    assert "结束日期早于开始日期" in page.inner_text("main")
    assert page.input_value("#id_employer") == EMPLOYER
    page.fill("#id_end", "")
    page.click("form.section-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/apply/profile/#work_history$"))

    _add(page, base, "education", {"date": "2015-06-30", "major": "机械设计制造及其自动化"},
         selects={"level": "bachelor", "kind": "full_time"})
    _add(page, base, "titles", {"name": "助理工程师", "specialty": "机械工程",
                                "date": "2019-06-30", "issuer": "连云港市人社局"},
         selects={"series": "engineering", "level": "assistant"})
    for year in (2020, 2021, 2022):  # 2023 forgotten on purpose
        _add(page, base, "continuing_education",
             {"year": str(year), "public_hours": "30", "professional_hours": "64"},
             checks={"public_certificate": True})

    # The application: an open plan; the decision refreshes as the person edits (htmx).
    page.goto(f"{base}/apply/new/")
    plan = page.locator("#id_plan option", has_text="41. 质量工程").get_attribute("value")
    page.select_option("#id_plan", plan)
    page.select_option("#id_series", "engineering")
    page.fill("#id_specialty", "质量工程")
    page.select_option("#id_level", "intermediate")
    # Each change re-posts the form; wait for the answer to the last one.
    failing = page.locator("#decision .finding-fail", has_text="2023年度继续教育")
    failing.wait_for()
    assert "二（九）" in failing.inner_text()
    assert failing.locator("a.clause").get_attribute("href").startswith("/notice/#clause-2-9")
    assert page.locator("#decision .finding-fail").count() == 1
    page.click("#application-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/apply/\d+/$"))
    detail_url = page.url
    assert page.locator("#decision .finding-fail").count() >= 1

    # Fix it in the profile; the finding is gone.
    _add(page, base, "continuing_education",
         {"year": "2023", "public_hours": "30", "professional_hours": "64"},
         checks={"public_certificate": True})
    page.goto(detail_url)
    assert page.locator("#decision .finding-fail").count() == 0
    assert page.get_attribute("#decision .verdict", "data-verdict") == "eligible"

    # Upload, sign, submit.
    page.set_input_files("#id_file", str(_pdf(tmp_path)))
    page.select_option("#id_kind", "title")
    page.fill("#id_title", "助理工程师证书")
    page.fill("#id_document_date", "2019-06-30")
    page.click("form.material-form button[type=submit]")
    page.wait_for_selector("tr.material")
    assert "助理工程师证书" in page.inner_text("#materials")

    page.click("text=阅读并签署承诺书")
    assert "真实可靠" in page.inner_text(".commitment-text")
    page.check("#id_accept")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".commitment-signed")
    page.click("#submit-form button[type=submit]")
    page.wait_for_selector('.state[data-state="submitted"]')
    assert "已提交" in page.inner_text("main")

    # The printable form carries the applicant's name and the title applied for.
    response = page.request.get(base + page.get_attribute("#form-pdf", "href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=response.body(),
                              capture_output=True, check=True).stdout.decode()
        squeezed = "".join(text.split())
        assert "孙立强" in squeezed and "工程师" in squeezed
    page.goto(f"{base}/apply/")
    assert "申报已提交" in page.inner_text("main")
