"""The supervision pages and exports per city (docs/seasons.md, 多城市): an office of 云湖市
asking for the other city's season by its code gets its own city's figures, in the pages and
in every export (the file names the season it holds)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client

from tests.factories.cities import YUNHU_SEASON, yunhu_official

pytestmark = pytest.mark.django_db

LYG_SEASON = "连云港市2024年度职称评审"


def test_another_citys_season_is_never_shown_or_exported(yunhu: Any, demo_users: Any) -> None:
    client = Client()
    client.force_login(yunhu_official())
    asked = {"season": "lianyungang-2024"}
    for url in ("/supervision/", "/supervision/statistics/"):
        page = client.get(url, asked).content.decode()
        assert YUNHU_SEASON in page and LYG_SEASON not in page, url
    for url in ("/supervision/export.xlsx", "/supervision/statistics/series.xlsx",
                "/supervision/statistics/data-report.xlsx"):
        response = client.get(url, asked)
        assert response.status_code == 200, url
        name = unquote(response["Content-Disposition"])
        assert YUNHU_SEASON in name and LYG_SEASON not in name, url

    lyg = Client()
    lyg.force_login(demo_users["city_office"])
    name = unquote(lyg.get("/supervision/export.xlsx", {"season": "yunhu-2024"})
                   ["Content-Disposition"])
    assert LYG_SEASON in name and YUNHU_SEASON not in name
