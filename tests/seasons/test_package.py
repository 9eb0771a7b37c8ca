"""The season package format (docs/seasons.md): read from a folder or a zip, every problem
named by file, row and field, and the engine's Season built from plain data."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

from tests.factories.seasons import copy_package, edit
from zhicheng.policy import Profile, evaluate
from zhicheng.policy.package import (
    derive,
    package_hash,
    read_package,
    season_from_data,
    set_value,
)
from zhicheng.policy.plans import season_dir

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "profiles"
    / "engineering-intermediate-eligible.json"
)


def test_the_2024_season_is_a_clean_package():
    data, problems = read_package(season_dir("lianyungang-2024"))
    assert problems == []
    assert set(data["texts"]) >= {"plans", "merges", "scope", "notice"}
    assert "连职称办〔2024〕4号" in data["texts"]["notice"]
    assert data["tables"]["organisations"]["city_office"]["short_name"] == "市职称办"
    season = season_from_data(data)
    assert season.seniority_cutoff == dt.date(2023, 12, 31)
    assert len(season.plans) == 53


def test_the_data_is_json_and_its_hash_is_stable():
    data, _ = read_package(season_dir("lianyungang-2024"))
    stored = json.loads(json.dumps(data))  # what the database gives back
    assert package_hash(stored) == package_hash(data)
    assert season_from_data(stored).dates["materials_cutoff"].value == dt.date(2024, 3, 31)


def test_a_zip_reads_like_the_folder(tmp_path: Path):
    folder = season_dir("lianyungang-2024")
    archive = tmp_path / "season.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in folder.iterdir():
            zf.write(path, f"lianyungang-2024/{path.name}")
    data, problems = read_package(archive)
    assert problems == []
    assert package_hash(data) == package_hash(read_package(folder)[0])


def test_every_problem_is_named_by_file_row_and_field(tmp_path: Path):
    folder = copy_package(tmp_path, "broken")
    (folder / "exams.toml").unlink()  # a missing file
    edit(folder, "season.toml", "value = 2024-11-30", "value = 2024-02-30")  # no such date
    # an unknown office
    edit(folder, "plans.csv", "1,统计（高级）,市统计局", "1,统计（高级）,市统计所")
    _data, problems = read_package(folder)
    text = [str(p) for p in problems]
    assert len(text) == 3, text
    assert any("exams.toml" in t and "缺少数据文件" in t for t in text), text
    assert any("season.toml" in t and "第26行" in t and "日期无效" in t for t in text), text
    assert any("plans.csv" in t and "第2行" in t and "市统计所" in t for t in text), text


def test_a_plan_row_naming_an_unknown_office_is_an_error(tmp_path: Path):
    folder = copy_package(tmp_path, "broken")
    edit(folder, "plans.csv", "1,统计（高级）,市统计局", "1,统计（高级）,市统计所")
    _data, problems = read_package(folder)
    assert [str(p) for p in problems] == [
        "[错误] plans.csv，第2行，“评委会办事机构”列：序号1的评委会办事机构“市统计所”不在"
        "organisations.toml中，请在机构文件中添加或改正名称"
    ]


def test_a_wrong_key_is_named(tmp_path: Path):
    folder = copy_package(tmp_path, "broken")
    edit(folder, "season.toml", "[dates.seniority_cutoff]", "[dates.seniority_cut_off]")
    _data, problems = read_package(folder)
    assert len(problems) == 1
    assert "season.toml" in str(problems[0]) and "dates.seniority_cutoff" in str(problems[0])


def test_a_manifest_is_required(tmp_path: Path):
    folder = copy_package(tmp_path, "broken")
    (folder / "manifest.toml").unlink()
    _data, problems = read_package(folder)
    assert [p.file for p in problems] == ["manifest.toml"]


def test_a_derived_season_moves_every_date_by_a_year():
    data, _ = read_package(season_dir("lianyungang-2024"))
    season = season_from_data(derive(data, "lianyungang-2025"))
    assert season.code == "lianyungang-2025" and season.year == 2025
    assert season.seniority_cutoff == dt.date(2024, 12, 31)
    assert season.name == "连云港市2025年度职称评审"


def test_the_engine_cites_the_data_it_was_built_from():
    data, _ = read_package(season_dir("lianyungang-2024"))
    moved = set_value(data, "season", "dates.seniority_cutoff.value", dt.date(2024, 6, 30))
    decision = evaluate(
        Profile.model_validate_json(EXAMPLE.read_text(encoding="utf-8")), season_from_data(moved)
    )
    assert decision.seniority is not None
    assert decision.seniority.counted_to == dt.date(2024, 6, 30)
