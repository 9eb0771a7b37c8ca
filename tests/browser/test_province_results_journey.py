"""The committee office records the provincial committee's results in Chromium: from the work
bar to 省高评委结果, it downloads the results form of its forwarded senior dossiers, the
province fills it in, the office uploads the .xlsx, follows the preview job to its page, sees
the rows matched (and nothing recorded yet), and confirms by clicking; the expert roster is
imported the same way from the committee page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.sessions import hand_session
from tests.factories.evaluation import world  # noqa: F401  (fixture)
from tests.factories.province import fill_form, forwarded
from tests.factories.reviews import (  # noqa: F401  (fixtures)
    _business_date,
    chain,
    market_committee,
    official,
)

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_download_fill_upload_preview_confirm(page, live_server, chain, demo_users):  # noqa: F811
    from zhicheng.applications.states import State
    from zhicheng.reviews.models import ProvincialForward

    first, second = (forwarded(chain, demo_users["city_office"], n) for n in (11, 12))
    base = live_server.url
    hand_session(page, base, chain.committee)
    page.goto(f"{base}/review/")
    page.click("#work-nav >> text=省高评委结果")
    page.wait_for_url(f"{base}/review/province/")
    with page.expect_download() as download:
        page.click("#zc-form")
    form = Path(download.value.path()).read_bytes()

    filled = fill_form(form, {first.pk: ("通过", "苏职称〔2024〕88号")})
    page.set_input_files("#f-file", {"name": "省高评委评审结果.xlsx", "mimeType": XLSX,
                                     "buffer": filled})
    page.click("#zc-upload")
    # The upload starts the preview job; its page follows it until the report is there.
    page.wait_for_url(re.compile(rf"{base}/jobs/\d+/"))
    page.wait_for_selector("#zc-summary")
    assert "预览省级评审结果" in page.inner_text("h1")
    assert "待登记：1" in page.inner_text("#zc-summary")
    assert "未填结果：1" in page.inner_text("#zc-summary")
    matched = page.locator("#zc-rows tr.table-success")
    assert matched.count() == 1 and first.applicant.full_name in matched.inner_text()
    assert set(ProvincialForward.objects.values_list("result", flat=True)) == {"pending"}

    page.click("#zc-confirm")
    page.wait_for_selector("#job-summary")
    assert "导入省级评审结果" in page.inner_text("h1")
    assert "已登记1名申报人的省高评委评审结果" in page.inner_text("#job-summary")
    page.click("#job-back")
    page.wait_for_url(f"{base}/review/province/?season=lianyungang-2024")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == State.PASSED and second.state == State.FORWARDED_TO_PROVINCE
    assert first.provincial_forward.document_number == "苏职称〔2024〕88号"


def test_the_expert_roster_is_imported_through_a_preview(page, live_server, world):  # noqa: F811
    import io

    from openpyxl import Workbook

    from zhicheng.evaluation.models import Expert

    base = live_server.url
    office, expert = world.office, world.user("花名册专家")
    wb = Workbook()
    wb.active.append(["姓名", "证件号码", "专业", "职称层级", "工作单位", "入库日期", "任期届满"])
    wb.active.append([expert.full_name, expert.id_number, "花名册专业", "副高级",
                      world.neutral.name, "2024-01-01", "2026-12-31"])
    wb.active.append([expert.full_name, expert.id_number, "花名册专业", "教授",
                      world.neutral.name, "2024-01-01", "2026-12-31"])
    data = io.BytesIO()
    wb.save(data)
    hand_session(page, base, office)
    page.goto(f"{base}/evaluation/")
    page.click("#work-nav >> text=评审会议")
    page.click(f"main >> text={world.committee.name}")
    page.click("text=导入专家花名册")
    page.set_input_files("#f-file", {"name": "花名册.xlsx", "mimeType": XLSX,
                                     "buffer": data.getvalue()})
    page.click("#zc-upload")
    page.wait_for_selector("#zc-summary")
    # The second row's problem is named by row and column; nothing can be confirmed.
    assert "3\tD列（职称层级）" in page.inner_text("#zc-problems")
    assert page.locator("#zc-confirm").count() == 0 and page.locator("#zc-blocked").count() == 1
    page.click("#job-back")
    wb.active.delete_rows(3)
    data = io.BytesIO()
    wb.save(data)
    page.set_input_files("#f-file", {"name": "花名册.xlsx", "mimeType": XLSX,
                                     "buffer": data.getvalue()})
    page.click("#zc-upload")
    page.wait_for_selector("#zc-summary")
    assert "新入库：1" in page.inner_text("#zc-summary")
    assert not Expert.objects.filter(user=expert, specialty="花名册专业").exists()
    page.click("#zc-confirm")
    page.wait_for_selector("#job-summary")
    assert "加入" in page.inner_text("#job-summary")
    assert Expert.objects.filter(user=expert, specialty="花名册专业").exists()
