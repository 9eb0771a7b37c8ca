"""Every page of the load benchmark (bench/load) runs a constant number of SQL queries:
each is measured with little data and with more, and must issue the same number both times
(and stay under a ceiling), so 100,000 applications cost no more queries than ten."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.factories.load import client_for, pdf_upload

SMALL, LARGE = 1, 12


def count_queries(assert_max: Any, ceiling: int, request: Any) -> int:
    """Queries of one request (after a warm-up run that fills per-process caches)."""
    request()
    with assert_max(ceiling) as ctx:
        response = request()
    assert response.status_code in (200, 302), response.status_code
    return len(ctx.captured_queries)


def at_two_sizes(assert_max: Any, ceiling: int, grow: Any, request: Any) -> tuple[int, int]:
    """(queries with the small data, queries after `grow(LARGE - SMALL)`)."""
    small = count_queries(assert_max, ceiling, request)
    grow(LARGE - SMALL)
    large = count_queries(assert_max, ceiling, request)
    return small, large


# --- fixtures: the shapes each page reads ------------------------------------------------


@pytest.fixture
def unit_publicity_app(applicant: Any, draft: Any, demo_users: dict[str, Any]) -> Any:
    """A real application in its unit publicity (submit, unit review, check, approve)."""
    from zhicheng.applications import operations as ops
    from zhicheng.reviews import operations as rops

    app = draft(applicant())
    ops.submit_application(app, app.applicant, token=f"t-{app.pk}")
    app.refresh_from_db()
    hr = demo_users["unit_hr"]
    rops.unit_start_review(app, hr)
    rops.record_dossier_view(app, hr)
    sub = app.submissions.order_by("-number").first()
    rops.save_unit_check(app, hr, checked_ids=[m["id"] for m in sub.snapshot["materials"]],
                         opinion="情况属实，同意推荐。")
    rops.unit_approve(app, hr)
    app.refresh_from_db()
    return app


@pytest.fixture
def preliminary_app(unit_publicity_app: Any, demo_users: dict[str, Any], settings: Any) -> Any:
    """The same, past its publicity and recommended: in the district bureau's worklist."""
    from zhicheng.publicity.models import Publicity
    from zhicheng.publicity.operations import close_due_publicities
    from zhicheng.reviews import operations as rops

    app = unit_publicity_app
    p = Publicity.objects.filter(application=app).order_by("-pk").first()
    settings.ZHICHENG_TODAY = (p.last_day + dt.timedelta(days=1)).isoformat()
    close_due_publicities()
    rops.unit_recommend(app, demo_users["unit_hr"])
    app.refresh_from_db()
    return app


# --- the pages ------------------------------------------------------------------------------


