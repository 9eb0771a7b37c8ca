"""A visitor reads a past season (往届) by clicking: from the home page to the past season's
page, to its publicity list (that season's entries only), to one entry naming its season."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.factories.seasons import copy_package
from zhicheng.core.operations import SYSTEM
from zhicheng.seasons.operations import load_package

pytestmark = pytest.mark.browser


def posted(in_season: Any, name: str) -> Any:
    """A result publicity of `in_season` running on the test's day (test setup)."""
    from zhicheng.accounts.models import User
    from zhicheng.applications.models import Application
    from zhicheng.catalogue.models import Series
    from zhicheng.orgs.models import Organisation
    from zhicheng.publicity.models import Publicity

    applicant = User.objects.create_user(username=f"pub-{in_season.code}", full_name=name,
                                         password="pw-zhicheng-2024")
    app = Application.objects.create(
        applicant=applicant, season=in_season, plan=in_season.plans.order_by("row").first(),
        series=Series.objects.get(code="engineering"), specialty="示例专业",
        level="intermediate", state="result_publicity", submitted_at=timezone.now())
    return Publicity.objects.create(
        application=app, kind="result",
        organisation=Organisation.objects.get(short_name="市职称办"),
        first_day=dt.date(2024, 7, 10), last_day=dt.date(2024, 7, 16), required_workdays=5,
        parameter="periods.result_publicity_workdays", clause="五（二）")


def test_a_visitor_clicks_through_a_past_seasons_publicity(
    page: Any, live_server: Any, season: Any, settings: Any, tmp_path: Path
) -> None:
    from zhicheng.seasons.models import Season

    settings.ZHICHENG_TODAY = "2024-07-15"
    load_package(SYSTEM, copy_package(tmp_path, "lianyungang-2023", years=-1), publish=True,
                 publish_on=dt.date(2023, 5, 8))
    posted(Season.objects.get(code="lianyungang-2023"), "往届公示人")
    posted(season, "本届公示人")

    page.goto(f"{live_server.url}/")
    page.click("text=连云港市2023年度职称评审")
    page.wait_for_selector("#season-links")
    assert "往届评审年度" in page.inner_text("main")
    page.click("#season-links >> text=该年度的公示名单")
    page.wait_for_selector("#publicity-season")
    listing = page.inner_text("main")
    assert "往届公示人" in listing and "本届公示人" not in listing
    page.click("text=往届公示人")
    page.wait_for_selector(".zc-publicity-entry")
    assert "连云港市2023年度职称评审" in page.inner_text(".zc-publicity-entry")
