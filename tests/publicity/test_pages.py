"""Public publicity pages (no login) and the posting organisation's objection pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from zhicheng.applications.states import State
from zhicheng.publicity.models import Objection, ObjectionState
from zhicheng.publicity.operations import close_due_publicities, file_objection, open_publicity

pytestmark = pytest.mark.django_db

LIST = "/publicity/"
# The public list's query budget: the same for 1 entry and for 20.
# the seasons (their display windows), the page itself (one row more than it shows, no count),
# its applications and their rows, and the cities with a published season (the site's title)
LIST_QUERIES = 4
# session, user, MFA middleware (memberships and second factor: one query), count, page; and
# the work bar of a unit HR (portal/navigation.py: the expert and applied checks, one count per
# queue): constant per request.
NAV_BAR_QUERIES = 7
ORG_QUERIES = 7 + NAV_BAR_QUERIES + 1  # + the site's city


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def posted(make_application: Any, unit_hr: Any, today: Any, org: Any) -> Any:
    """A unit publicity of an applicant with an identity number, phone and email, at an
    employer whose address and phone are on file."""
    today("2024-09-27")
    app = make_application(name="钱公示")
    employer = app.employer
    employer.address = "海州区保密路88号"
    employer.phone = "0518-87654321"
    employer.save()
    return open_publicity(app, "unit", unit_hr)


def test_the_list_shows_the_entry_and_its_period_without_login(posted: Any) -> None:
    response = Client().get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    app = posted.application
    for shown in (
        "单位公示", "钱公示", app.employer.name, app.series.name, app.specialty,
        app.get_level_display(), app.plan.specialty, "公示中",
        "2024年9月27日至2024年10月9日（5个工作日）",
    ):
        assert shown in html, shown


def test_the_public_pages_show_no_private_data(posted: Any) -> None:
    user = posted.application.applicant
    assert user.id_number and user.phone and user.email
    for url in (LIST, reverse("publicity:detail", args=[posted.pk])):
        html = Client().get(url).content.decode()
        for secret in (
            user.id_number, user.id_number[-6:], user.id_number[:10], user.phone,
            user.email, "海州区保密路88号", "0518-87654321",
        ):
            assert secret not in html, (url, secret)


def test_the_list_runs_a_constant_number_of_queries(
    posted: Any, make_application: Any, unit_hr: Any, committee_office: Any,
    django_assert_max_num_queries: Any,
) -> None:
    with django_assert_max_num_queries(LIST_QUERIES):
        assert Client().get(LIST).status_code == 200
    for i in range(10):
        open_publicity(make_application(name=f"单{i}"), "unit", unit_hr)
    for i in range(9):
        app = make_application(State.PRE_EVALUATION_PUBLICITY, name=f"评{i}")
        open_publicity(app, "pre_evaluation", committee_office)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = Client().get(LIST)
    html = response.content.decode()
    # Numbered tables as offices post them (序号、姓名、工作单位、申报专业、申报层级).
    assert html.count('class="zc-publicity-row"') == 20
    assert html.index("单位公示") < html.index("评前公示")
    unit_table = html[html.index("zc-publicity-table"):]
    unit_table = unit_table[:unit_table.index("</table>")]
    for heading in ("序号", "姓名", "工作单位", "申报专业", "申报层级"):
        assert f">{heading}</th>" in unit_table
    assert '<td class="text-end">11</td>' in unit_table  # posted + 10: numbered 1…11


def test_the_list_reads_its_entries_applications_in_one_query_without_private_columns(
    posted: Any, make_application: Any, unit_hr: Any,
) -> None:
    """The page's rows as values: one query for the page, one for its entries' applications
    (whatever their number), and no identity number, phone, email or address even read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries() -> list[str]:
        Client().get(LIST)  # the site's city list is cached after the first request
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(LIST).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    def applications(sql: list[str]) -> list[str]:
        return [q for q in sql if q.split(" FROM ", 1)[1].startswith('"applications_application"')]

    one = page_queries()
    for i in range(12):
        open_publicity(make_application(name=f"读{i}"), "unit", unit_hr)
    many = page_queries()
    assert len(one) == len(many) and len(applications(one)) == len(applications(many)) == 1
    assert '"accounts_user"."full_name"' in applications(many)[0]  # the names are read there
    for sql in many:
        for private in ('"accounts_user"."id_number"', '"accounts_user"."phone"',
                        '"accounts_user"."email"', '"orgs_organisation"."phone"',
                        '"orgs_organisation"."address"'):
            assert private not in sql, (private, sql)


