"""二（二）: seniority to the cut-off, excluded assessment years, materials cut-off, boundaries."""

import dataclasses

from tests.policy.helpers import base, day, decide, messages, outcome
from zhicheng.policy import load_season
from zhicheng.policy.season import DatedValue


def test_cut_off_day_counts_exactly_four_years():
    data = base()
    data["titles"][0]["date"] = "2019-12-31"
    d = decide(data)
    assert d.verdict == "eligible"
    assert d.seniority is not None and d.seniority.months_counted == 48
    assert "2023-12-31" in messages(d, "seniority.years")


def test_one_day_later_falls_short():
    data = base()
    data["titles"][0]["date"] = "2020-01-01"
    d = decide(data)
    assert d.verdict == "ineligible"
    assert outcome(d, "seniority.years") == "fail"
    assert "47个月" in messages(d, "seniority.years")


def test_basically_competent_year_is_excluded_and_named():
    data = base()
    data["titles"][0]["date"] = "2019-12-31"
    data["annual_assessments"] = [{"year": 2022, "grade": "basically_competent"}]
    d = decide(data)
    assert d.verdict == "ineligible"
    assert d.seniority is not None
    assert d.seniority.months_counted == 36
    assert [y.year for y in d.seniority.excluded_years] == [2022]
    assert d.seniority.excluded_years[0].months == 12
    assert "2022年度" in messages(d, "seniority.years")


def test_incompetent_year_before_the_title_does_not_matter():
    data = base()
    data["titles"][0]["date"] = "2019-12-31"
    data["annual_assessments"] = [{"year": 2018, "grade": "incompetent"}]
    d = decide(data)
    assert d.verdict == "eligible"
    assert d.seniority is not None and d.seniority.excluded_years == []


def test_gap_in_professional_work_is_not_counted():
    data = base()
    data["titles"][0]["date"] = "2017-12-31"
    data["work_history"] = [
        {"start": "2015-07-01", "end": "2019-12-31"},
        {"start": "2021-01-01", "end": None},
    ]
    d = decide(data)
    assert d.seniority is not None
    assert d.seniority.months_counted == 24 + 36
    assert d.seniority.months_outside_professional_work == 12


def test_leap_day_title_with_a_leap_year_cut_off():
    season = load_season()
    text = season.dates["seniority_cutoff"].text
    data = base()
    data["titles"][0]["date"] = "2020-02-29"
    for cutoff, verdict in (("2024-02-28", "ineligible"), ("2024-02-29", "eligible")):
        moved = dataclasses.replace(
            season,
            dates={
                **season.dates,
                "seniority_cutoff": DatedValue(day(cutoff), "二（二）", text),
            },
        )
        assert decide(data, season=moved).verdict == verdict, cutoff


def test_materials_cut_off_is_inclusive_and_exclusion_is_not_a_failure():
    data = base()
    data["achievements"] = [
        {
            "id": "on",
            "title": "截止当日",
            "kind": "paper",
            "date": "2024-03-31",
            "representative": True,
        },
        {
            "id": "late",
            "title": "次日",
            "kind": "paper",
            "date": "2024-04-01",
            "representative": True,
        },
    ]
    d = decide(data)
    assert d.verdict == "eligible"
    assert [m.id for m in d.excluded_materials] == ["late"]
    assert outcome(d, "materials.cutoff") == "pass"
    assert "2024-04-01" in messages(d, "materials.cutoff")


def test_reused_material_is_excluded_without_failing():
    data = base()
    data["achievements"].append(
        {
            "id": "old",
            "title": "旧论文",
            "kind": "paper",
            "date": "2015-01-01",
            "used_in_passed_evaluation": True,
        }
    )
    d = decide(data)
    assert d.verdict == "eligible"
    assert "old" in [m.id for m in d.excluded_materials]
    assert not [f for f in d.findings if f.outcome == "fail"]


def test_education_after_materials_cut_off_is_not_recognised():
    data = base()
    data["education"].append({"level": "master", "date": "2024-06-30"})
    d = decide(data)
    assert d.verdict == "eligible"
    assert "education[1]" in [m.id for m in d.excluded_materials]
    assert "晚于学历（学位）截止时间2024-03-31" in messages(d, "education.recognition")
