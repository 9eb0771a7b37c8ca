"""Worklists, dossier pages, exports and bulk actions; jurisdiction across every URL;
constant query count; two reviewers racing on one application."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.db import connection
from openpyxl import load_workbook

from tests.factories.reviews import OTHER_EMPLOYER
from zhicheng.applications.states import State
from zhicheng.reviews import operations as rops
from zhicheng.reviews.models import DossierView
from zhicheng.reviews.views import ACTIONS, CITY_REVIEW

pytestmark = pytest.mark.django_db


def test_unit_worklist_dossier_checklist_and_approval_through_the_pages(chain, demo_users,
                                                                        client):
    app = chain.submitted()
    hr = demo_users["unit_hr"]
    client.force_login(hr)
    page = client.get("/review/").content.decode()
    assert app.applicant.full_name in page and "批量开始审核" in page
    r = client.post("/review/bulk/", {"action": "unit_start_review", "ids": [app.pk]})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == State.UNIT_REVIEW
    r = client.post(f"/review/{app.pk}/act/unit_approve/")
    app.refresh_from_db()
    assert app.state == State.UNIT_REVIEW  # not opened yet: refused
    html = client.get(f"/review/{app.pk}/").content.decode()
    assert "已核对原件" in html and DossierView.objects.filter(user=hr).exists()
    assert "机械设计制造及其自动化" in html and "助理工程师" in html  # the submitted profile
    ids = [m["id"] for m in app.submissions.get().snapshot["materials"]]
    client.post(f"/review/{app.pk}/check/", {"checked": ids, "opinion": "属实。"})
    r = client.post(f"/review/{app.pk}/act/unit_approve/", follow=True)
    assert "已完成" in r.content.decode()
    app.refresh_from_db()
    assert app.state == State.UNIT_PUBLICITY
    material = client.get(f"/review/{app.pk}/material/{ids[0]}/")
    assert material.status_code == 200 and material["Content-Type"] == "application/pdf"


def test_bulk_approval_is_never_allowed(chain, demo_users, client):
    app = chain.submitted()
    client.force_login(demo_users["unit_hr"])
    r = client.post("/review/bulk/", {"action": "unit_approve", "ids": [app.pk]}, follow=True)
    assert "不能批量通过" in r.content.decode() or "只能批量" in r.content.decode()
    app.refresh_from_db()
    assert app.state == State.SUBMITTED


def test_correction_page_and_applicant_page(chain, demo_users, client):
    reviewer = demo_users["haizhou_reviewer"]
    app = chain.at_preliminary()
    client.force_login(reviewer)
    html = client.get(f"/review/{app.pk}/corrections/").content.decode()
    assert "一次性告知" in html
    mid = app.submissions.get().snapshot["materials"][0]["id"]
    r = client.post(f"/review/{app.pk}/corrections/", {
        "target_0": f"material:{mid}", "problem_0": "扫描不清晰",
        "target_1": "section:titles", "problem_1": "",
        "due_date": "2024-08-30",
    })
    assert r.status_code == 200 and "请写明该项存在的问题" in r.content.decode()
    assert '<textarea class="form-control form-control-sm" rows="2"' in r.content.decode()
    r = client.post(f"/review/{app.pk}/corrections/", {
        "target_0": f"material:{mid}", "problem_0": "扫描不清晰", "due_date": "2024-08-30",
    })
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == State.CORRECTION_REQUESTED
    client.force_login(app.applicant)
    html = client.get(f"/review/mine/{app.pk}/").content.decode()
    assert "扫描不清晰" in html and "2024-08-30" in html
    from tests.factories.reviews import pdf_upload

    assert "已上传" not in html.split('id="items"', 1)[1].split("</ol>", 1)[0]
    client.post(f"/review/mine/{app.pk}/material/", {"material_id": mid,
                                                     "file": pdf_upload(text="new scan")})
    # The item now says it has been answered, with the file that answers it.
    items = client.get(f"/review/mine/{app.pk}/").content.decode().split(
        'id="items"', 1)[1].split("</ol>", 1)[0]
    assert 'class="mb-2 answered"' in items and "已上传" in items
    r = client.post(f"/review/mine/{app.pk}/resubmit/", follow=True)
    assert "补正已提交" in r.content.decode()
    app.refresh_from_db()
    assert app.state == State.PRELIMINARY_REVIEW


def test_excel_export_of_the_worklist(chain, demo_users, client):
    app = chain.at_preliminary()
    rops.request_corrections(app, demo_users["haizhou_reviewer"], items=[
        {"target": "section:titles", "problem": "证书编号有误"}])
    client.force_login(demo_users["haizhou_reviewer"])
    r = client.get("/review/export.xlsx?state=correction_requested")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "申报编号" and rows[1][0] == app.pk
    assert rows[1][-1] == 1  # one return


def _bulk_waiting(n, chain, season):
    """Test data for the query-count test: n more dossiers waiting for the district bureau
    (rows written directly; a read-only page does not care how they got there)."""
    from django.utils import timezone

    from zhicheng.accounts.models import User
    from zhicheng.applications.models import Application, Submission
    from zhicheng.reviews.models import ReviewStep

    template = chain.at_preliminary()
    sub = template.submissions.get()
    for i in range(n):
        user = User.objects.create_user(username=f"bulk{i}", password="x-long-password-1")
        app = Application.objects.create(
            applicant=user, season=template.season, plan=template.plan,
            series=template.series, specialty=template.specialty, level=template.level,
            state=State.PRELIMINARY_REVIEW, employer=template.employer,
            preliminary_reviewer=template.preliminary_reviewer, submitted_at=timezone.now(),
        )
        Submission.objects.create(application=app, number=1, snapshot=sub.snapshot,
                                  sha256=sub.sha256, token=f"bulk-{i}", created_by=user)
        ReviewStep.objects.create(application=app, step="committee_return", is_return=True,
                                  actor_label="x")


def test_worklist_runs_a_constant_number_of_queries(chain, demo_users, client, season,
                                                    django_assert_max_num_queries):
    reviewer = demo_users["haizhou_reviewer"]
    chain.at_preliminary()
    client.force_login(reviewer)
    client.get("/review/")  # warm caches (sessions, content types)
    with django_assert_max_num_queries(20) as one:
        assert client.get("/review/").status_code == 200
    _bulk_waiting(29, chain, season)
    with django_assert_max_num_queries(len(one.captured_queries)) as many:
        r = client.get("/review/")
    assert r.content.decode().count("/review/") > 30
    assert len(many.captured_queries) == len(one.captured_queries)


@pytest.fixture
def two_districts(chain, official):
    """A at 海澜 (海州区, reviewed by 海州区人社局), B at 港湾 (开发区, reviewed by 市工信局),
    both in preliminary review, plus each side's unit HR."""
    a = chain.at_preliminary()
    official("unit_hr", OTHER_EMPLOYER)
    b = chain.at_preliminary(chain.submitted(OTHER_EMPLOYER))
    return a, b


