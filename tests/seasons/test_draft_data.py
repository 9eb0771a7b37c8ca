"""The plain-data edits the city office's draft pages make (policy.package, no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhicheng.policy.package import (
    canonical,
    parameters,
    plan_records,
    read_package,
    set_value,
    validate,
    with_department,
    with_not_office,
    with_plan_row,
)

PACKAGE = Path(__file__).resolve().parents[2] / "src/zhicheng/policy/seasons/lianyungang-2024"


@pytest.fixture(scope="module")
def data():
    read, problems = read_package(PACKAGE)
    assert not [p for p in problems if p.severity == "error"]
    return read


def test_a_new_row_lands_in_order_and_the_original_is_untouched(data):
    before = canonical(data)
    new = with_plan_row(data, {"row": "5", "specialty": "测试专业", "office": "市统计局"})
    assert canonical(data) == before
    rows = [r["row"] for r in plan_records(new)]
    assert rows == sorted(rows, key=int) and "5" in rows
    assert not [p for p in validate(new) if p.severity == "error"]


def test_a_typed_value_replaces_the_merge_of_that_cell(data):
    assert "3,office,2," in data["texts"]["merges"]
    new = with_plan_row(data, {"row": "3", "specialty": "运动防护师", "office": "市体育局"})
    assert "3,office,2," not in new["texts"]["merges"]
    assert "3,phone,2," in new["texts"]["merges"]  # the cells still blank keep theirs
    assert not [p for p in validate(new) if p.severity == "error"]


def test_an_office_the_package_does_not_name_is_a_problem_until_decided(data):
    new = with_plan_row(data, {"row": "74", "specialty": "数据工程", "office": "市数据局"})
    problems = [str(p) for p in validate(new)]
    assert problems == [
        "[错误] plans.csv，第55行，“评委会办事机构”列：序号74的评委会办事机构“市数据局”"
        "不在organisations.toml中，请在机构文件中添加或改正名称"
    ]
    assert validate(with_department(new, "连云港市数据局", "市数据局", "测试")) == []
    assert validate(with_not_office(new, "市数据局")) == []


def test_parameters_name_their_clause_and_edit_by_path(data):
    found = {p.key: p for p in parameters(data)}
    threshold = found["initial_determination:recent_from_year"]
    assert threshold.value == 2022 and threshold.clause == "二（十一）"
    assert found["season:periods.unit_publicity_workdays.value"].clause == "四（二）"
    cutoff = found["season:dates.seniority_cutoff.value"]
    assert cutoff.kind == "date" and cutoff.clause == "二（二）"
    moved = set_value(data, threshold.part, threshold.path, 2023)
    assert {p.key: p for p in parameters(moved)}[threshold.key].value == 2023
    assert not [p for p in validate(moved) if p.severity == "error"]
