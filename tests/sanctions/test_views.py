"""The sanction pages: the city office decides through the form, the committee office sees
only its own and reports its correction, everyone else gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.factories.sanctions import decision
from zhicheng.sanctions import operations as ops
from zhicheng.sanctions.models import Sanction, Status

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_city_office_decides_through_the_form_and_bad_input_loses_nothing(world) -> None:
    city = login(world.city)
    assert city.get("/supervision/sanctions/new/").status_code == 200
    form = {"kind": "correction", "office": world.gongxin.pk, "committee": "",
            "decision_number": "连职称办〔2024〕51号", "reason": "材料审核把关不严",
            "evidence": "抽查发现3份申报材料不符合条件", "due_on": ""}
    page = city.post("/supervision/sanctions/new/", form).content.decode()
    assert "限期整改须填写整改期限" in page and "材料审核把关不严" in page
    assert not Sanction.objects.exists()
    r = city.post("/supervision/sanctions/new/", {**form, "due_on": "2024-10-31"})
    s = Sanction.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/supervision/sanctions/{s.pk}/"
    listing = city.get("/supervision/sanctions/").content.decode()
    assert "连职称办〔2024〕51号" in listing and "限期整改" in listing
    # an operation's refusal comes back as a message on the same form, input kept
    page = city.post("/supervision/sanctions/new/", {**form, "due_on": "2024-10-31"},
                     follow=True).content.decode()
    assert "已被使用" in page and "抽查发现3份申报材料不符合条件" in page


def test_the_committee_office_sees_its_own_reports_and_the_city_closes(world, demo_users) -> None:
    s = ops.order_correction(world.city, world.gongxin, due_on=dt.date(2024, 10, 15),
                             **decision())
    office = login(world.office)
    assert "连职称办" in office.get("/supervision/sanctions/").content.decode()
    page = office.get(f"/supervision/sanctions/{s.pk}/").content.decode()
    assert 'id="report-form"' in page and 'id="close-form"' not in page
    r = office.post(f"/supervision/sanctions/{s.pk}/report/", {"report": ""}, follow=True)
    assert "请填写整改报告" in r.content.decode()
    office.post(f"/supervision/sanctions/{s.pk}/report/", {"report": "已完成整改"})
    s.refresh_from_db()
    assert s.status == Status.REPORTED
    # the office cannot close its own correction
    office.post(f"/supervision/sanctions/{s.pk}/close/", {"note": "自己销号"})
    s.refresh_from_db()
    assert s.status == Status.REPORTED
    city = login(world.city)
    assert 'id="close-form"' in city.get(f"/supervision/sanctions/{s.pk}/").content.decode()
    city.post(f"/supervision/sanctions/{s.pk}/close/", {"note": "整改到位"})
    s.refresh_from_db()
    assert s.status == Status.CLOSED


def test_overdue_is_flagged_on_the_pages(world) -> None:
    s = ops.order_correction(world.city, world.gongxin, due_on=dt.date(2024, 10, 15),
                             **decision())
    world.today("2024-10-20")
    city = login(world.city)
    assert 'id="overdue-alert"' in city.get("/supervision/sanctions/").content.decode()
    assert 'id="overdue"' in city.get(f"/supervision/sanctions/{s.pk}/").content.decode()


def test_other_offices_applicants_and_strangers_get_404(world, demo_users) -> None:
    s = ops.suspend_evaluation(world.city, world.gongxin, **decision())
    other_office = login(demo_users["scjg_committee"])  # 市场监督局's committee office
    assert other_office.get(f"/supervision/sanctions/{s.pk}/").status_code == 404
    assert "连职称办" not in other_office.get("/supervision/sanctions/").content.decode()
    assert other_office.post(f"/supervision/sanctions/{s.pk}/report/",
                             {"report": "x"}).status_code == 404
    for name in ("applicant", "unit_hr", "haizhou_reviewer"):
        c = login(demo_users[name])
        assert c.get("/supervision/sanctions/").status_code == 404
        assert c.get(f"/supervision/sanctions/{s.pk}/").status_code == 404
    assert login(world.office).get("/supervision/sanctions/new/").status_code == 404
    anonymous = Client().get("/supervision/sanctions/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_lifting_a_suspension_through_the_page(world) -> None:
    s = ops.suspend_evaluation(world.city, world.gongxin, **decision())
    city = login(world.city)
    city.post(f"/supervision/sanctions/{s.pk}/lift/",
              {"decision_number": "连职称办〔2024〕60号", "note": "整改完成"})
    s.refresh_from_db()
    assert s.status == Status.LIFTED and s.end_decision_number == "连职称办〔2024〕60号"
    world.meeting()  # the committee may plan meetings again


def test_the_list_runs_a_constant_number_of_queries(world, django_assert_max_num_queries) -> None:
    city = login(world.city)
    ops.suspend_evaluation(world.city, world.gongxin, **decision(1))
    with django_assert_max_num_queries(12 + 1) as one:  # + the site's city (constant)
        city.get("/supervision/sanctions/")
    for n in range(2, 8):
        ops.order_correction(world.city, world.gongxin, committee=world.committee,
                             due_on=dt.date(2024, 10, 31), **decision(n))
    with django_assert_max_num_queries(len(one.captured_queries)):
        city.get("/supervision/sanctions/")


def test_the_pages_speak_english_when_asked(world) -> None:
    s = ops.suspend_evaluation(world.city, world.gongxin, **decision())
    city = login(world.city)
    city.post("/i18n/setlang/", {"language": "en", "next": "/"})
    listing = city.get("/supervision/sanctions/").content.decode()
    assert "Measures against committee offices" in listing
    page = city.get(f"/supervision/sanctions/{s.pk}/").content.decode()
    assert "Suspension of evaluation" in page and "Lift the suspension" in page
    assert "Audit log" in city.get("/supervision/audit/").content.decode()
