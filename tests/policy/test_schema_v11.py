"""Profile schema 1.1 and 1.2: what they can say that 1.0 could not, and older input read
through upgrade()."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.policy.helpers import EXAMPLES, base, decide, messages, outcome
from zhicheng.policy import Profile, evaluate
from zhicheng.policy.cli import parse_profile
from zhicheng.policy.profile import SCHEMA_VERSION, upgrade

PROFILES = sorted(p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".expected.json"))


def test_the_version_is_1_2():
    assert SCHEMA_VERSION == "1.2"


def test_a_1_1_document_is_a_1_2_document_but_for_its_version():
    data = {**base(), "schema_version": "1.1"}
    converted = upgrade(data)
    assert converted == {**data, "schema_version": "1.2"}
    assert evaluate(parse_profile(json.dumps(data))).to_dict() == \
        evaluate(parse_profile(json.dumps(converted))).to_dict()


def test_1_2_carries_what_the_form_prints_and_the_engine_ignores_it():
    """School, degree, duties, assessing unit, an achievement's source and the applicant's
    rank are printed on the 申报表; they change no verdict."""
    plain = upgrade(base())
    printed = json.loads(json.dumps(plain))
    for ed in printed["education"]:
        ed.update(school="南京工业大学", degree="工学学士")
    for w in printed["work_history"]:
        w["duties"] = "质量检验与标准化"
    for a in printed["annual_assessments"]:
        a["unit"] = "连云港某检测中心"
    for a in printed["achievements"]:
        a.update(source="《中国质量》", role="第1作者")
    profile = parse_profile(json.dumps(printed))
    assert profile.education[0].school == "南京工业大学"
    assert evaluate(profile).to_dict()["verdict"] == evaluate(
        parse_profile(json.dumps(plain))).to_dict()["verdict"]


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_a_1_0_document_decides_as_its_1_1_conversion(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == "1.0"
    converted = upgrade(data)
    assert converted["schema_version"] == SCHEMA_VERSION
    as_10 = evaluate(parse_profile(json.dumps(data))).to_dict()
    as_11 = evaluate(parse_profile(json.dumps(converted))).to_dict()
    assert as_10 == as_11


def test_education_level_is_derived_by_kind():
    data = upgrade(base())
    data["education"] = [
        {"kind": "technical_school", "technical_class": "senior_worker", "date": "2015-06-30"},
        {"kind": "training_certificate", "date": "2016-06-30"},
    ]
    d = decide(data)
    text = messages(d, "education.recognition")
    assert "视同大学专科学历" in text and "培训班证书" in text
    data["education"] = [{"kind": "full_time", "date": "2015-06-30"}]
    d = decide(data)
    assert outcome(d, "education.recognition") == "needs_review"
    assert "未填写学历层次" in messages(d, "education.recognition")


def test_integrity_record_kind_and_consequence():
    data = upgrade(base())
    data["integrity_records"] = [{"kind": "title_revoked", "recorded_on": "2022-03-01"}]
    d = decide(data)
    assert d.verdict == "ineligible" and "以弄虚作假取得职称被撤销" in messages(
        d, "integrity.record"
    )
    data["integrity_records"] = [
        {"kind": "other", "recorded_on": "2022-03-01", "consequence": "veto"}
    ]
    d = decide(data)
    assert d.verdict == "ineligible"
    assert "一票否决" in messages(d, "integrity.record") and "2025-03-01" in messages(
        d, "integrity.record"
    )
    data["integrity_records"][0]["consequence"] = "recorded"
    assert decide(data).verdict == "needs_review"


def test_other_applications_with_season_and_plan_row():
    data = upgrade(base())
    same = {"series": "engineering", "level": "intermediate", "season": 2024}
    data["other_applications"] = [{**same, "plan_row": 55}]  # the row of this request
    d = decide(data)
    assert outcome(d, "application.one_series") == "pass" and d.verdict == "eligible"
    assert "同一评委会" in messages(d, "application.one_series")
    data["other_applications"] = [{**same, "plan_row": 62}]
    d = decide(data)
    assert outcome(d, "application.one_series") == "needs_review"
    assert "附件第62行" in messages(d, "application.one_series")
    data["other_applications"] = [
        {"series": "economics", "level": "intermediate", "season": 2023, "plan_row": 43}
    ]
    assert outcome(decide(data), "application.one_series") == "pass"


def test_reused_achievement_names_the_year_and_evaluation():
    data = upgrade(base())
    data["achievements"].append(
        {
            "id": "a2",
            "title": "旧项目",
            "kind": "project",
            "date": "2019-05-01",
            "used_in": {"year": 2020, "evaluation": "工程技术系列助理级评审"},
        }
    )
    d = decide(data)
    assert [m.id for m in d.excluded_materials] == ["a2"]
    assert "已在2020年工程技术系列助理级评审" in messages(d, "materials.no_reuse")
    assert d.verdict == "eligible"


def _initial(**request):
    data = upgrade(base())
    data["titles"] = []
    data["education"] = [{"level": "bachelor", "date": "2022-06-30", "major_matches_work": True}]
    data["work_history"] = [{"start": "2022-07-01"}]
    data["request"].update(
        route="initial_determination",
        level="assistant",
        plan_row=66,
        application_date="2024-06-15",
        internship_assessment_passed=True,
        **request,
    )
    return data


def test_initial_assessment_must_follow_the_end_of_the_internship():
    assert decide(_initial(assessment_date="2023-07-10")).verdict == "eligible"
    d = decide(_initial(assessment_date="2023-06-29"))
    assert outcome(d, "initial.table") == "fail"
    assert "考察日期2023-06-29早于见习期满日期2023-06-30" in messages(d, "initial.table")
    d = decide(_initial(internship_end="2024-07-01", assessment_date="2024-07-02"))
    assert outcome(d, "initial.table") == "fail" and "见习未满" in messages(d, "initial.table")


def test_a_1_1_profile_without_the_new_fields_is_a_1_0_profile():
    data = base()
    data["schema_version"] = "1.1"
    assert Profile.model_validate(data).schema_version == "1.1"
