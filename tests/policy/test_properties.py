"""Hypothesis properties of seniority and verdicts."""

import copy
import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.policy.helpers import base, decide
from zhicheng.policy import Profile, load_catalogue, load_season
from zhicheng.policy.context import Context
from zhicheng.policy.season import DatedValue

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
dates = st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2024, 3, 31))
years = st.integers(min_value=2005, max_value=2024)
grades = st.sampled_from(["excellent", "competent", "basically_competent", "incompetent"])
RANK = {"eligible": 0, "needs_review": 1, "ineligible": 2}


def _profile(title: dt.date, work: list[tuple[dt.date, int]], grades_by_year: dict[int, str]):
    data = base()
    data["titles"][0]["date"] = title.isoformat()
    data["work_history"] = [
        {"start": start.isoformat(), "end": (start + dt.timedelta(days=length)).isoformat()}
        for start, length in work
    ]
    data["annual_assessments"] = [{"year": y, "grade": g} for y, g in grades_by_year.items()]
    return data


def _months(data, cutoff: dt.date | None = None) -> int:
    season = load_season()
    if cutoff is not None:
        season = dataclasses.replace(
            season,
            dates={**season.dates, "seniority_cutoff": DatedValue(cutoff, "二（二）", "test")},
        )
    ctx = Context(Profile.model_validate(data), season, load_catalogue())
    return ctx.count_seniority(ctx.profile.titles[0].date, "t", None).months_counted


work_periods = st.lists(
    st.tuples(dates, st.integers(min_value=1, max_value=4000)), min_size=1, max_size=3
)


@SETTINGS
@given(dates, work_periods, st.dictionaries(years, grades, max_size=5), years)
def test_an_excluded_assessment_year_never_adds_seniority(title, work, graded, extra_year):
    data = _profile(title, work, graded)
    before = _months(data)
    worse = copy.deepcopy(data)
    worse["annual_assessments"] = [
        a for a in worse["annual_assessments"] if a["year"] != extra_year
    ] + [{"year": extra_year, "grade": "basically_competent"}]
    assert _months(worse) <= before


@SETTINGS
@given(dates, work_periods, st.dictionaries(years, grades, max_size=5), dates, dates)
def test_a_later_cut_off_never_lowers_seniority(title, work, graded, c1, c2):
    early, late = sorted((c1, c2))
    data = _profile(title, work, graded)
    assert _months(data, early) <= _months(data, late)


sanctions = st.lists(
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["party_discipline", "government", "administrative", "other"]),
            "decided_on": st.dates(dt.date(2019, 1, 1), dt.date(2024, 6, 1)).map(str),
            "impact_until": st.one_of(
                st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2026, 1, 1)).map(str)
            ),
        }
    ),
    min_size=1,
    max_size=3,
)


@SETTINGS
@given(sanctions, st.integers(min_value=0, max_value=2), dates)
def test_removing_a_sanction_never_makes_the_verdict_worse(items, which, title):
    data = base()
    data["titles"][0]["date"] = min(title, dt.date(2019, 12, 31)).isoformat()
    data["sanctions"] = items
    with_all = decide(data)
    fewer = copy.deepcopy(data)
    del fewer["sanctions"][which % len(items)]
    without = decide(fewer)
    assert RANK[without.verdict] <= RANK[with_all.verdict]
    if with_all.verdict == "eligible":
        assert without.verdict == "eligible"


@SETTINGS
@given(
    st.sampled_from(["employed", "freelance", "civil_servant", "retired", "unemployed"]),
    st.sampled_from(["assistant", "intermediate", "associate_senior", "full_senior"]),
    dates,
    st.sampled_from(["normal", "education_exception", "assessment_recognition"]),
    st.sampled_from([None, 1, 4, 30, 55, 61, 66, 72]),
)
def test_an_ineligible_verdict_always_has_a_failing_finding(status, level, title, route, row):
    data = base()
    data["employment"]["status"] = status
    data["titles"][0]["date"] = title.isoformat()
    data["request"].update(level=level, route=route, plan_row=row)
    d = decide(data)
    failing = [f for f in d.findings if f.outcome == "fail"]
    assert (d.verdict == "ineligible") == bool(failing)
    if d.verdict == "needs_review":
        assert any(f.outcome == "needs_review" for f in d.findings)