def test_bare_view_touches_no_database(
    client: Any, db: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        r = client.get("/healthz")
    assert r.status_code == 200 and r.content == b"ok\n"
    assert "no-cache" in r["Cache-Control"]


def test_applicant_dashboard(applicant: Any, draft: Any, clone: Any,
                             django_assert_max_num_queries: Any) -> None:
    from zhicheng.applications.notifications import notify

    user = applicant()
    app = draft(user)
    c = client_for(user)

    def grow(n: int) -> None:
        # More of what the dashboard lists: earlier (withdrawn) applications with their
        # materials, and messages.
        clone(app, n, state="withdrawn")
        from zhicheng.applications.models import Application

        Application.objects.filter(applicant__username__startswith="load_applicant",
                                   state="withdrawn").update(applicant=user)
        for i in range(n):
            notify(user, "test", f"消息{i}", "正文", application=app)

    # A draft and a withdrawn application to start with: the running publicities are read
    # (one query) only when some application is past its unit's check, the open corrections
    # only when a correction is requested; then more of the same must cost nothing more.
    grow(1)
    small, large = at_two_sizes(django_assert_max_num_queries, 16, grow,
                                lambda: c.get("/apply/"))
    assert small == large
    page = c.get("/apply/").content.decode()
    assert page.count("消息") >= 10  # the messages are on the page


def test_the_dashboard_shows_the_running_unit_publicity(unit_publicity_app: Any) -> None:
    """The dashboard reads the publicities only for applications past their unit's check: one
    in its unit publicity shows the publicity's kind and days."""
    from zhicheng.publicity.models import Publicity

    p = Publicity.objects.get(application=unit_publicity_app, closed_at__isnull=True)
    page = client_for(unit_publicity_app.applicant).get("/apply/").content.decode()
    running = page.split('class="small text-muted publicity-running">', 1)[1].split("</div>")[0]
    assert f"{p.first_day:%Y-%m-%d} 至 {p.last_day:%Y-%m-%d}" in running
    assert p.get_kind_display() in running


def test_live_precheck(applicant: Any, draft: Any, django_assert_max_num_queries: Any) -> None:
    from zhicheng.applications import operations as ops

    user = applicant()
    app = draft(user)
    c = client_for(user)
    form = {"plan": app.plan_id, "series": "engineering", "specialty": app.specialty,
            "level": "intermediate", "route": "normal"}

    def grow(n: int) -> None:
        for i in range(n):  # dated achievement materials feed the decision (二（二）)
            ops.add_material(app, user, pdf_upload(f"paper {i}"), kind="achievement",
                             title=f"论文{i}", document_date=dt.date(2023, 5, 20))

    def post() -> Any:
        return c.post(f"/apply/{app.pk}/precheck/", form, HTTP_HX_REQUEST="true")

    # 14, plus the cities with a published season (the site's title, context processor).
    small, large = at_two_sizes(django_assert_max_num_queries, 15, grow, post)
    assert small == large
    assert "符合申报条件" in post().content.decode()


def test_submission(applicant: Any, draft: Any, django_assert_max_num_queries: Any) -> None:
    """A submission's queries do not grow with the draft's materials: the operation reads
    them once with the application's lock and freezes them into one snapshot."""
    from zhicheng.applications import operations as ops
    from zhicheng.applications.models import Submission

    warm = draft(applicant())  # fills the per-process caches (the rules, compiled UPDATEs)
    assert client_for(warm.applicant).post(
        f"/apply/{warm.pk}/submit/", {"token": f"t-{warm.pk}"}).status_code == 302
    counts = []
    for extra in (0, LARGE - SMALL):
        user = applicant()
        app = draft(user)
        for i in range(extra):  # dated achievement materials feed the decision (二（二）)
            ops.add_material(app, user, pdf_upload(f"paper {i}"), kind="achievement",
                             title=f"论文{i}", document_date=dt.date(2023, 5, 20))
        c = client_for(user)
        # 30 on SQLite: the session, the user, the application's key, the token, the read
        # under the lock, the routing, the rules' checks, the writes, the event, its chaining.
        with django_assert_max_num_queries(32) as ctx:
            r = c.post(f"/apply/{app.pk}/submit/", {"token": f"t-{app.pk}"})
        assert r.status_code == 302
        counts.append(len(ctx.captured_queries))
        sub = Submission.objects.get(application=app)
        assert len(sub.snapshot["materials"]) == SMALL + extra
    assert counts[0] == counts[1], counts


def test_material_upload(applicant: Any, draft: Any, django_assert_max_num_queries: Any) -> None:
    from zhicheng.applications.models import Material

    user = applicant()
    app = draft(user)
    c = client_for(user)
    before = Material.objects.filter(application=app).count()

    def upload() -> Any:
        return c.post(f"/apply/{app.pk}/materials/", {
            "file": pdf_upload("scan"), "kind": "achievement", "title": "扫描件",
            "document_date": "2023-05-20", "proves": "",
        })

    def grow(n: int) -> None:
        for _ in range(n):
            assert upload().status_code == 302

    small, large = at_two_sizes(django_assert_max_num_queries, 24, grow, upload)
    assert small == large
    # two sizes × (warm-up + measured) + the growth: every upload was stored
    assert Material.objects.filter(application=app).count() == before + 4 + LARGE - SMALL


def test_reviewer_worklist(preliminary_app: Any, clone: Any, demo_users: dict[str, Any],
                           django_assert_max_num_queries: Any) -> None:
    c = client_for(demo_users["haizhou_reviewer"])
    small, large = at_two_sizes(
        django_assert_max_num_queries, 20, lambda n: clone(preliminary_app, n),
        lambda: c.get("/review/"),
    )
    assert small == large
    page = c.get("/review/").content.decode()
    assert page.count('href="/review/') >= LARGE


def test_public_plan_table(client: Any, unit_publicity_app: Any, clone: Any,
                           django_assert_max_num_queries: Any) -> None:
    small, large = at_two_sizes(
        django_assert_max_num_queries, 10, lambda n: clone(unit_publicity_app, n),
        lambda: client.get("/plans/"),
    )
    assert small == large


def test_publicity_list(client: Any, unit_publicity_app: Any, clone: Any,
                        django_assert_max_num_queries: Any) -> None:
    small, large = at_two_sizes(
        django_assert_max_num_queries, 8, lambda n: clone(unit_publicity_app, n),
        lambda: client.get("/publicity/"),
    )
    assert small == large
    page = client.get("/publicity/").content.decode()
    assert page.count('href="/publicity/') >= LARGE


def test_publicity_entry(client: Any, unit_publicity_app: Any, clone: Any,
                         django_assert_max_num_queries: Any) -> None:
    from zhicheng.publicity.models import Publicity

    pk = Publicity.objects.get(application=unit_publicity_app).pk
    small, large = at_two_sizes(
        django_assert_max_num_queries, 6, lambda n: clone(unit_publicity_app, n),
        lambda: client.get(f"/publicity/{pk}/"),
    )
    assert small == large


def test_certificate_verification(client: Any, season: Any, demo_users: dict[str, Any],
                                  settings: Any, tmp_path: Any,
                                  django_assert_max_num_queries: Any) -> None:
    from stdnum.cn import ric

    from zhicheng.accounts.models import User
    from zhicheng.accounts.totp import activate_totp
    from zhicheng.applications.models import Application
    from zhicheng.catalogue.models import Series
    from zhicheng.certificates import keys
    from zhicheng.certificates.operations import issue_certificate
    from zhicheng.demo.accounts import DEMO_TOTP_SECRET
    from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_PLAN_ROW, DEMO_SPECIALTY
    from zhicheng.orgs.models import Organisation
    from zhicheng.seasons.models import CommitteePlan

    settings.ZHICHENG_TODAY = "2024-11-15"
    settings.ZHICHENG_KEY_DIR = str(tmp_path / "keys")
    keys.generate()
    city = demo_users["city_office"]
    activate_totp(city, DEMO_TOTP_SECRET)
    made = iter(range(100))

    def issue(n: int) -> list[Any]:
        out = []
        for _ in range(n):
            i = next(made)
            body = f"32070619850101{i:03d}"
            user = User.objects.create_user(
                username=f"holder{i}", password="pw-zhicheng-2024", full_name=f"持证人{i}",
                id_type="resident", id_number=body + ric.calc_check_digit(body),
            )
            # Test setup: an approved result (the meeting leading there is not measured).
            app = Application.objects.create(
                applicant=user, season=season,
                plan=CommitteePlan.objects.get(season=season, row=DEMO_PLAN_ROW),
                series=Series.objects.get(code="engineering"), specialty=DEMO_SPECIALTY,
                level="intermediate", state="approved",
                employer=Organisation.objects.get(name=DEMO_EMPLOYER),
            )
            out.append(issue_certificate(app, city, approval_number="连职称办〔2024〕12号"))
        return out

    first = issue(SMALL)[0]

    def verify() -> Any:
        return client.post("/verify/", {"number": first.number, "name": first.holder_name})

    small, large = at_two_sizes(django_assert_max_num_queries, 6, issue, verify)
    assert small == large
    assert "有效" in verify().content.decode()


def test_long_worklist_comes_in_pages_of_fifty(preliminary_app: Any, clone: Any,
                                               demo_users: dict[str, Any],
                                               django_assert_max_num_queries: Any) -> None:
    """500 dossiers on one page cost ~0.3 s of CPU each time (docs/performance.md): the
    worklist shows the 50 nearest deadlines and a pager, at the same number of queries on
    every page. (A filtered page runs one query more than the whole worklist's: the work
    bar's count, which the unfiltered page shares.)"""
    from zhicheng.reviews.views import WORKLIST_PAGE_SIZE

    clone(preliminary_app, WORKLIST_PAGE_SIZE + 9)
    c = client_for(demo_users["haizhou_reviewer"])
    for query in ("", "state=preliminary_review&"):
        first = count_queries(django_assert_max_num_queries, 20,
                              lambda q=query: c.get(f"/review/?{q}"))
        second = count_queries(django_assert_max_num_queries, 20,
                               lambda q=query: c.get(f"/review/?{q}page=2"))
        assert first == second
    page1 = c.get("/review/").content.decode()
    page2 = c.get("/review/?state=preliminary_review&page=2").content.decode()
    dossier = re.compile(r'href="/review/\d+/"')
    assert len(dossier.findall(page1)) == WORKLIST_PAGE_SIZE
    assert len(dossier.findall(page2)) == 10
    assert "第1页，共2页" in page1 and "state=preliminary_review&amp;page=1" in page2


def test_decision_diff_preview(unit_publicity_app: Any, clone: Any, season: Any,
                               demo_users: dict[str, Any],
                               django_assert_max_num_queries: Any) -> None:
    """判定差异预览 decides every submitted application of the compared season twice: their
    profiles, employers, materials and integrity records are read in a constant number of
    queries (docs/seasons.md, In the browser 5)."""
    from zhicheng.accounts.totp import activate_totp
    from zhicheng.demo.accounts import DEMO_TOTP_SECRET
    from zhicheng.seasons.operations import derive_draft

    city = demo_users["city_office"]
    activate_totp(city, DEMO_TOTP_SECRET)
    draft = derive_draft(city, season.published_version, "next-2025", "下一年度（预览）")
    c = client_for(city)
    url = f"/supervision/seasons/{draft.season.code}/v{draft.number}/diff/"
    small, large = at_two_sizes(
        django_assert_max_num_queries, 25, lambda n: clone(unit_publicity_app, n),
        lambda: c.get(url),
    )
    assert small == large
    page = c.get(url).content.decode()
    assert f"对照年度已提交的{LARGE}份申报" in page
