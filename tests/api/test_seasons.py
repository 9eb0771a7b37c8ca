"""The seasons in the JSON API: published seasons and their public versions (drafts hidden)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.api import assert_error
from tests.factories.seasons import copy_package
from zhicheng.core.operations import SYSTEM
from zhicheng.seasons.operations import correct_dates, load_package

pytestmark = pytest.mark.django_db


def test_seasons_list_their_published_versions(api, season, tmp_path):
    correct_dates(SYSTEM, season, {"seniority_cutoff": dt.date(2023, 6, 30)})
    load_package(SYSTEM, copy_package(tmp_path, "lianyungang-2025", years=1))  # a draft
    items = api.get("/api/seasons").json()["items"]
    assert [s["code"] for s in items] == ["lianyungang-2024"]  # the draft season is not public
    only = items[0]
    assert only["current"] is True and only["published_version"] == 2
    assert only["seniority_cutoff"] == "2023-06-30"
    assert [(v["number"], v["status_label"]) for v in only["versions"]] == [
        (1, "已被更正版本取代"), (2, "已发布")
    ]
    assert len(only["versions"][1]["sha256"]) == 64
    detail = api.get("/api/seasons/lianyungang-2024").json()
    assert detail == only
    assert_error(api.get("/api/seasons/lianyungang-2025"), 404, "not_found")
