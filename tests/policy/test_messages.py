"""Findings never contradict each other or the verdict, and name the facts they used.

Properties over generated profiles (zhicheng.policy.sample, then edits hypothesis draws):

- a rule about one fact gives one conclusion: never a `pass` beside a `fail`/`needs_review`;
- a rule about several records gives one finding per record (the pass and the fail are about
  different records), and the plan rule's only pass is about the application date;
- an `eligible` verdict has no finding asking for a missing material;
- no message shows a code (an education level, a grade, a kind) instead of its name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any, get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.policy.helpers import base, decide, messages, outcome
from zhicheng.policy import Decision, Profile, evaluate
from zhicheng.policy import profile as schema
from zhicheng.policy.levels import LEVELS
from zhicheng.policy.sample import profile as sample_profile

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))

# Rules whose findings are one per record (and how many records the profile holds).
PER_RECORD = {
    "applicant.sanction": lambda p: len(p.sanctions),
    "integrity.record": lambda p: len(p.integrity_records),
    "education.recognition": lambda p: len(p.education),
    "application.one_series": lambda p: len(p.other_applications),
    "title.out_of_town": lambda p: len([t for t in p.titles if t.kind == "out_of_town"]),
    "qualification.mapping": lambda p: len(p.qualifications),
    "materials.cutoff": lambda p: len(p.achievements),
    "materials.no_reuse": lambda p: len(p.achievements),
}
ASKS_FOR_MATERIAL = re.compile("请补充|须补充|未提供|未填写|缺少|资料未")
CODES = {
    *get_args(schema.EducationLevel),
    *get_args(schema.EducationKind),
    *get_args(schema.Grade),
    *get_args(schema.IntegrityKind),
    *get_args(schema.TechnicalClass),
    *get_args(schema.Route),
    *LEVELS,
}
CODE_PATTERN = re.compile(
    r"(?<![A-Za-z_])(" + "|".join(sorted(CODES, key=len, reverse=True)) + r")(?![A-Za-z_])"
)


def contradictions(profile: Profile, decision: Decision) -> list[str]:
    problems = []
    by_rule: dict[str, list[Any]] = defaultdict(list)
    for f in decision.findings:
        by_rule[f.rule].append(f)
    for rule_id, found in by_rule.items():
        outcomes = {f.outcome for f in found}
        mixed = "pass" in outcomes and bool(outcomes & {"fail", "needs_review"})
        if rule_id in PER_RECORD:
            records = PER_RECORD[rule_id](profile)
            # one finding per record, plus at most one summary (count, or "none")
            if len(found) > records + 1:
                problems.append(f"{rule_id}: {len(found)} findings for {records} records")
        elif rule_id == "plan.acceptance_window":
            for f in found:
                if f.outcome == "pass" and not f.message.startswith("申报日期"):
                    problems.append(f"{rule_id}: a pass about the plan row beside {outcomes}")
        elif mixed:
            problems.append(f"{rule_id}: {[(f.outcome, f.message) for f in found]}")
    if decision.verdict == "eligible":
        for f in decision.findings:
            if ASKS_FOR_MATERIAL.search(f.message):
                problems.append(f"eligible, but {f.rule} asks: {f.message}")
    for f in decision.findings:
        code = CODE_PATTERN.search(f.message)
        if code or "None" in f.message:
            problems.append(f"{f.rule} shows a code: {f.message}")
    return problems


edits = st.fixed_dictionaries(
    {
        "drop_work_history": st.booleans(),
        "assessment": st.sampled_from([None, True, False]),
        "education_kind": st.sampled_from(
            [None, "training_certificate", "technical_school", "party_school", "military_academy"]
        ),
        "technical_class": st.sampled_from([None, "senior_worker", "preparatory_technician"]),
        "no_representative": st.booleans(),
        "integrity": st.sampled_from(
            [None, "fraud", "academic_misconduct", "false_pledge", "other"]
        ),
        "integrity_year": st.integers(2019, 2024),
        "local_title": st.sampled_from([None, "assistant", "intermediate"]),
        "accounting": st.booleans(),
        "professional_work": st.booleans(),
        "route": st.sampled_from(
            [
                None,
                "normal",
                "initial_determination",
                "same_level_transfer",
                "education_exception",
                "assessment_recognition",
            ]
        ),
        "level": st.sampled_from([None, *LEVELS]),
        "grade_year": st.sampled_from([None, 2019, 2021]),
    }
)


def edited(data: dict[str, Any], e: dict[str, Any]) -> dict[str, Any]:
    if e["drop_work_history"]:
        data["work_history"] = []
    if e["route"]:
        data["request"]["route"] = e["route"]
    if e["level"]:
        data["request"]["level"] = e["level"]
    if data["request"]["route"] == "initial_determination" or e["assessment"] is not None:
        data["request"]["internship_assessment_passed"] = e["assessment"]
    ed = data["education"][0]
    if e["education_kind"]:
        ed["kind"] = e["education_kind"]
        ed["technical_class"] = e["technical_class"]
    if e["no_representative"]:
        for a in data["achievements"]:
            a["representative"] = False
    if e["integrity"]:
        data["integrity_records"] = [
            {"kind": e["integrity"], "recorded_on": f"{e['integrity_year']}-03-01"}
        ]
    if e["local_title"]:
        data["titles"].append(
            {
                "series": data["request"]["series"],
                "level": e["local_title"],
                "date": "2019-05-01",
                "kind": "local",
            }
        )
    if e["accounting"]:
        data["request"].update(series="accounting", specialty="会计", plan_row=4)
    data["employment"]["professional_work"] = (
        e["professional_work"] or data["employment"]["status"] == "freelance"
    )
    if e["grade_year"]:
        data["annual_assessments"].append({"year": e["grade_year"], "grade": "basically_competent"})
    return data


@SETTINGS
@given(st.randoms(use_true_random=False), edits)
def test_findings_never_contradict_and_name_their_facts(rng, e):
    data = edited(sample_profile(rng), e)
    profile = Profile.model_validate(data)
    decision = evaluate(profile)
    assert not contradictions(profile, decision), decision.to_text()


@SETTINGS
@given(st.randoms(use_true_random=False))
def test_generated_profiles_unedited(rng):
    profile = Profile.model_validate(sample_profile(rng))
    decision = evaluate(profile)
    assert not contradictions(profile, decision), decision.to_text()


# The contradictions the issue lists, one by one.


def _initial(level: str = "assistant", **request: Any) -> dict[str, Any]:
    data = base()
    data["titles"] = []
    data["continuing_education"] = []
    data["education"] = [{"level": "bachelor", "date": "2022-06-30", "major_matches_work": True}]
    data["work_history"] = [{"start": "2022-07-01"}]
    data["request"].update(
        route="initial_determination",
        level=level,
        plan_row=66,
        application_date="2024-06-15",
        internship_assessment_passed=True,
        **request,
    )
    return data


def test_initial_table_never_passes_beside_an_unmet_internship():
    data = _initial()
    data["education"][0]["date"] = "2023-12-31"
    data["work_history"] = [{"start": "2024-01-01"}]
    d = decide(data)
    assert outcome(d, "initial.table") == "fail"
    assert [f.outcome for f in d.findings if f.rule == "initial.table"] == ["fail"]
    assert "见习未满" in messages(d, "initial.table") and "可初定" not in messages(
        d, "initial.table"
    )


def test_initial_table_does_not_say_one_may_be_determined_when_not_an_initial_applicant():
    data = _initial()
    data["education"][0]["date"] = "2019-06-30"  # matching major, before 2021: not 初定
    data["work_history"] = [{"start": "2019-07-01"}]
    d = decide(data)
    assert outcome(d, "initial.conditions") == "needs_review"
    assert "可初定" not in messages(d, "initial.table")
    data = _initial()
    d = decide(data)
    assert d.verdict == "eligible", d.to_text()
    assert outcome(d, "initial.table") == "pass" and "二（十一）2" in messages(d, "initial.table")


def test_excluded_year_names_its_grade():
    data = base()
    data["annual_assessments"] = [
        {"year": 2018, "grade": "basically_competent"},
        {"year": 2020, "grade": "incompetent"},
    ]
    text = messages(decide(data), "seniority.years")
    assert "2018年度考核基本合格（基本称职）" in text
    assert "2020年度考核不合格（不称职）" in text


def test_no_usable_representative_work_is_not_eligible():
    data = base()
    data["achievements"][0]["used_in_passed_evaluation"] = True
    d = decide(data)
    assert d.verdict == "needs_review"
    assert outcome(d, "materials.no_reuse") == "needs_review"
    assert "代表作" in messages(d, "materials.no_reuse")


def test_training_certificate_only_says_why_there_is_no_education():
    data = _initial()
    data["education"] = [
        {"level": "bachelor", "kind": "training_certificate", "date": "2022-06-30"}
    ]
    d = decide(data)
    text = messages(d, "initial.conditions")
    assert outcome(d, "initial.conditions") == "fail"
    assert "培训班证书" in text and "不能作为学历依据" in text and "二（三）4" in text
    prose = d.to_text()
    assert "培训班证书中专" not in prose and "培训班证书大学本科" not in prose
    assert "培训班证书，2022-06-30" in prose


def test_technical_school_is_named_by_its_class_not_a_level():
    data = base()
    data["education"] = [
        {
            "level": "secondary_vocational",
            "kind": "technical_school",
            "technical_class": "preparatory_technician",
            "date": "2015-06-30",
        }
    ]
    text = messages(decide(data), "education.recognition")
    assert "技工院校预备技师（技师）班" in text and "视同大学本科学历" in text
    assert "中专" not in text


def test_exam_instead_of_evaluation_has_no_spurious_review():
    data = base()
    data["titles"] = [{"series": "accounting", "level": "assistant", "date": "2016-12-20"}]
    data["request"].update(series="accounting", specialty="会计", level="intermediate", plan_row=4)
    d = decide(data)
    assert outcome(d, "exam.instead_of_evaluation") == "fail"
    assert outcome(d, "level.education_requirement") is None
    assert not any("学历资历条件" in f.message for f in d.findings)


def test_seniority_without_work_history_is_one_open_conclusion():
    data = base()
    data["work_history"] = []
    d = decide(data)
    found = [f for f in d.findings if f.rule == "seniority.years"]
    assert [f.outcome for f in found] == ["needs_review"]
    assert "未填写工作经历" in found[0].message and "已满足要求" in found[0].message
    data["titles"][0]["date"] = "2021-06-01"
    found = [f for f in decide(data).findings if f.rule == "seniority.years"]
    assert [f.outcome for f in found] == ["fail"] and "资历不足" in found[0].message


def test_the_date_of_the_base_profile_is_not_a_code():
    # A guard on the code pattern itself: dates, clause numbers and Chinese names pass.
    assert not CODE_PATTERN.search(f"自{dt.date(2016, 12, 20)}（二（二））起，大学本科")
    assert CODE_PATTERN.search("第1条学历（bachelor）")
