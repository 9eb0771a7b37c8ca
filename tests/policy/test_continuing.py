"""二（九）: the continuing-education years start after the title the application builds on.

One boundary per route: a title on 31 December makes the next year the first one checked; a
title on 1 January of that next year moves the first year checked one later.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.policy.helpers import EXAMPLES, base, decide, messages, outcome

RULE = "continuing_education.hours"


def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def records(first: int, last: int = 2023) -> list[dict[str, Any]]:
    return [
        {
            "year": y,
            "public_hours": 30,
            "professional_hours": 60,
            "public_certificate": True,
        }
        for y in range(first, last + 1)
    ]


def checked(data: dict[str, Any]) -> tuple[str | None, str]:
    d = decide(data)
    return outcome(d, RULE), messages(d, RULE)


def first_year_checked(data: dict[str, Any]) -> int:
    """The earliest year the rule asks for: records from a later year on are not enough."""
    for start in range(2024, 2000, -1):
        data["continuing_education"] = records(start)
        result, _ = checked(data)
        if result == "pass":
            return start
    raise AssertionError("no start year passes")


def normal() -> dict[str, Any]:
    return base()  # 助理工程师 2016-12-20 -> 工程师


def same_level_transfer() -> dict[str, Any]:
    return example("transfer-same-level")  # 经济师 2018-11-01 -> 工程师, bachelor 2015


def education_exception() -> dict[str, Any]:
    data = example("local-title-exception")  # 中专 2015
    data["education"][0]["date"] = "2008-06-30"
    data["titles"] = [
        {"series": "engineering", "level": "intermediate", "date": "2020-06-01", "kind": "local"}
    ]
    return data


def junior_assessment() -> dict[str, Any]:
    """初级考核认定: 大专 2012, 技术员 2019 -> 助理工程师 (2 years after 员级)."""
    data = base()
    data["education"][0].update(level="junior_college", date="2012-06-30")
    data["titles"] = [{"series": "engineering", "level": "entry", "date": "2019-03-01"}]
    data["request"].update(level="assistant", route="assessment_recognition")
    return data


def transfer_wait() -> dict[str, Any]:
    return example("transfer-continuous-years")  # 经济师 2016-11-01, 转评工程师 2022-06-01


def set_anchor(data: dict[str, Any], day: str) -> None:
    """Move the title each builder lists first: the one the application builds on."""
    data["titles"][0]["date"] = day


ROUTES = {
    "normal": (normal, 2016),
    "same_level_transfer": (same_level_transfer, 2018),
    "education_exception": (education_exception, 2020),
    "junior_assessment": (junior_assessment, 2019),
    "transfer_wait": (transfer_wait, 2016),
}


@pytest.mark.parametrize("route", ROUTES)
def test_years_start_the_year_after_the_title_built_on(route):
    build, year = ROUTES[route]
    data = build()
    assert first_year_checked(data) == year + 1


@pytest.mark.parametrize("route", ROUTES)
def test_boundary_31_december_and_1_january(route):
    build, year = ROUTES[route]
    data = build()
    set_anchor(data, f"{year}-12-31")
    assert first_year_checked(data) == year + 1
    data = build()
    set_anchor(data, f"{year + 1}-01-01")
    assert first_year_checked(data) == year + 2


def test_same_level_transfer_is_not_asked_for_years_before_the_title():
    """Reproduction: 经济师 2018-11 transferring to 工程师 was refused for lacking 2016–2018."""
    data = same_level_transfer()
    data["continuing_education"] = records(2019)
    d = decide(data)
    assert outcome(d, RULE) == "pass"
    assert d.verdict == "eligible", d.to_text()
    assert "经济师" in messages(d, RULE) and "2019—2023" in messages(d, RULE)
    data["continuing_education"] = records(2020)
    result, text = checked(data)
    assert result == "fail"
    assert "未填写2019年度" in text and "经济师" in text and "2018" in text


def test_education_exception_starts_at_the_local_title():
    """Reproduction: 学历破格 with a 2020 local 中级 was refused for lacking 2009–2020."""
    data = education_exception()
    data["continuing_education"] = records(2021)
    d = decide(data)
    assert outcome(d, RULE) == "pass", d.to_text()
    assert outcome(d, "title.local_exception") == "pass"
    assert d.verdict == "eligible", d.to_text()
    assert "地方" in messages(d, RULE) and "2020-06-01" in messages(d, RULE)


def test_transfer_wait_counts_from_the_original_title():
    """二（八）1: years count continuously from the original title, so do the years checked."""
    data = transfer_wait()
    data["continuing_education"] = records(2018)
    result, text = checked(data)
    assert result == "fail" and "未填写2017年度" in text
    assert "2016-11-01" in text and "年限连续计算" in text


def test_first_title_starts_after_the_education():
    data = base()
    data["titles"] = []
    data["request"]["level"] = "assistant"  # bachelor 2015-06-30 + 1 year 见习
    assert first_year_checked(data) == 2016
    result, text = checked(data)
    assert result == "pass" and "大学本科学历" in text


def test_the_missing_years_are_named_together_with_what_they_follow():
    data = base()
    data["continuing_education"] = [r for r in records(2017) if r["year"] not in (2018, 2020)]
    result, text = checked(data)
    assert result == "fail"
    assert "2017—2023年度" in text and "未填写2018、2020年度" in text
    assert "助理工程师" in text


def test_a_title_in_the_cut_off_year_needs_no_records():
    data = base()
    data["titles"][0]["date"] = "2023-03-01"
    data["continuing_education"] = []
    result, text = checked(data)
    assert result == "pass" and "无完整年度" in text
