"""Pages: dashboard, profile forms, pre-check, materials, PDF, permissions."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.applications import pdf_upload
from zhicheng.applications import operations as ops
from zhicheng.applications.models import ApplicantProfile, Application, Material

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def app_form(app: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "plan": app.plan_id, "series": app.series.code, "specialty": app.specialty,
        "level": app.level, "route": app.route, "explanation": app.explanation,
        "version": app.version,
    }
    data.update(changes)
    return data


# --- pre-check ------------------------------------------------------------------------------


def test_precheck_returns_findings_with_clause_links(
    make_applicant: Any, make_draft: Any
) -> None:
    user = make_applicant()
    app = make_draft(user)
    c = client_for(user)
    r = c.post(reverse("applications:precheck_application", args=[app.pk]), app_form(app),
               HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and 'id="decision"' in html and "<html" not in html
    assert 'data-verdict="eligible"' in html
    assert 'href="/notice/' in html or "#" in html  # clause links through clause_url
    assert "应提交的材料" in html
    # Change the level as the person edits: 高级 needs 工程师 first → a failing finding.
    r = c.post(reverse("applications:precheck_application", args=[app.pk]),
               app_form(app, level="associate_senior"), HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert 'data-verdict="ineligible"' in html and "finding-fail" in html


@pytest.mark.parametrize("plan_value", ["abc", "7.5", str(10**30), "999999"])
def test_precheck_refuses_a_plan_that_is_not_one_of_the_season(
    make_applicant: Any, make_draft: Any, plan_value: str
) -> None:
    """The plan and the series are read by compiled queries (core.prepared): what the ORM
    would not find is the same invalid choice, never a database error."""
    user = make_applicant()
    app = make_draft(user)
    c = client_for(user)
    url = reverse("applications:precheck_application", args=[app.pk])
    r = c.post(url, app_form(app, plan=plan_value), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "请选择评审计划表中的评委会" in r.content.decode()
    r = c.post(url, app_form(app, series="no-such-series"), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "请选择评委会、系列、专业和层级" in r.content.decode()
    r = c.post(reverse("applications:precheck_application", args=[10**30]), app_form(app),
               HTTP_HX_REQUEST="true")
    assert r.status_code == 404
    other = make_draft(make_applicant())
    r = c.post(reverse("applications:precheck_application", args=[other.pk]), app_form(app),
               HTTP_HX_REQUEST="true")
    assert r.status_code == 404  # someone else's


def test_precheck_runs_the_same_queries_every_time(make_applicant: Any, make_draft: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_applicant()
    app = make_draft(user)
    c = client_for(user)
    url = reverse("applications:precheck_application", args=[app.pk])
    pages, counts = [], []
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            r = c.post(url, app_form(app), HTTP_HX_REQUEST="true")
        pages.append(r.content)
        counts.append(len(ctx.captured_queries))
    assert pages[0] == pages[1] == pages[2] and counts[1] == counts[2]


def test_precheck_says_when_a_closed_plan_opens(make_applicant: Any, plan: Any) -> None:
    user = make_applicant()
    r = client_for(user).post(reverse("applications:precheck"), {
        "plan": plan(43).pk, "series": "economics", "specialty": "知识产权",
        "level": "associate_senior", "route": "normal",
    })
    assert "8月开始受理" in r.content.decode()


def test_new_application_page_and_creation(make_applicant: Any, plan: Any) -> None:
    user = make_applicant()
    c = client_for(user)
    assert c.get(reverse("applications:new")).status_code == 200
    r = c.post(reverse("applications:new"), {
        "plan": plan(41).pk, "series": "engineering", "specialty": "质量工程",
        "level": "intermediate", "route": "normal",
    })
    app = Application.objects.get(applicant=user)
    assert r.status_code == 302 and r["Location"] == reverse("applications:detail", args=[app.pk])
    page = c.get(r["Location"]).content.decode()
    assert "符合申报条件" in page and "hx-post" in page and 'hx-trigger="change"' in page


def test_new_application_form_keeps_what_was_typed(make_applicant: Any, plan: Any) -> None:
    user = make_applicant()
    r = client_for(user).post(reverse("applications:new"), {
        "plan": plan(43).pk, "series": "engineering", "specialty": "质量工程专业X",
        "level": "intermediate", "route": "normal",
    })
    html = r.content.decode()
    assert r.status_code == 200 and "质量工程专业X" in html and "8月开始受理" in html


# --- profile forms --------------------------------------------------------------------------


def test_profile_section_add_edit_delete(make_applicant: Any) -> None:
    user = make_applicant()
    c = client_for(user)
    profile = ApplicantProfile.objects.get(user=user)
    assert c.get(reverse("applications:profile")).status_code == 200
    r = c.post(reverse("applications:fact_add", args=["annual_assessments"]),
               {"year": 2018, "grade": "excellent", "version": profile.version})
    assert r.status_code == 302
    profile.refresh_from_db()
    assert {"year": 2018, "grade": "excellent"} in profile.facts["annual_assessments"]
    index = profile.facts["annual_assessments"].index({"year": 2018, "grade": "excellent"})
    r = c.post(reverse("applications:fact_edit", args=["annual_assessments", index]),
               {"year": 2018, "grade": "competent", "version": profile.version})
    assert r.status_code == 302
    profile.refresh_from_db()
    assert profile.facts["annual_assessments"][index]["grade"] == "competent"
    r = c.post(reverse("applications:fact_delete", args=["annual_assessments", index]),
               {"version": profile.version})
    profile.refresh_from_db()
    assert len(profile.facts["annual_assessments"]) == 5


def test_profile_form_keeps_input_and_explains_in_chinese(make_applicant: Any) -> None:
    user = make_applicant()
    profile = ApplicantProfile.objects.get(user=user)
    r = client_for(user).post(reverse("applications:fact_add", args=["work_history"]), {
        "start": "2020-05-01", "end": "2019-01-01", "employer": "某某科技公司",
        "professional": "on", "version": profile.version,
    })
    html = r.content.decode()
    assert r.status_code == 200
    assert "某某科技公司" in html and "结束日期早于开始日期" in html
    r = client_for(user).post(reverse("applications:fact_add", args=["education"]), {
        "level": "bachelor", "kind": "full_time", "date": "2015-13-40",
        "verified_online": "on", "version": profile.version,
    })
    html = r.content.decode()
    assert "请输入有效日期" in html and "学信网证明日期" in html


def test_profile_is_validated_by_the_policy_model(make_applicant: Any) -> None:
    from django.core.exceptions import ValidationError

    user = make_applicant()
    profile = ApplicantProfile.objects.get(user=user)
    with pytest.raises(ValidationError):
        ops.save_fact(profile, user, "annual_assessments", None,
                      {"year": 2020, "grade": "superb"}, version=profile.version)
    profile.refresh_from_db()
    assert profile.schema_version == "1.0" and profile.version == 1


def test_two_tabs_cannot_overwrite_each_other(make_applicant: Any) -> None:
    user = make_applicant()
    profile = ApplicantProfile.objects.get(user=user)
    stale = profile.version
    c = client_for(user)
    r1 = c.post(reverse("applications:fact_add", args=["annual_assessments"]),
                {"year": 2018, "grade": "excellent", "version": stale})
    assert r1.status_code == 302
    r2 = c.post(reverse("applications:fact_add", args=["annual_assessments"]),
                {"year": 2017, "grade": "competent", "version": stale})
    html = r2.content.decode()
    assert r2.status_code == 200 and "其他窗口" in html and 'value="2017"' in html
    profile.refresh_from_db()
    assert [a["year"] for a in profile.facts["annual_assessments"]].count(2017) == 0


def test_application_edit_version_conflict(make_applicant: Any, make_draft: Any) -> None:
    user = make_applicant()
    app = make_draft(user)
    c = client_for(user)
    stale = app_form(app)
    assert c.post(reverse("applications:detail", args=[app.pk]),
                  {**stale, "explanation": "第一个窗口"}).status_code == 302
    r = c.post(reverse("applications:detail", args=[app.pk]),
               {**stale, "explanation": "第二个窗口"})
    assert "其他窗口" in r.content.decode() and "第二个窗口" in r.content.decode()
    app.refresh_from_db()
    assert app.explanation == "第一个窗口"


def test_employment_section_records_the_employer(make_applicant: Any, org: Any) -> None:
    user = make_applicant(None)
    profile = ApplicantProfile.objects.get(user=user)
    target = org("连云港港湾新材料科技有限公司")
    r = client_for(user).post(reverse("applications:employment"), {
        "employer": target.pk, "contract": "yes", "professional_work": "on", "city": "连云港市",
        "residence": "mainland", "permit": "none", "version": profile.version,
    })
    assert r.status_code == 302
    profile.refresh_from_db()
    assert profile.employer == target and profile.facts["employment"]["employer"] == target.name


# --- materials ------------------------------------------------------------------------------


def test_upload_and_preview_inline(make_applicant: Any, make_draft: Any) -> None:
    user = make_applicant()
    app = make_draft(user)
    c = client_for(user)
    r = c.post(reverse("applications:material_upload", args=[app.pk]), {
        "file": pdf_upload("论文.pdf"), "kind": "achievement", "title": "论文",
        "document_date": "2023-05-20", "is_representative": "on",
    })
    assert r.status_code == 302
    m = Material.objects.get(application=app)
    assert m.is_representative and m.content_type == "application/pdf" and len(m.sha256) == 64
    assert "论文" not in m.file.name  # generated name, never the user's
    r = c.get(reverse("applications:material", args=[app.pk, m.pk]))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("inline")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content).startswith(b"%PDF-")


def test_a_renamed_non_pdf_is_refused_and_leaves_the_application_as_it_was(
    make_applicant: Any, make_draft: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhicheng.core.models import AuditEvent

    user = make_applicant()
    app = make_draft(user)
    before = (Application.objects.filter(pk=app.pk).values().get(), AuditEvent.objects.count())
    fake = SimpleUploadedFile("证书.pdf", b"PK\x03\x04 this is a docx really" * 10,
                              content_type="application/pdf")
    r = client_for(user).post(reverse("applications:material_upload", args=[app.pk]), {
        "file": fake, "kind": "title", "title": "证书", "document_date": "2019-06-30",
    })
    html = r.content.decode()
    assert r.status_code == 400 and "只接受PDF、JPEG或PNG" in html and 'value="证书"' in html
    after = (Application.objects.filter(pk=app.pk).values().get(), AuditEvent.objects.count())
    assert before == after and not Material.objects.filter(application=app).exists()


def test_a_failing_database_write_removes_the_stored_file(
    make_applicant: Any, make_draft: Any, monkeypatch: Any, settings: Any
) -> None:
    user = make_applicant()
    app = make_draft(user)

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Material.objects, "create", boom)
    with pytest.raises(RuntimeError):
        ops.add_material(app, user, pdf_upload(), kind="title", title="x",
                         document_date=dt.date(2019, 6, 30))
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    assert not Material.objects.filter(application=app).exists()


def test_quota_per_application(make_applicant: Any, make_draft: Any, settings: Any) -> None:
    from zhicheng.documents.uploads import UploadRefused

    user = make_applicant()
    app = make_draft(user)
    one = len(pdf_upload().read())
    settings.ZHICHENG_MAX_APPLICATION_BYTES = one + one // 2
    ops.add_material(app, user, pdf_upload(), kind="title", title="1",
                     document_date=dt.date(2019, 6, 30))
    with pytest.raises(UploadRefused, match="总大小"):
        ops.add_material(app, user, pdf_upload(), kind="title", title="2",
                         document_date=dt.date(2019, 6, 30))
    assert app.materials.count() == 1
    # The refused file was stored before the quota's check under the lock: it is gone again.
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [Path(app.materials.get().file.name).name]


def test_late_achievement_material_is_excluded_by_the_cutoff(
    make_applicant: Any, make_draft: Any
) -> None:
    from zhicheng.applications.profiles import decide_application

    user = make_applicant()
    app = make_draft(user)
    ops.add_material(app, user, pdf_upload(), kind="achievement", title="2024年5月的论文",
                     document_date=dt.date(2024, 5, 10))
    _payload, decision = decide_application(app)
    assert [m.title for m in decision.excluded_materials] == ["2024年5月的论文"]


# --- PDF ----------------------------------------------------------------------------------


def test_printable_form_has_the_applicants_name(make_applicant: Any, ready_draft: Any) -> None:
    user = make_applicant(name="钱学习")
    app = ready_draft(user)
    c = client_for(user)
    assert c.get(reverse("applications:form_pdf", args=[app.pk])).status_code == 404  # draft
    ops.submit_application(app, user, token="t-pdf")
    r = c.get(reverse("applications:form_pdf", args=[app.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=r.content, capture_output=True,
                          check=True).stdout.decode()
    squeezed = "".join(text.split())
    assert "钱学习" in squeezed and "工程师" in squeezed


def _pdf_text(content: bytes) -> str:
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    return "".join(text.split())


def test_printable_form_carries_what_the_office_stamps(
    make_applicant: Any, ready_draft: Any, demo_users: Any,
) -> None:
    """The 申报表 prints the full identity number and phone for the applicant and the unit HR
    who stamps it (the pages keep them masked), the committee's real name, and the school,
    degree, duties, assessing unit, journal and the applicant's rank from the profile."""
    from stdnum.cn import ric

    body = "32070619850722461"
    id_number = body + ric.calc_check_digit(body)
    user = make_applicant(name="钱学习")
    user.id_type, user.id_number, user.phone = "resident", id_number, "13812345678"
    user.save(update_fields=["id_type", "id_number", "phone"])
    app = ready_draft(user)
    ops.submit_application(app, user, token="t-stamp")

    own = _pdf_text(client_for(user).get(reverse("applications:form_pdf", args=[app.pk])).content)
    hr = client_for(demo_users["unit_hr"])
    stamped = _pdf_text(hr.get(reverse("applications:form_pdf", args=[app.pk])).content)
    for text in (own, stamped):
        assert id_number in text and "13812345678" in text
        assert "质量工程专业技术资格评审委员会" in text
        assert "南京工程学院" in text and "工学学士" in text
        assert "焊接质量检验" in text and "《焊接技术》" in text and "第1作者" in text
    page = hr.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert id_number not in page and "13812345678" not in page


