"""The pages: the office plans a meeting and files the opening report, the city office
approves it, the draw with its hash, attendance, the expert's ballot page with a receipt,
sign-off, results, exports; who may see what."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from zhicheng.evaluation.models import DossierAccess, Meeting, MeetingState

pytestmark = pytest.mark.django_db


def test_a_meeting_through_the_pages(world) -> None:
    world.pool(7)
    world.application("页面甲")
    office = Client()
    office.force_login(world.office)
    city = Client()
    city.force_login(world.city)
    page = office.get(f"/evaluation/committee/{world.committee.pk}/").content.decode()
    assert "应为单数" not in page or "委员人数为0人" in page  # violations listed
    assert "主任委员" in page
    r = office.post(f"/evaluation/committee/{world.committee.pk}/", {
        "date": "2024-10-25", "place": "市工信局会议室", "pass_rate": "", "specialty": "质量工程",
        "level": "associate_senior", "count": 5, "reserve": 1})
    m = Meeting.objects.get(committee=world.committee)
    assert r.status_code == 302
    base = f"/evaluation/meeting/{m.pk}"
    office.post(f"{base}/act/submit_report/")
    city.post(f"{base}/act/approve_report/")
    office.post(f"{base}/act/commit_draw/")
    m.refresh_from_db()
    html = office.get(f"{base}/").content.decode()
    assert m.seed_hash in html and m.seed not in html  # hash before, seed hidden
    office.post(f"{base}/act/run_draw/")
    m.refresh_from_db()
    assert m.seed in office.get(f"{base}/").content.decode()
    seats = [s for s in m.seats.all() if not s.reserve]
    office.post(f"{base}/act/attendance/", {"present": [s.pk for s in seats]})
    world.today("2024-10-25")  # the meeting's day
    office.post(f"{base}/act/presiding/", {"member": world.chair().pk})
    office.post(f"{base}/act/open_meeting/")
    case = m.cases.get()
    office.post(f"{base}/act/open_ballot/", {"case": case.pk})
    codes = []
    for s in seats:
        expert = Client()
        expert.force_login(s.expert.user)
        page = expert.get(f"{base}/ballot/").content.decode()
        assert "投票" in page
        expert.get(f"{base}/dossier/{case.pk}/")
        r = expert.post(f"{base}/ballot/", {"case": case.pk, "choice": "agree"})
        text = r.content.decode()
        code = text.split('id="receipt">')[1].split("<")[0]
        codes.append((expert, code))
    assert DossierAccess.objects.filter(case=case).count() == 5
    office.post(f"{base}/act/close_ballot/", {"case": case.pk})
    expert, code = codes[0]
    assert "已计入计票" in expert.post(f"{base}/ballot/", {"case": case.pk, "code": code}
                                       ).content.decode()
    office.post(f"{base}/act/roles/", {"counter": seats[0].pk, "scrutineer": seats[1].pk})
    for s in seats[:2]:
        c = Client()
        c.force_login(s.expert.user)
        assert "签字确认计票结果" in c.get(f"{base}/ballot/").content.decode()
        c.post(f"{base}/ballot/", {"sign": "1"})
    m.refresh_from_db()
    assert m.state == MeetingState.SIGNED
    office.post(f"{base}/act/record_results/")
    world.today("2024-10-28")
    office.post(f"{base}/act/publish/")
    m.refresh_from_db()
    assert m.state == MeetingState.PUBLISHED
    pdf = office.get(f"{base}/minutes.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    data = json.loads(office.get(f"{base}/data-report.json").content)
    assert data["summary"] == {"roster": 1, "passed": 1, "not_passed": 0}
    assert office.get(f"{base}/data-report.xlsx").status_code == 200
    world.today("2024-11-12")
    index = city.get("/evaluation/").content.decode()
    assert "已逾期未报送" in index


def test_outsiders_see_nothing(world, demo_users) -> None:
    world.pool(7)
    world.application()
    m = world.drawn()
    stranger = Client()
    stranger.force_login(world.user("路人"))
    assert stranger.get(f"/evaluation/meeting/{m.pk}/").status_code == 404
    assert stranger.get(f"/evaluation/meeting/{m.pk}/minutes.pdf").status_code == 404
    expert = Client()
    expert.force_login(m.seats.filter(reserve=False).first().expert.user)
    assert expert.get(f"/evaluation/meeting/{m.pk}/minutes.pdf").status_code == 404
    r = expert.get(f"/evaluation/meeting/{m.pk}/")
    assert r.status_code == 302 and r["Location"].endswith("/ballot/")
    # before the meeting opens the dossier is closed to experts
    case = m.cases.get()
    r = expert.get(f"/evaluation/meeting/{m.pk}/dossier/{case.pk}/", follow=True)
    assert "会议期间" in r.content.decode()
    assert not DossierAccess.objects.exists()
