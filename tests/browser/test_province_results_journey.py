"""The committee office records the provincial committee's results in Chromium: from the work
bar to 省高评委结果, it downloads the results form of its forwarded senior dossiers, the
province fills it in, the office uploads the .xlsx, sees the rows matched in the preview (and
nothing recorded yet), and confirms by clicking."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.sessions import hand_session
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
    assert "待登记1行" in page.inner_text("#zc-summary")
    assert "未填结果1行" in page.inner_text("#zc-summary")
    matched = page.locator("[data-match='matched']")
    assert matched.count() == 1 and first.applicant.full_name in matched.inner_text()
    assert set(ProvincialForward.objects.values_list("result", flat=True)) == {"pending"}

    page.click("#zc-confirm")
    page.wait_for_url(f"{base}/review/province/?season=lianyungang-2024")
    assert "已登记1名申报人的省高评委评审结果" in page.inner_text("main")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == State.PASSED and second.state == State.FORWARDED_TO_PROVINCE
    assert first.provincial_forward.document_number == "苏职称〔2024〕88号"