# --- permissions ----------------------------------------------------------------------------


def test_another_applicant_gets_404_everywhere(
    make_applicant: Any, ready_draft: Any
) -> None:
    owner, other = make_applicant(), make_applicant()
    app = ready_draft(owner)
    ops.submit_application(app, owner, token="t-perm")
    m = app.materials.get()
    c = client_for(other)
    urls = [
        reverse("applications:detail", args=[app.pk]),
        reverse("applications:material", args=[app.pk, m.pk]),
        reverse("applications:form_pdf", args=[app.pk]),
        reverse("applications:commitment", args=[app.pk]),
        reverse("applications:material", args=[app.pk + 1000, m.pk]),
        reverse("applications:detail", args=[app.pk + 1000]),
    ]
    for url in urls:
        assert c.get(url).status_code == 404, url
    for url in [
        reverse("applications:submit", args=[app.pk]),
        reverse("applications:withdraw", args=[app.pk]),
        reverse("applications:material_upload", args=[app.pk]),
        reverse("applications:material_delete", args=[app.pk, m.pk]),
        reverse("applications:precheck_application", args=[app.pk]),
    ]:
        assert c.post(url, {"token": "x"}).status_code == 404, url
    # A material of my own application addressed through someone else's application: 404.
    mine = ready_draft(other)
    my_material = mine.materials.get()
    assert c.get(reverse("applications:material", args=[app.pk, my_material.pk])).status_code == 404
    assert Client().get(reverse("applications:detail", args=[app.pk])).status_code == 302


