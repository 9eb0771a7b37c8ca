"""The review chain in Chromium: the unit checks the originals and
approves (unit publicity), recommends after it closed; the district bureau asks for a
correction; the applicant uploads the corrected material and resubmits; the bureau sees the
diff and approves; the committee office accepts into the pre-evaluation publicity, which
closes by itself: ready for the meeting."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.browser.sessions import hand_session
from tests.factories.reviews import MARKET_OFFICE, Chain, pdf_bytes

pytestmark = pytest.mark.browser


def _dossier(page: Any, base: str, pk: int) -> None:
    page.goto(f"{base}/review/")
    page.click(f"a[href='/review/{pk}/']")
    page.wait_for_url(re.compile(rf".*/review/{pk}/$"))


def _make_applicant(employer: str = "连云港海澜智能装备有限公司") -> Any:
    import copy

    from zhicheng.accounts.models import User
    from zhicheng.applications.models import ApplicantProfile
    from zhicheng.applications.profiles import validate_facts
    from zhicheng.demo.applications import DEMO_FACTS
    from zhicheng.orgs.models import Organisation

    user = User.objects.create_user(username="journey_applicant", password="pw-zhicheng-2024",
                                    full_name="赵journey", email="journey@example.invalid")
    ApplicantProfile.objects.create(
        user=user, employer=Organisation.objects.get(name=employer),
        facts=validate_facts(copy.deepcopy(DEMO_FACTS)), schema_version="1.0",
    )
    return user


def test_review_journey(page, live_server, season, settings, tmp_path, demo_users):
    from zhicheng.accounts.totp import activate_totp
    from zhicheng.applications.models import Application
    from zhicheng.demo.accounts import DEMO_TOTP_SECRET
    from zhicheng.orgs.models import Membership, Organisation
    from zhicheng.publicity.operations import close_due_publicities

    settings.ZHICHENG_TODAY = "2024-07-15"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    base = live_server.url
    committee = demo_users["gongxin_committee"]
    market = Membership.objects.get_or_create(
        user=committee, organisation=Organisation.objects.get(name=MARKET_OFFICE),
        role="committee_office",
    )[0].user
    activate_totp(market, DEMO_TOTP_SECRET)
    chain = Chain(settings, demo_users, lambda employer=None: _make_applicant(), market)
    app = chain.submitted()
    hr, reviewer = demo_users["unit_hr"], demo_users["haizhou_reviewer"]

    # 1. Unit review: open, tick every original, write the opinion, approve.
    hand_session(page, base, hr)
    page.goto(f"{base}/review/")
    page.check(f"input[name=ids][value='{app.pk}']")
    page.click("text=批量开始审核")
    _dossier(page, base, app.pk)
    assert page.inner_text("#state") == "单位审核中"
    for box in page.locator("input[name=checked]").all():
        box.check()
    page.fill("#opinion", "经核对原件，申报材料真实、完整。")
    page.click("text=保存核对情况和意见")
    page.click("button:has-text('审核通过并公示')")
    page.wait_for_selector("text=已完成：审核通过并公示")
    assert page.inner_text("#state") == "单位公示中"

    # 2. The unit publicity closes by itself (the periodic task); the unit recommends.
    chain.close_publicity(app)
    page.reload()
    page.click("button:has-text('公示期满，推荐至初审')")
    page.wait_for_selector("text=已完成")
    assert page.inner_text("#state") == "初审中"

    # 3. The district bureau lists every item to correct, in one go.
    hand_session(page, base, reviewer)
    _dossier(page, base, app.pk)
    page.click("text=一次性告知补正")
    page.select_option("#id_target_0", label="材料：劳动合同")
    page.fill("#id_problem_0", "劳动合同缺少签字页，请重新上传完整扫描件")
    page.select_option("#id_target_1", label="资料：学历学位")
    page.fill("#id_problem_1", "毕业时间请与毕业证书核对")
    due = page.input_value("#id_due_date")
    assert dt.date.fromisoformat(due) > dt.date.fromisoformat(settings.ZHICHENG_TODAY)
    page.click("text=发送补正告知")
    page.wait_for_selector("text=已一次性告知补正内容")
    assert page.inner_text("#state") == "待补正"

    # 4. The applicant sees the list with its due date, replaces the material, resubmits.
    applicant = Application.objects.get(pk=app.pk).applicant
    hand_session(page, base, applicant)
    page.goto(f"{base}/review/mine/{app.pk}/")
    assert "劳动合同缺少签字页" in page.inner_text("#items") and due in page.content()
    pdf = tmp_path / "contract.pdf"
    pdf.write_bytes(pdf_bytes("signed contract, all pages"))
    item = page.locator("#items li", has_text="劳动合同")
    item.locator("input[type=file]").set_input_files(str(pdf))
    item.locator("button:has-text('上传')").click()
    page.wait_for_selector("text=已上传补正材料")
    page.click("text=补正完毕，重新提交")
    page.wait_for_selector("text=补正已提交")
    assert page.inner_text("#state") == "初审中"

    # 5. The bureau sees what changed and approves.
    hand_session(page, base, reviewer)
    _dossier(page, base, app.pk)
    assert "替换为" in page.inner_text("#diff")
    page.click("button:has-text('初审通过，报送评委会')")
    page.wait_for_selector("text=已完成")
    assert page.inner_text("#state") == "评委会复核中"

    # 6. The committee office accepts: the pre-evaluation publicity opens.
    hand_session(page, base, market)
    _dossier(page, base, app.pk)
    page.click("button:has-text('复核通过，进入评前公示')")
    page.wait_for_selector("text=已完成")
    assert page.inner_text("#state") == "评前公示中"
    assert int(page.inner_text("#returns")) == 1
    page.goto(f"{base}/publicity/")
    assert "评前公示" in page.content()

    # 7. The publicity closes by itself: ready for the meeting.
    chain.close_publicity(app)
    _dossier_direct = f"{base}/review/{app.pk}/"
    page.goto(_dossier_direct)
    assert page.inner_text("#state") == "待评审"
    assert close_due_publicities() == []
