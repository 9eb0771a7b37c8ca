"""Only the city title office opens the supervision pages; nobody else gets a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/supervision/",
    "/supervision/export.xlsx",
    "/supervision/statistics/",
    "/supervision/statistics/series.xlsx",
    "/supervision/statistics/data-report.xlsx",
]


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitors_are_sent_to_the_login_page(client, season, url):
    r = client.get(url)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.mark.parametrize(
    "username", ["applicant", "gongxin_committee", "haizhou_reviewer", "unit_hr", "expert"]
)
@pytest.mark.parametrize("url", URLS)
def test_other_roles_are_refused(client, demo_users, username, url):
    client.force_login(demo_users[username])
    r = client.get(url)
    assert r.status_code == 403
    assert "仅向市职称办工作人员开放" in r.content.decode()


def test_drill_down_pages_are_refused_to_a_committee_office(client, demo_users, build):
    app = build.app(build.plan(1), "committee_recheck")
    client.force_login(demo_users["gongxin_committee"])
    assert client.get(f"/supervision/plan/{app.plan_id}/").status_code == 403
    assert client.get(f"/supervision/dossier/{app.pk}/").status_code == 403


def test_the_city_office_opens_every_page(city_client, build):
    app = build.app(build.plan(1), "committee_recheck")
    for url in [*URLS, f"/supervision/plan/{app.plan_id}/", f"/supervision/dossier/{app.pk}/"]:
        assert city_client.get(url).status_code == 200, url


def test_unknown_objects_are_404_not_500(city_client, season):
    assert city_client.get("/supervision/plan/999999/").status_code == 404
    assert city_client.get("/supervision/dossier/999999/").status_code == 404
    assert city_client.get("/supervision/statistics/nonsense.xlsx").status_code == 404
    # An unknown season code falls back to the current season.
    r = city_client.get("/supervision/?season=no-such-season")
    assert r.status_code == 200 and season.name in r.content.decode()


def test_a_draft_is_not_the_city_offices_to_see(city_client, build):
    draft = build.app(build.plan(1), "draft")
    assert city_client.get(f"/supervision/dossier/{draft.pk}/").status_code == 404


def test_the_nav_shows_the_link_to_the_city_office_only(client, demo_users, season):
    client.force_login(demo_users["city_office"])
    assert 'href="/supervision/"' in client.get("/").content.decode()
    client.force_login(demo_users["gongxin_committee"])
    assert 'href="/supervision/"' not in client.get("/").content.decode()


def test_the_pages_speak_english_on_request(city_client, build):
    build.app(build.plan(1), "passed")
    city_client.post("/i18n/setlang/", {"language": "en", "next": "/supervision/"})
    html = city_client.get("/supervision/").content.decode()
    assert "Progress overview" in html and "Corrections overdue" in html
    stats = city_client.get("/supervision/statistics/").content.decode()
    assert "By age band" in stats and "Year on year: needs two seasons" in stats