def test_unit_hr_sees_submitted_applications_of_its_employees_only(
    make_applicant: Any, ready_draft: Any, demo_users: Any
) -> None:
    own_unit = ready_draft(make_applicant())
    other_unit = ready_draft(make_applicant("连云港港湾新材料科技有限公司"))
    c = client_for(demo_users["unit_hr"])
    assert c.get(reverse("applications:detail", args=[own_unit.pk])).status_code == 404  # draft
    ops.submit_application(own_unit, own_unit.applicant, token="t-hr1")
    ops.submit_application(other_unit, other_unit.applicant, token="t-hr2")
    assert c.get(reverse("applications:detail", args=[own_unit.pk])).status_code == 200
    m = own_unit.materials.get()
    assert c.get(reverse("applications:material", args=[own_unit.pk, m.pk])).status_code == 200
    assert c.get(reverse("applications:detail", args=[other_unit.pk])).status_code == 404
    # Read-only: HR cannot act as the applicant.
    assert c.post(reverse("applications:withdraw", args=[own_unit.pk])).status_code == 404
    assert own_unit.applicant.full_name in c.get(reverse("applications:dashboard")).content.decode()


# --- dashboard ------------------------------------------------------------------------------


def _many(user: Any, n: int, season: Any, plan: Any, engineering: Any) -> None:
    # Past seasons' applications are what a person accumulates; the constraint allows
    # one per season, so build them directly with a distinct season each.
    from zhicheng.seasons.models import Season

    for i in range(n):
        s = Season.objects.create(
            code=f"past-{user.pk}-{i}", name=f"往年{i}", year=2000 + i, city="连云港市",
            notice_number="-", notice_title="-", notice_date=dt.date(2000 + i, 5, 1),
            seniority_cutoff=dt.date(2000 + i, 1, 1), materials_cutoff=dt.date(2000 + i, 1, 1),
            evaluation_deadline=dt.date(2000 + i, 11, 30),
            committee_notice_due=dt.date(2000 + i, 6, 30),
        )
        a = Application.objects.create(
            applicant=user, season=s, plan=plan(41), series=engineering, specialty="质量工程",
            level="intermediate",
        )
        Material.objects.create(
            application=a, kind="title", title="证书", file="materials/x.pdf",
            content_type="application/pdf", size=10, sha256="0" * 64,
            document_date=dt.date(2019, 1, 1), uploaded_by=user,
        )


