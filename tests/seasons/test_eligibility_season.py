"""`zhicheng eligibility --season CODE[@VERSION]`: decide under a stored season version."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from tests.factories.seasons import copy_package
from zhicheng.core.operations import SYSTEM
from zhicheng.policy.cli import main
from zhicheng.seasons.management.commands.eligibility import stored_season
from zhicheng.seasons.operations import correct_dates, load_package

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "profiles"
    / "engineering-intermediate-eligible.json"
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(EXAMPLE), *argv], out=out, err=err, resolve=stored_season)
    return code, out.getvalue(), err.getvalue()


def counted_to(output: str) -> str:
    return json.loads(output)["seniority"]["counted_to"]


@pytest.mark.django_db
def test_a_stored_version_is_chosen_by_number(season):
    correct_dates(SYSTEM, season, {"seniority_cutoff": dt.date(2023, 6, 30)})
    assert counted_to(run("--season", "lianyungang-2024@1")[1]) == "2023-12-31"
    assert counted_to(run("--season", "lianyungang-2024@2")[1]) == "2023-06-30"
    assert counted_to(run("--season", "lianyungang-2024")[1]) == "2023-06-30"  # published


@pytest.mark.django_db
def test_another_season_and_bad_choices_are_named(season, tmp_path, settings):
    settings.ZHICHENG_TODAY = "2025-07-15"
    load_package(SYSTEM, copy_package(tmp_path, "lianyungang-2025", years=1), publish=True)
    code, out, _err = run("--season", "lianyungang-2025")
    assert code == 0 and json.loads(out)["season"] == "lianyungang-2025"
    code, _out, err = run("--season", "lianyungang-2024@9")
    assert code == 1 and "没有第9版" in err
    code, _out, err = run("--season", "lianyungang-2024@x")
    assert code == 1 and "版本号" in err


def test_without_a_database_a_package_path_is_a_season(tmp_path):
    folder = copy_package(tmp_path, "some-city-2024")
    out, err = io.StringIO(), io.StringIO()
    assert main([str(EXAMPLE), "--season", str(folder)], out=out, err=err) == 0
    assert json.loads(out.getvalue())["season"] == "some-city-2024"