def _object_urls(app):
    sub = app.submissions.order_by("-number").first()
    mid = sub.snapshot["materials"][0]["id"]
    gets = [f"/review/{app.pk}/", f"/review/{app.pk}/material/{mid}/",
            f"/review/{app.pk}/corrections/", f"/review/{app.pk}/package.zip",
            f"/review/{app.pk}/form.pdf", f"/review/mine/{app.pk}/"]
    posts = [f"/review/{app.pk}/act/{a.name}/" for a in ACTIONS]
    posts += [f"/review/{app.pk}/act/{CITY_REVIEW}/", f"/review/{app.pk}/check/",
              f"/review/{app.pk}/corrections/", f"/review/mine/{app.pk}/resubmit/",
              f"/review/mine/{app.pk}/material/"]
    return gets, posts


def test_nothing_of_another_district_is_visible_or_actionable(two_districts, demo_users,
                                                              client):
    a, b = two_districts
    outsiders = {
        a.pk: [demo_users["gongxin_reviewer"], chain_hr(b)],
        b.pk: [demo_users["haizhou_reviewer"], demo_users["unit_hr"]],
    }
    for app in (a, b):
        state = app.state
        gets, posts = _object_urls(app)
        for user in outsiders[app.pk]:
            client.force_login(user)
            for url in gets:
                assert client.get(url).status_code == 404, (user, url)
            for url in posts:
                r = client.post(url, {"reasons": "x", "document_number": "x",
                                      "target_0": "section:titles", "problem_0": "x",
                                      "due_date": "2024-09-30"})
                assert r.status_code == 404, (user, url)
            for url in ("/review/", "/review/?state=preliminary_review"):
                assert f"/review/{app.pk}/" not in client.get(url).content.decode()
            export = client.get("/review/export.xlsx")
            wb = load_workbook(io.BytesIO(b"".join(export.streaming_content)), read_only=True)
            assert app.pk not in [row[0] for row in wb.active.iter_rows(values_only=True)]
            r = client.post("/review/bulk/", {"action": "unit_start_review", "ids": [app.pk]})
            assert r.status_code == 302
        app.refresh_from_db()
        assert app.state == state
    # and each side still sees its own
    client.force_login(demo_users["haizhou_reviewer"])
    assert client.get(f"/review/{a.pk}/").status_code == 200