@pytest.mark.parametrize("count", [1, 20])
def test_dashboard_runs_a_constant_number_of_queries(
    count: int, make_applicant: Any, season: Any, plan: Any, engineering: Any,
    django_assert_max_num_queries: Any,
) -> None:
    user = make_applicant()
    _many(user, count, season, plan, engineering)
    c = client_for(user)
    c.get(reverse("applications:dashboard"))  # warm the session
    # 12, plus the work bar's roles, expert check and unread count (constant per request),
    # and the cities with a published season (the site's title)
    with django_assert_max_num_queries(12 + 3 + 1):
        r = c.get(reverse("applications:dashboard"))
    states = r.content.decode().count('class="badge text-bg-secondary state"')
    assert r.status_code == 200 and states == count


def test_dashboard_rows_and_inbox_are_what_the_orm_reads(
    make_applicant: Any, season: Any, plan: Any, engineering: Any,
    django_assert_num_queries: Any,
) -> None:
    """The dashboard's applications (compiled once, instances with only what it shows) and its
    inbox (with the unread count in the same query) are what the ORM's querysets give, for
    every user, a user without notifications included."""
    from django.utils import timezone

    from zhicheng.applications import queries
    from zhicheng.applications.models import Notification

    people = [make_applicant(), make_applicant(), make_applicant()]
    _many(people[0], 3, season, plan, engineering)
    _many(people[1], 1, season, plan, engineering)
    now = timezone.now()
    for i in range(12):
        Notification.objects.create(user=people[0], kind="k", title=f"t{i}", body=f"b{i}",
                                    url="/x/" if i % 2 else "", read_at=now if i % 3 else None)
    Notification.objects.create(user=people[1], kind="k", title="read", read_at=now)
    for user in people:
        for _ in range(2):  # compiled, then reused
            request = type("Request", (), {"user": user})()
            with django_assert_num_queries(1):
                found = queries.dashboard_applications(user)
                # What the page reads of them runs no query (nothing deferred is read).
                shown = [(a.pk, a.state, a.state_label, a.specialty, a.get_level_display(),
                          a.commitment_accepted_at, a.plan.row, a.plan.specialty,
                          a.plan.office_name, a.plan.acceptance_text, a.plan.acceptance_months,
                          a.series.name, a.season.year, a.plan_id, a.series_id, a.season_id)
                         for a in found]
            orm = [(a.pk, a.state, a.state_label, a.specialty, a.get_level_display(),
                    a.commitment_accepted_at, a.plan.row, a.plan.specialty, a.plan.office_name,
                    a.plan.acceptance_text, a.plan.acceptance_months, a.series.name,
                    a.season.year, a.plan_id, a.series_id, a.season_id)
                   for a in queries.my_applications(user)]
            assert shown == orm
            with django_assert_num_queries(1):
                inbox = queries.dashboard_inbox(request)
                unread = queries.request_unread_count(request)  # kept: no count
            assert unread == queries.unread_count(user)
            assert inbox == [{f: getattr(n, f) for f in queries.DASHBOARD_NOTIFICATION_FIELDS}
                             | {"unread": queries.unread_count(user)}
                             for n in queries.inbox(user, limit=10)]
    assert queries.unread_count(people[0]) == 4 and queries.unread_count(people[1]) == 0
    assert len(queries.dashboard_inbox(type("R", (), {"user": people[0]})())) == 10


