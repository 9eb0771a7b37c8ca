"""Two cities on one installation (docs/seasons.md, 多城市): Lianyungang's 2024 season and a
fictitious city's (云湖市, tests/seasons/cities/yunhu-2024) side by side. Each city's office
sees only its own dossiers, plans and figures; each city's public pages show only its seasons;
a past season stays readable (往届)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories.cities import YUNHU_SEASON, yunhu_package
from tests.factories.reviews import official  # noqa: F401  (fixture)
from tests.factories.seasons import copy_package
from zhicheng.core.operations import SYSTEM
from zhicheng.seasons.operations import load_package

pytestmark = pytest.mark.django_db

LYG_SEASON = "连云港市2024年度职称评审"


def dossier(season: Any, specialty: str) -> Any:
    """A dossier waiting at the committee re-check in `season` (read-side tests only)."""
    from zhicheng.accounts.models import User
    from zhicheng.applications.models import Application
    from zhicheng.catalogue.models import Series

    applicant = User.objects.create_user(
        username=f"city_applicant_{season.code}", password="pw-zhicheng-2024",
        full_name=f"{specialty}申报人", email=f"{season.code}@example.invalid",
    )
    return Application.objects.create(
        applicant=applicant, season=season, plan=season.plans.order_by("row").first(),
        series=Series.objects.get(code="engineering"), specialty=specialty,
        level="intermediate", state="committee_recheck", submitted_at=timezone.now(),
    )


def choose(client: Client, code: str) -> str:
    response = client.post("/cities/choose/", {"city": code}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def plan_specialties(html: str) -> set[str]:
    return set(re.findall(r"<strong[^>]*>([^<]+)</strong>", html))


def test_each_city_owns_its_season_and_organisations(yunhu: Any) -> None:
    from zhicheng.orgs.models import Organisation
    from zhicheng.seasons.models import Season

    lyg = Season.objects.get(code="lianyungang-2024")
    assert (yunhu.owner.code, yunhu.owner.name) == ("yunhu", "云湖市")
    assert (lyg.owner.code, lyg.owner.name) == ("lianyungang", "连云港市")
    # each city keeps its own current season
    assert yunhu.is_current and lyg.is_current
    assert Organisation.objects.get(short_name="云湖市职称办").city == yunhu.owner
    assert Organisation.objects.get(short_name="市职称办").city == lyg.owner
    assert yunhu.plans.get(row=1).office.short_name == "云湖市工信局"


def test_a_visitor_chooses_a_city_and_sees_only_its_seasons(yunhu: Any) -> None:
    client = Client()
    home = client.get("/").content.decode()
    # no season yet: the chooser names both cities
    assert "选择城市" in home and "云湖市" in home and "连云港市" in home
    assert YUNHU_SEASON not in home and LYG_SEASON not in home

    home = choose(client, "yunhu")
    assert YUNHU_SEASON in home and LYG_SEASON not in home
    assert "<title>首页 · 云湖市职称评审</title>" in home
    plans = client.get("/plans/").content.decode()
    assert "云湖工程技术（中级）" in plans and "统计（高级）" not in plans
    notices = client.get("/notices/").content.decode()
    assert "云湖市职称评审工作的通知" in notices and "全市职称评审工作的通知" not in notices

    home = choose(client, "lianyungang")
    assert LYG_SEASON in home and YUNHU_SEASON not in home
    plans = client.get("/plans/").content.decode()
    assert "统计（高级）" in plans and "云湖工程技术（中级）" not in plans
    # a city that has no published season cannot be chosen: the visitor keeps their city
    assert LYG_SEASON in choose(client, "nowhere")


def test_one_city_has_no_chooser(season: Any, client: Client) -> None:
    home = client.get("/").content.decode()
    assert LYG_SEASON in home
    assert "选择城市" not in home and "切换城市" not in home
    assert "<title>首页 · 连云港市职称评审</title>" in home


def test_a_second_city_publishing_its_season_shows_the_chooser_at_once(
    season: Any, settings: Any, tmp_path: Path, client: Client
) -> None:
    """The cities with seasons are cached for every page; publishing a season, or renaming
    a city, must show on the very next page, not after the cache expires."""
    from zhicheng.orgs.models import City

    home = client.get("/").content.decode()
    assert "选择城市" not in home and "<title>首页 · 连云港市职称评审</title>" in home
    settings.ZHICHENG_TODAY = "2024-07-15"
    load_package(SYSTEM, yunhu_package(tmp_path), publish=True, publish_on=dt.date(2024, 5, 10))
    home = client.get("/").content.decode()
    assert "选择城市" in home and "云湖市" in home
    assert "<title>选择城市 · 职称评审</title>" in home  # no city is the site's any more

    city = City.objects.get(code="yunhu")
    city.name = "云湖新市"
    city.save()
    assert "云湖新市" in client.get("/").content.decode()


def test_each_city_office_sees_only_its_own_dossiers(
    yunhu: Any, demo_users: Any, official: Any  # noqa: F811
) -> None:
    from zhicheng.reviews.queries import reviewable, worklist
    from zhicheng.seasons.models import Season

    lyg = Season.objects.get(code="lianyungang-2024")
    mine, theirs = dossier(yunhu, "云湖示例专业"), dossier(lyg, "连云港示例专业")
    yunhu_office = official("city_office", "云湖市职称工作领导小组办公室（示例）", "云湖主任")
    lyg_office = demo_users["city_office"]

    assert set(reviewable(yunhu_office).filter(pk__in=[mine.pk, theirs.pk])) == {mine}
    assert set(reviewable(lyg_office).filter(pk__in=[mine.pk, theirs.pk])) == {theirs}
    assert mine in worklist(yunhu_office) and theirs not in worklist(yunhu_office)

    client = Client()
    client.force_login(yunhu_office)
    # the portal opens on the city the official serves, without the chooser
    assert YUNHU_SEASON in client.get("/").content.decode()
    assert client.get(f"/supervision/dossier/{mine.pk}/").status_code == 200
    assert client.get(f"/supervision/dossier/{theirs.pk}/").status_code == 404
    other_plan = lyg.plans.order_by("row").first()
    assert client.get(f"/supervision/plan/{other_plan.pk}/").status_code == 404
    # the dashboard and the plan import offer only the office's own city's seasons
    board = client.get("/supervision/").content.decode()
    assert YUNHU_SEASON in board and LYG_SEASON not in board
    upload = client.get("/supervision/plan-import/").content.decode()
    yunhu_pk = Season.objects.get(code="yunhu-2024").pk
    assert f'<option value="{yunhu_pk}"' in upload and f'<option value="{lyg.pk}"' not in upload


def test_a_city_office_may_not_act_on_another_citys_season(
    yunhu: Any, demo_users: Any, official: Any  # noqa: F811
) -> None:
    from zhicheng.orgs.permissions import is_city_office
    from zhicheng.seasons.models import Season

    lyg = Season.objects.get(code="lianyungang-2024")
    yunhu_office = official("city_office", "云湖市职称工作领导小组办公室（示例）")
    theirs = dossier(lyg, "连云港示例专业")
    assert is_city_office(yunhu_office, yunhu)
    assert not is_city_office(yunhu_office, lyg)
    assert not is_city_office(yunhu_office, theirs)
    assert not yunhu_office.has_perm("seasons.manage_season", lyg)
    assert demo_users["city_office"].has_perm("seasons.manage_season", lyg)


def test_past_seasons_stay_readable(season: Any, settings: Any, tmp_path: Path) -> None:
    settings.ZHICHENG_TODAY = "2024-07-15"
    load_package(SYSTEM, copy_package(tmp_path, "lianyungang-2023", years=-1), publish=True,
                 publish_on=dt.date(2023, 5, 8))
    client = Client()
    home = client.get("/").content.decode()
    assert LYG_SEASON in home  # the newer season stays current
    assert "往届" in home and 'href="/seasons/lianyungang-2023/"' in home

    page = client.get("/seasons/lianyungang-2023/").content.decode()
    assert "连云港市2023年度职称评审" in page and "往届评审年度" in page
    plans = client.get("/seasons/lianyungang-2023/plans/").content.decode()
    assert 'id="past-season"' in plans and "2023年职称评审计划表" in plans
    assert "统计（高级）" in plans
    assert 'action="/seasons/lianyungang-2023/plans/"' in plans  # its filters stay on it
    notice = client.get("/seasons/lianyungang-2023/notice/")
    assert notice.status_code == 200
    # the current season's own page is not a past one
    assert "往届评审年度" not in client.get("/seasons/lianyungang-2024/").content.decode()
    assert client.get("/seasons/no-such-season/").status_code == 404


def test_each_city_office_runs_only_its_own_seasons_in_the_browser(
    yunhu: Any, demo_users: Any, official: Any  # noqa: F811
) -> None:
    from zhicheng.core.operations import NotPermitted
    from zhicheng.seasons.models import Season
    from zhicheng.seasons.operations import derive_draft

    lyg = Season.objects.get(code="lianyungang-2024")
    yunhu_office = official("city_office", "云湖市职称工作领导小组办公室（示例）", "云湖主任")
    client = Client()
    client.force_login(yunhu_office)
    page = client.get("/supervision/seasons/").content.decode()
    # the list and the derive form name only the office's own city; the proposed code and
    # its help come from the city's current season, not from a code in the program
    assert YUNHU_SEASON in page and LYG_SEASON not in page
    assert 'value="yunhu-2025"' in page and "例如 yunhu-2025" in page
    assert client.get(f"/supervision/seasons/lianyungang-2024/v{lyg.published_version.number}/") \
        .status_code == 404
    assert client.get(f"/supervision/seasons/yunhu-2024/v{yunhu.published_version.number}/") \
        .status_code == 200
    with pytest.raises(NotPermitted):
        derive_draft(yunhu_office, lyg.published_version, "stolen-2025", "他市草稿")
    assert not Season.objects.filter(code="stolen-2025").exists()

    lyg_client = Client()
    lyg_client.force_login(demo_users["city_office"])
    page = lyg_client.get("/supervision/seasons/").content.decode()
    assert LYG_SEASON in page and YUNHU_SEASON not in page
    assert "例如 lianyungang-2025" in page


def test_a_past_seasons_publicity_lists_are_read_from_its_page(
    season: Any, settings: Any, tmp_path: Path
) -> None:
    from zhicheng.accounts.models import User
    from zhicheng.applications.models import Application
    from zhicheng.catalogue.models import Series
    from zhicheng.orgs.models import Organisation
    from zhicheng.publicity.models import Publicity
    from zhicheng.seasons.models import Season

    settings.ZHICHENG_TODAY = "2024-07-15"
    load_package(SYSTEM, copy_package(tmp_path, "lianyungang-2023", years=-1), publish=True,
                 publish_on=dt.date(2023, 5, 8))
    past = Season.objects.get(code="lianyungang-2023")

    def posted(in_season: Any, name: str) -> Publicity:
        applicant = User.objects.create_user(username=f"pub-{in_season.code}", full_name=name,
                                             password="pw-zhicheng-2024")
        app = Application.objects.create(
            applicant=applicant, season=in_season, plan=in_season.plans.order_by("row").first(),
            series=Series.objects.get(code="engineering"), specialty="示例专业",
            level="intermediate", state="result_publicity", submitted_at=timezone.now())
        # the result publicity of a meeting held late: it runs on the test's day
        return Publicity.objects.create(
            application=app, kind="result", organisation=Organisation.objects.get(
                short_name="市职称办"), first_day=dt.date(2024, 7, 10),
            last_day=dt.date(2024, 7, 16), required_workdays=5,
            parameter="periods.result_publicity_workdays", clause="五（二）")

    posted(past, "往届公示人")
    posted(season, "本届公示人")
    client = Client()
    page = client.get("/seasons/lianyungang-2023/").content.decode()
    assert 'href="/publicity/?season=lianyungang-2023"' in page and 'href="/verify/"' in page
    listing = client.get("/publicity/?season=lianyungang-2023").content.decode()
    assert "往届公示人" in listing and "本届公示人" not in listing
    assert "连云港市2023年度职称评审的公示" in listing
    entry = Publicity.objects.get(application__applicant__full_name="往届公示人")
    detail = client.get(f"/publicity/{entry.pk}/").content.decode()
    assert "连云港市2023年度职称评审" in detail  # each publicity names its season