def test_an_entry_is_read_in_two_queries_while_its_season_lists_it(
    posted: Any, today: Any,
) -> None:
    """The entry and its application (with its season's display window), not every season's
    window as the list reads them; shown to the window's last day, then 404 like the list."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhicheng.publicity.queries import ended_visible_days

    url = reverse("publicity:detail", args=[posted.pk])
    Client().get(url)  # the site's city list is cached after the first request
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(url).status_code == 200
    assert len(captured) == 2
    assert not any(q["sql"].split(" FROM ", 1)[1].startswith('"seasons_season"')
                   for q in captured.captured_queries)
    last = posted.last_day + dt.timedelta(days=ended_visible_days(posted.application.season))
    today(last.isoformat())
    assert Client().get(url).status_code == 200 and "钱公示" in Client().get(LIST).content.decode()
    today((last + dt.timedelta(days=1)).isoformat())
    assert Client().get(url).status_code == 404
    assert "钱公示" not in Client().get(LIST).content.decode()


def test_a_changed_display_window_shows_on_the_next_list(posted: Any, today: Any) -> None:
    """The list keeps the seasons' display windows between requests; a season saved with
    another window is listed by it on the very next request."""
    from zhicheng.publicity.queries import ended_visible_days

    season = posted.application.season
    last = posted.last_day + dt.timedelta(days=ended_visible_days(season))
    today(last.isoformat())
    assert "钱公示" in Client().get(LIST).content.decode()  # the windows are now kept
    periods = dict(season.parameters["periods"])
    entry = periods["publicity_ended_visible_days"]
    shorter = (dict(entry, value=int(entry["value"]) - 1) if isinstance(entry, dict)
               else int(entry) - 1)
    season.parameters = {**season.parameters,
                         "periods": {**periods, "publicity_ended_visible_days": shorter}}
    season.save(update_fields=["parameters"])
    assert "钱公示" not in Client().get(LIST).content.decode()


def test_an_entry_is_what_the_orm_reads_of_it(
    posted: Any, make_application: Any, unit_hr: Any, django_assert_num_queries: Any,
) -> None:
    """`public_publicity` (two queries compiled once, instances with the public columns only)
    gives what the `.only()` querysets gave, a freelancer's entry (no employer) included."""
    from zhicheng.applications.models import Application
    from zhicheng.publicity import queries
    from zhicheng.publicity.models import Publicity

    freelancer = open_publicity(make_application(name="自由人"), "unit", unit_hr)
    # As a freelancer's entry reads (its committee posts it): no employer.
    Application.objects.filter(pk=freelancer.application_id).update(employer=None,
                                                                    freelancer=True)

    def shown(p: Any) -> tuple[Any, ...]:
        a = p.application
        return (p.pk, p.application_id, p.kind, p.get_kind_display(), p.round, p.first_day,
                p.last_day, p.required_workdays, p.clause, p.closed_at, p.organisation.name,
                a.pk, a.specialty, a.level, a.get_level_display(), a.freelancer,
                a.applicant.full_name, a.applicant.username,
                a.employer.name if a.employer else None, a.series.name, a.plan.specialty,
                a.plan.office_name, a.plan.phone, a.season.year, a.season.name, a.season.code,
                a.season.parameters)

    for entry in (posted, freelancer, posted):  # compiled, then reused
        with django_assert_num_queries(2):
            found = queries.public_publicity(entry.pk, dt.date(2024, 9, 27))
            ours = shown(found)  # nothing deferred is read
        orm = Publicity.objects.select_related("organisation").only(
            *queries._PUBLICITY_COLUMNS).get(pk=entry.pk)
        orm.application = queries._public_applications("season__code", "season__parameters") \
            .get(pk=orm.application_id)
        assert ours == shown(orm)
    assert found.application.employer is not None
    assert queries.public_publicity(freelancer.pk, dt.date(2024, 9, 27)).application.employer \
        is None
    assert queries.public_publicity(987654321, dt.date(2024, 9, 27)) is None


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_entrys_empty_objection_form_is_the_template_s_for_that_entry(
    posted: Any, language: str,
) -> None:
    """The unbound form's fields are rendered once per language and given the entry's element
    ids (publicity.views._objection_fields): the same HTML as the template renders for it."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from zhicheng.publicity import views
    from zhicheng.publicity.forms import ObjectionForm

    views._FORM_FIELDS.clear()
    with translation.override(language):
        expected = render_to_string("publicity/_objection_fields.html",
                                    {"form": ObjectionForm(prefix_id=posted.pk)})
        for _ in range(2):  # rendered, then kept
            assert views._objection_fields(ObjectionForm(prefix_id=posted.pk),
                                           posted.pk) == expected
        assert views._objection_fields(ObjectionForm({}, prefix_id=posted.pk),
                                       posted.pk) is None  # a bound form: the template's
    assert f'id="id_p{posted.pk}_contact"' in expected and str(views._FORM_PK) not in expected
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("publicity:detail", args=[posted.pk])).content.decode()
    assert expected in html


def test_an_objection_is_filed_from_the_page(posted: Any) -> None:
    url = reverse("publicity:detail", args=[posted.pk])
    response = Client(REMOTE_ADDR="203.0.113.5").post(
        url, {"name": "", "contact": "13912345678", "text": "资历不够"}, follow=True
    )
    assert response.status_code == 200
    assert "异议已提交" in response.content.decode()
    o = Objection.objects.get(publicity=posted)
    assert (o.name, o.contact, o.text, o.ip) == ("", "13912345678", "资历不够", "203.0.113.5")
    # The objector gets a reference number to quote.
    assert o.reference.startswith("GS-") and f"受理编号 {o.reference}" in response.content.decode()


def test_errors_are_in_chinese_and_keep_what_was_typed(posted: Any) -> None:
    url = reverse("publicity:detail", args=[posted.pk])
    response = Client().post(url, {"name": "孙某", "contact": "", "text": "论文抄袭，见某期刊"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写联系方式（电话或电子邮箱），以便核实和答复。" in html
    assert "孙某" in html and "论文抄袭，见某期刊" in html
    response = Client().post(url, {"name": "", "contact": "abc", "text": ""})
    html = response.content.decode()
    assert "联系方式应为有效的电话号码" in html and "请填写异议内容" in html
    assert 'value="abc"' in html
    assert not Objection.objects.exists()


def test_htmx_gets_only_the_form_back(posted: Any) -> None:
    url = reverse("publicity:detail", args=[posted.pk])
    response = Client().post(
        url, {"name": "", "contact": "", "text": "x"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "请填写联系方式" in html
    response = Client().post(
        url, {"contact": "a@example.com", "text": "x"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "异议已提交" in html and Objection.objects.get().reference in html
    assert Objection.objects.count() == 1


def test_throttled_filing_says_so(posted: Any, settings: Any) -> None:
    settings.ZHICHENG_OBJECTION_THROTTLE = (1, 3600)
    url = reverse("publicity:detail", args=[posted.pk])
    c = Client(REMOTE_ADDR="198.51.100.1")
    c.post(url, {"contact": "13912345678", "text": "一"})
    response = c.post(url, {"contact": "13912345678", "text": "二"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "提交过于频繁" in html and "二" in html
    assert Objection.objects.count() == 1


def test_a_closed_publicity_shows_ended_and_refuses_objections(
    posted: Any, today: Any
) -> None:
    today("2024-10-10")
    close_due_publicities()
    url = reverse("publicity:detail", args=[posted.pk])
    html = Client().get(url).content.decode()
    assert "已结束" in html and "公示已结束，不再受理异议。" in html
    assert 'name="contact"' not in html
    assert "已结束" in Client().get(LIST).content.decode()
    response = Client().post(url, {"contact": "13912345678", "text": "迟到的异议"})
    assert response.status_code == 409
    assert "不再受理异议" in response.content.decode()
    assert not Objection.objects.exists()


def test_unknown_publicity_is_404() -> None:
    assert Client().get("/publicity/999999/").status_code == 404


# --- the organisation's side ----------------------------------------------------------------


def test_the_unit_resolves_its_objections_in_writing(posted: Any, unit_hr: Any) -> None:
    o = file_objection(posted, name="周某", contact="13912345678", text="学历造假", ip=None)
    c = client_for(unit_hr)
    html = c.get(reverse("publicity:objections")).content.decode()
    assert "学历造假" in html and "钱公示" in html
    url = reverse("publicity:resolve", args=[o.pk])
    response = c.post(url, {"outcome": "dismissed", "resolution": ""})
    assert response.status_code == 400
    assert "请书面填写处理意见" in response.content.decode()
    response = c.post(url, {"outcome": "dismissed", "resolution": "经学信网核验，学历真实。"})
    assert response.status_code == 302
    o.refresh_from_db()
    assert o.state == ObjectionState.RESOLVED and o.resolved_by == unit_hr
    assert "学历造假" not in c.get(reverse("publicity:objections")).content.decode()
    resolved = c.get(reverse("publicity:objections") + "?state=resolved").content.decode()
    assert "学历造假" in resolved


def test_others_get_404(
    posted: Any, other_unit_hr: Any, committee_office: Any, demo_users: Any
) -> None:
    o = file_objection(posted, name="", contact="13912345678", text="本单位专属异议", ip=None)
    url = reverse("publicity:resolve", args=[o.pk])
    applicant = client_for(posted.application.applicant)
    assert applicant.get(reverse("publicity:objections")).status_code == 404
    assert applicant.get(url).status_code == 404
    for official in (other_unit_hr, committee_office):
        c = client_for(official)
        assert c.get(url).status_code == 404
        assert c.post(url, {"outcome": "upheld", "resolution": "x"}).status_code == 404
        listing = c.get(reverse("publicity:objections"))
        assert listing.status_code == 200 and "本单位专属异议" not in listing.content.decode()
    # anonymous visitors are sent to log in
    assert Client().get(reverse("publicity:objections")).status_code == 302
    o.refresh_from_db()
    assert o.state == ObjectionState.OPEN


def test_the_committee_office_sees_only_its_own(
    make_application: Any, committee_office: Any, posted: Any, today: Any
) -> None:
    pre = open_publicity(
        make_application(State.PRE_EVALUATION_PUBLICITY, name="孔评前"), "pre_evaluation",
        committee_office,
    )
    file_objection(pre, name="", contact="13912345678", text="评前异议", ip=None)
    file_objection(posted, name="", contact="13912345678", text="单位异议", ip=None)
    html = client_for(committee_office).get(reverse("publicity:objections")).content.decode()
    assert "评前异议" in html and "单位异议" not in html


def test_list_hides_long_ended_publicities(posted: Any, today: Any) -> None:
    close_due_publicities(dt.date(2024, 10, 10))
    today("2024-11-20")
    assert "钱公示" not in Client().get(LIST).content.decode()
    assert Client().get(reverse("publicity:detail", args=[posted.pk])).status_code == 404


def test_the_objections_page_runs_a_constant_number_of_queries(
    posted: Any, unit_hr: Any, make_application: Any, django_assert_max_num_queries: Any
) -> None:
    c = client_for(unit_hr)
    file_objection(posted, name="", contact="13912345678", text="第一件", ip=None)
    c.get(reverse("publicity:objections"))  # warm the session
    with django_assert_max_num_queries(ORG_QUERIES):
        assert c.get(reverse("publicity:objections")).status_code == 200
    for i in range(10):
        p = open_publicity(make_application(name=f"多{i}"), "unit", unit_hr)
        file_objection(p, name="", contact="13912345678", text=f"异议{i}", ip=f"10.9.0.{i}")
    with django_assert_max_num_queries(ORG_QUERIES):
        html = c.get(reverse("publicity:objections")).content.decode()
    assert html.count("<tr>") == 12  # header + 11 objections


def test_the_list_opens_an_entrys_objection_form_on_demand(posted: Any) -> None:
    html = Client().get(LIST).content.decode()
    detail = reverse("publicity:detail", args=[posted.pk])
    # no form rendered per entry in the list: the entry's <details> fetches it when opened,
    # and without JavaScript its link leads to the entry's page, which has the form
    assert 'name="contact"' not in html
    assert f'hx-get="{detail}"' in html and f'href="{detail}#objection-{posted.pk}"' in html
    fragment = Client().get(detail, headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body
    assert f'id="objection-{posted.pk}"' in body and 'name="contact"' in body
    assert 'name="contact"' in Client().get(detail).content.decode()


def _pdf_text(content: bytes) -> str:
    import subprocess

    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    return "".join(text.split())


def test_the_batch_notice_prints_the_numbered_list_the_office_posts(
    posted: Any, make_application: Any, unit_hr: Any, today: Any,
) -> None:
    """One notice per batch (kind, office, plan row, period): title, office, period with its
    clause, the numbered list, where to object, the date; nothing private; other batches out."""
    same = open_publicity(make_application(name="孙同批"), "unit", unit_hr)
    today("2024-09-30")
    later = open_publicity(make_application(name="李下批"), "unit", unit_hr)
    page = Client().get(reverse("publicity:detail", args=[posted.pk])).content.decode()
    assert f'href="{reverse("publicity:notice", args=[posted.pk])}"' in page

    r = Client().get(reverse("publicity:notice", args=[posted.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = _pdf_text(r.content)
    office = posted.organisation.name
    assert f"{office}关于2024年度职称申报人员的公示" in text
    assert "（共2人）" in text and "2024年9月27日至2024年10月9日（5个工作日）" in text
    assert "1孙同批" in text and "2钱公示" in text and "李下批" not in text
    assert "四（二）" in text and "可实名或匿名" in text and "2024年9月27日" in text
    user = posted.application.applicant
    for secret in (user.id_number, user.phone, "0518-87654321", "海州区保密路88号"):
        assert secret not in text
    assert same.pk != later.pk
    assert Client().get(reverse("publicity:notice", args=[999999])).status_code == 404


def test_the_list_pages_without_counting_every_entry(
    posted: Any, make_application: Any, unit_hr: Any, monkeypatch: Any,
) -> None:
    """上一页 / 第N页 / 下一页 over the same rows in the same order as before, without
    "共M页" (it would need a count of the whole list); an old link past the end shows the
    last page."""
    import re

    from zhicheng.publicity import views

    for i in range(11):
        open_publicity(make_application(name=f"页{i:02d}"), "unit", unit_hr)
    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    ids = [int(pk) for pk in re.findall(
        r'id="publicity-(\d+)"', Client().get(LIST, {"page": 1}).content.decode())]

    def page(n: Any) -> tuple[list[int], str]:
        html = Client().get(LIST, {"page": n}).content.decode()
        return [int(pk) for pk in re.findall(r'id="publicity-(\d+)"', html)], html

    first, html = page(1)
    assert len(first) == 5 and first == ids
    assert "第1页" in html and "共" not in html[html.index('class="pagination"'):]
    assert "下一页" in html and "上一页" not in html and "page=2" in html
    second, html = page(2)
    last, html = page(3)
    assert len(second) == 5 and len(last) == 2
    assert "上一页" in html and "下一页" not in html and "第3页" in html
    assert len(set(first + second + last)) == 12  # every entry once, posted + 11
    from zhicheng.core import clock
    from zhicheng.publicity.queries import public_publicities

    assert first + second + last == list(
        public_publicities(clock.today()).values_list("pk", flat=True))
    assert page(99)[0] == last and "第3页" in page(99)[1]
    assert page("9" * 30)[0] == last and page("9" * 5000)[0] == last  # edited links
    assert page("x")[0] == first and page("0")[0] == first and page("-2")[0] == first

    english = Client()
    english.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    html = english.get(LIST, {"page": 3}).content.decode()
    pager = html[html.index('class="pagination"'):]
    pager = pager[:pager.index("</nav>")]
    assert "Page 3<" in pager and " of " not in pager