def test_submission_notifies_the_inbox(make_applicant: Any, ready_draft: Any) -> None:
    user = make_applicant()
    app = ready_draft(user)
    c = client_for(user)
    token = "t-inbox"
    r = c.post(reverse("applications:submit", args=[app.pk]), {"token": token})
    assert r.status_code == 302
    r2 = c.post(reverse("applications:submit", args=[app.pk]), {"token": token})  # double click
    assert r2.status_code == 302 and app.submissions.count() == 1
    page = c.get(reverse("applications:dashboard")).content.decode()
    assert "申报已提交" in page
    assert c.get(reverse("applications:inbox")).status_code == 200
    # The next office (the employer's HR) hears of the submission in its inbox too.
    from zhicheng.applications.models import Notification
    from zhicheng.orgs.models import Membership

    hr_users = Membership.objects.filter(
        organisation=app.employer, role="unit_hr", active=True
    ).values_list("user", flat=True)
    assert hr_users
    assert set(
        Notification.objects.filter(application=app, kind="application.submitted_to_office")
        .values_list("user", flat=True)
    ) == set(hr_users)



def test_notify_sends_an_email_after_commit(
    make_applicant: Any, ready_draft: Any, mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = make_applicant()
    app = ready_draft(user)
    with django_capture_on_commit_callbacks(execute=True):
        ops.submit_application(app, user, token="t-mail")
    # One mail to the applicant, one to each HR member of the employer (the next office).
    to_applicant = [m for m in mailoutbox if m.to == [user.email]]
    assert len(to_applicant) == 1 and "申报已提交" in to_applicant[0].subject
    to_office = [m for m in mailoutbox if m.to != [user.email]]
    assert to_office and all("收到新的职称申报" in m.subject for m in to_office)
    n = user.notifications.get()
    assert n.emailed_at is not None


def test_no_misleading_defaults_for_level_and_assessment(make_applicant: Any, plan: Any) -> None:
    """员级 preselected made the first decision read 不符合; 优秀 was a claim."""
    c = client_for(make_applicant())
    new = c.get(reverse("applications:new")).content.decode()
    level = new[new.index('name="level"'):]
    level = level[:level.index("</select>")]
    assert '<option value="" selected>（请选择）</option>' in level
    assert "selected" not in level.replace('<option value="" selected>', "")
    form = c.get(reverse("applications:fact_add", args=["annual_assessments"])).content.decode()
    grade = form[form.index('name="grade"'):]
    grade = grade[:grade.index("</select>")]
    assert '<option value="" selected>（请选择）</option>' in grade
    r = c.post(reverse("applications:new"), {"plan": plan(41).pk, "series": "engineering",
                                             "specialty": "质量工程", "route": "normal"})
    assert "此项必填" in r.content.decode()


def test_dashboard_names_the_next_deadline_and_what_to_do(
    make_applicant: Any, ready_draft: Any,
) -> None:
    """A draft in plan row 41 (受理 5–7月) on 2024-07-15: submit by 2024-07-31, 16 days left."""
    user = make_applicant()
    app = ready_draft(user)
    page = client_for(user).get(reverse("applications:dashboard")).content.decode()
    card = page.split('class="alert alert-warning next-deadline"', 1)[1].split("</div>\n</div>")[0]
    assert "下一个期限：2024-07-31（还有16天）" in card
    assert "核对资格审查结果并提交申报" in card
    assert f'href="{reverse("applications:detail", args=[app.pk])}"' in card


def test_dashboard_deadline_follows_an_open_correction_request(
    make_applicant: Any, ready_draft: Any,
) -> None:
    """Once a correction is requested, the correction's due day is the day to act by."""
    from zhicheng.reviews.models import CorrectionRequest

    user = make_applicant()
    app = ready_draft(user)
    c = client_for(user)
    submitted = c.post(reverse("applications:submit", args=[app.pk]), {"token": "t-due"})
    assert submitted.status_code == 302
    submission = app.submissions.get()
    # The reviewer's request, as reviews.operations.request_correction leaves it.
    Application.objects.filter(pk=app.pk).update(state="correction_requested")
    CorrectionRequest.objects.create(
        application=app, number=1, reviewer=app.employer, requested_by=user,
        items=[{"target": "section:education", "label": "学历", "problem": "缺少学位证书"}],
        due_date=dt.date(2024, 7, 26), submission=submission,
    )
    page = c.get(reverse("applications:dashboard")).content.decode()
    assert "下一个期限：2024-07-26（还有11天）" in page
    assert "按补正通知一次性补正" in page and "补正期限（四（三））" in page


def test_dashboard_has_no_deadline_card_without_a_day_to_act(
    make_applicant: Any, ready_draft: Any, settings: Any,
) -> None:
    """After the window has closed nothing is shown as a deadline still to meet."""
    user = make_applicant()
    ready_draft(user)
    settings.ZHICHENG_TODAY = "2024-08-01"
    page = client_for(user).get(reverse("applications:dashboard")).content.decode()
    assert "next-deadline" not in page and "下一个期限" not in page


def test_the_contract_is_asked_not_preselected_and_kept_once_answered(
    make_applicant: Any, org: Any,
) -> None:
    """A new profile's employment form asks whether the contract is signed (nothing
    preselected) and refuses to save without an answer; once answered, it shows the answer."""
    user = make_applicant(None)
    profile = ApplicantProfile.objects.get(user=user)
    c = client_for(user)
    page = c.get(reverse("applications:employment")).content.decode()
    select = page.split('id="id_contract"', 1)[1].split("</select>", 1)[0]
    assert "selected" not in select.split('value="yes"', 1)[1].split("</option>", 1)[0]
    target = org("连云港港湾新材料科技有限公司")
    form = {"employer": target.pk, "professional_work": "on", "city": "连云港市",
            "residence": "mainland", "permit": "none", "version": profile.version}
    r = c.post(reverse("applications:employment"), form)
    assert r.status_code == 200
    assert "请选择是否已与用人单位签订劳动（聘用）合同" in r.content.decode()
    assert c.post(reverse("applications:employment"), {**form, "contract": "no"}).status_code == 302
    profile.refresh_from_db()
    assert profile.facts["employment"]["contract"] is False
    page = c.get(reverse("applications:employment")).content.decode()
    assert '<option value="no" selected>' in page


def test_the_profile_forms_speak_english_in_the_english_ui(make_applicant: Any) -> None:
    """The profile's forms are in the catalogue: labels, choices and refusals follow the
    language switch (Chinese stays the default)."""
    user = make_applicant()
    c = client_for(user)
    chinese = c.get(reverse("applications:employment")).content.decode()
    assert "已与用人单位签订劳动（聘用）合同" in chinese
    c.post("/i18n/setlang/", {"language": "en", "next": "/apply/"})
    english = c.get(reverse("applications:employment")).content.decode()
    assert "Labour (engagement) contract signed with the employer" in english
    assert "已与用人单位签订劳动（聘用）合同" not in english
    education = c.get(reverse("applications:fact_add", args=["education"])).content.decode()
    assert "Date of graduation (obtained)" in education and "Full-time" in education