def chain_hr(app):
    from zhicheng.orgs.models import Membership

    return Membership.objects.filter(organisation_id=app.employer_id, role="unit_hr").first().user


def test_applicants_and_anonymous_see_no_worklist(chain, client):
    app = chain.submitted()
    assert client.get("/review/").status_code == 302  # login
    client.force_login(app.applicant)
    assert client.get("/review/").status_code == 404
    assert client.get(f"/review/{app.pk}/").status_code == 404


def test_stale_form_loses_with_a_clear_message(chain, demo_users, official, client):
    """Two reviewers of the same bureau open the dossier; the second one's action finds the
    application already handled (sequential simulation of the race, any database)."""
    app = chain.at_preliminary()
    first = demo_users["haizhou_reviewer"]
    second = official("preliminary_reviewer", "海州区人社局")
    for user in (first, second):
        client.force_login(user)
        client.get(f"/review/{app.pk}/")
    client.force_login(first)
    client.post(f"/review/{app.pk}/act/preliminary_approve/")
    client.force_login(second)
    r = client.post(f"/review/{app.pk}/act/preliminary_reject/", {"reasons": "不符合"},
                    follow=True)
    assert "可能已被他人处理" in r.content.decode()
    app.refresh_from_db()
    assert app.state == State.COMMITTEE_RECHECK


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_reviewers_at_once_exactly_one_wins(chain, demo_users, official):
    from zhicheng.core.operations import OperationError

    app = chain.at_preliminary()
    first = demo_users["haizhou_reviewer"]
    second = official("preliminary_reviewer", "海州区人社局")
    for user in (first, second):
        rops.record_dossier_view(app, user)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def run(name, fn):
        try:
            barrier.wait()
            fn()
            results[name] = "ok"
        except OperationError as exc:
            results[name] = str(exc)
        finally:
            connection.close()  # the thread's own connection, so the test database can go

    threads = [
        threading.Thread(target=run, args=("approve", lambda: rops.preliminary_approve(
            app, first))),
        threading.Thread(target=run, args=("reject", lambda: rops.preliminary_reject(
            app, second, reasons="不符合条件"))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(v == "ok" for v in results.values()) == [False, True]
    loser = next(v for v in results.values() if v != "ok")
    assert "可能已被他人处理" in loser


def test_worklist_shows_deadlines_nearest_first(chain, demo_users, client):
    from zhicheng.publicity.models import Publicity

    in_publicity = chain.unit_approved(chain.submitted())
    waiting = chain.submitted()
    client.force_login(demo_users["unit_hr"])
    html = client.get("/review/").content.decode()
    end = Publicity.objects.get(application=in_publicity).last_day.isoformat()
    assert f"公示截止 {end}" in html
    assert html.index(f"/review/{in_publicity.pk}/") < html.index(f"/review/{waiting.pk}/")


def test_sampling_pages_belong_to_the_city_office(chain, demo_users, client):
    app = chain.accepted()
    city = demo_users["city_office"]
    draw = rops.run_sampling(rops.commit_sampling(app.plan, city), city)
    for user in (demo_users["haizhou_reviewer"], chain.committee, demo_users["unit_hr"]):
        client.force_login(user)
        assert client.get("/review/sampling/").status_code == 404
        assert client.get(f"/review/sampling/{draw.pk}/").status_code == 404
        assert client.post(f"/review/sampling/{draw.pk}/", {
            "application": app.pk, "outcome": "ok", "finding": "x"}).status_code == 404
    client.force_login(city)
    assert app.plan.specialty in client.get("/review/sampling/").content.decode()
    r = client.post(f"/review/sampling/{draw.pk}/", {
        "application": app.pk, "outcome": "problem", "finding": "继续教育学时不足。"},
        follow=True)
    assert "已记录抽查意见" in r.content.decode()
    r = client.post("/review/sampling/", {"plan": app.plan.pk}, follow=True)
    assert "已公布种子哈希" in r.content.decode()
    again = r.redirect_chain[-1][0]
    r = client.post(again, {"action": "draw"}, follow=True)
    assert "已抽取1份，种子已公开" in r.content.decode()


def test_correction_due_date_in_a_year_without_calendar_is_refused_then_works(
    chain, demo_users, client, settings
):
    from tests.factories.calendar import publish_example_2027
    from zhicheng.core.operations import OperationError
    from zhicheng.reviews.models import CorrectionRequest

    reviewer = demo_users["haizhou_reviewer"]
    app = chain.at_preliminary()
    settings.ZHICHENG_TODAY = "2026-12-24"  # 10 working days run into 2027
    client.force_login(reviewer)
    page = client.get(f"/review/{app.pk}/corrections/")
    assert page.status_code == 200
    assert "无法计算补正期限：工作日历没有2027年的数据" in page.content.decode()
    mid = app.submissions.get().snapshot["materials"][0]["id"]
    items = [{"target": f"material:{mid}", "problem": "扫描不清晰"}]
    with pytest.raises(OperationError, match="2027年"):
        rops.request_corrections(app, reviewer, items=items)
    app.refresh_from_db()
    assert app.state == State.PRELIMINARY_REVIEW
    assert not CorrectionRequest.objects.filter(application=app).exists()

    publish_example_2027(demo_users["city_office"])
    request = rops.request_corrections(app, reviewer, items=items)
    assert request.due_date.isoformat() == "2027-01-08"  # Jan 1 is a holiday


def test_worklist_rows_show_received_due_days_left_and_a_closed_publicity(chain, demo_users,
                                                                          client, today):
    """Received date, due date with its clause or the system's limit,
    working days left or overdue, and 公示期满 once a publicity has closed."""
    import re

    from zhicheng.publicity.models import Publicity

    in_publicity = chain.unit_approved(chain.submitted())
    waiting = chain.submitted()
    received = waiting.submitted_at.astimezone().date().isoformat()
    client.force_login(demo_users["unit_hr"])

    def row(app):
        html = client.get("/review/").content.decode()
        start = html.index(f"/review/{app.pk}/")
        return html[start:html.index("</tr>", start)]

    unit = row(in_publicity)
    end = Publicity.objects.get(application=in_publicity).last_day
    assert f"公示截止 {end.isoformat()}" in unit and "四（二）" in unit
    assert re.search(r"剩\d+个工作日", unit) and "单位公示中" in unit
    pending = row(waiting)
    assert received in pending and "审核期限" in pending and "系统设定" in pending

    chain.close_publicity(in_publicity)  # the day after the last day; the task closed it
    closed = row(in_publicity)
    assert "公示期满，待单位推荐" in closed and "单位公示中" not in closed
    assert "公示已结束" in closed and "已逾期" not in closed

    # Test setup only: submission times follow the wall clock while business dates follow the
    # pinned date (demo time does not yet cover timestamps); put the receipt in the season.
    from django.utils import timezone

    from zhicheng.applications.models import Application

    Application.objects.filter(pk=waiting.pk).update(
        submitted_at=timezone.make_aware(dt.datetime(2024, 7, 1, 9)))
    # An UPDATE bypasses the saves that keep the stored worklist order: recompute it as they do.
    rops.refresh_worklist_keys(waiting.pk)
    today("2024-09-30")
    late = row(waiting)
    assert "2024-07-01" in late and "审核期限 2024-07-15" in late
    assert "table-danger" in client.get("/review/").content.decode()
    assert re.search(r"已逾期\d+个工作日", late)


def test_province_not_offered_on_a_city_level_dossier_and_ratio_in_percent(chain, demo_users,
                                                                           client):
    app = chain.at_committee()  # 中级: evaluated in the city
    client.force_login(chain.committee)
    html = client.get(f"/review/{app.pk}/").content.decode()
    assert "复核通过，进入评前公示" in html and "报送省级高评委" not in html
    senior = chain.at_committee(level="associate_senior")
    assert "报送省级高评委" in client.get(f"/review/{senior.pk}/").content.decode()
    chain.accepted()
    client.force_login(demo_users["city_office"])
    page = client.get("/review/sampling/").content.decode()
    assert "10%" in page and "0.100" not in page


def test_dossier_shows_the_running_publicity_and_recommend_waits_for_its_end(chain, demo_users,
                                                                            client):
    """While the unit publicity runs, the dossier shows its dates, state, working days left and
    objections, and 推荐 is shown disabled with the day it ends; once it has closed, 推荐 is the
    primary action (四（二））."""
    from django.urls import reverse

    from zhicheng.publicity.models import Publicity

    app = chain.unit_approved(chain.submitted())
    publicity = Publicity.objects.get(application=app)
    client.force_login(demo_users["unit_hr"])
    recommend = reverse("reviews:act", args=[app.pk, "unit_recommend"])

    page = client.get(f"/review/{app.pk}/").content.decode()
    section = page.split('id="publicities"', 1)[1].split("</table>", 1)[0]
    assert "单位公示" in section and publicity.date_range_full in section
    assert "公示中" in section and "共0件，待处理0件" in section
    waits = page.split('id="recommend-waits"', 1)[1].split("</p>", 1)[0]
    assert "disabled" in waits and "公示期满，推荐至初审" in waits
    assert f"单位公示至{publicity.last_day.isoformat()}" in waits
    assert f'action="{recommend}"' not in page

    chain.close_publicity(app)
    page = client.get(f"/review/{app.pk}/").content.decode()
    assert 'id="recommend-waits"' not in page
    form = page.split(f'action="{recommend}"', 1)[1].split("</form>", 1)[0]
    assert 'class="btn btn-primary"' in form and "公示期满，推荐至初审" in form
    assert "已结束" in page.split('id="publicities"', 1)[1].split("</table>", 1)[0]


def test_the_reviewing_office_prints_the_form_it_stamps_from_the_dossier(two_districts,
                                                                        demo_users, client):
    """The preliminary reviewer prints the 申报表 from the dossier page, with the full identity
    number it must check; the dossier page itself shows it masked."""
    import subprocess

    a, _b = two_districts
    a.applicant.id_type, a.applicant.id_number = "resident", "320706198507224610"
    a.applicant.save(update_fields=["id_type", "id_number"])
    client.force_login(demo_users["haizhou_reviewer"])
    page = client.get(f"/review/{a.pk}/").content.decode()
    assert f'href="/review/{a.pk}/form.pdf"' in page and "320706198507224610" not in page
    r = client.get(f"/review/{a.pk}/form.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=r.content, capture_output=True,
                          check=True).stdout.decode()
    assert "320706198507224610" in "".join(text.split())


def test_a_new_material_asked_for_is_uploaded_with_its_category(chain, demo_users, client):
    """An item asking for a new material offers the categories and a date, and shows the
    uploaded file with its category once it is in."""
    from tests.factories.reviews import pdf_upload

    app = chain.at_preliminary()
    rops.request_corrections(app, demo_users["haizhou_reviewer"], items=[
        {"target": "material:new", "problem": "请补充2023年度考核登记表"}])
    client.force_login(app.applicant)
    html = client.get(f"/review/mine/{app.pk}/").content.decode()
    assert '<select class="form-select form-select-sm w-auto" name="kind"' in html
    assert '<option value="assessment">年度考核</option>' in html
    r = client.post(f"/review/mine/{app.pk}/material/", {
        "file": pdf_upload(text="assessment 2023"), "title": "2023年度考核登记表",
        "kind": "assessment", "document_date": "2024-01-10"})
    assert r.status_code == 302
    items = client.get(f"/review/mine/{app.pk}/").content.decode().split(
        'id="items"', 1)[1].split("</ol>", 1)[0]
    assert "已上传" in items and "2023年度考核登记表（年度考核" in items


def test_the_worklist_finds_by_name_id_tail_and_application_number(chain, demo_users, client):
    """The search box finds a dossier by part of the name, the last digits of the identity
    number, or the 申报编号 as the form prints it (2024-000123); the filter is kept."""
    a, b = chain.submitted(), chain.submitted()
    a.applicant.full_name, a.applicant.id_type = "欧阳检索", "resident"
    a.applicant.id_number = "320706198507224610"
    a.applicant.save(update_fields=["full_name", "id_type", "id_number"])
    client.force_login(demo_users["unit_hr"])

    def rows(q):
        html = client.get("/review/", {"q": q}).content.decode()
        return {pk for pk in (a.pk, b.pk) if f'href="/review/{pk}/"' in html}, html

    assert rows("欧阳")[0] == {a.pk}
    assert rows("4610")[0] == {a.pk}
    found, html = rows(f"{a.season.year}-{a.pk:06d}")
    assert found == {a.pk} and f'value="{a.season.year}-{a.pk:06d}"' in html
    assert rows(f"{a.season.year - 1}-{a.pk:06d}")[0] == set()
    assert rows("")[0] == {a.pk, b.pk}
