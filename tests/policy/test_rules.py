"""Each rule of 一 and 二 at its boundaries, through evaluate()."""

import datetime as dt

import pytest

from tests.policy.helpers import base, day, decide, messages, outcome


def test_sanction_impact_period_boundary():
    data = base()
    date = data["request"]["application_date"]
    data["sanctions"] = [
        {"kind": "party_discipline", "decided_on": "2023-01-01", "impact_until": date}
    ]
    d = decide(data)
    assert d.verdict == "ineligible" and outcome(d, "applicant.sanction") == "fail"
    assert date in messages(d, "applicant.sanction")
    data["sanctions"][0]["impact_until"] = str(day(date) - dt.timedelta(days=1))
    assert decide(data).verdict == "eligible"


def test_sanction_without_end_date_goes_to_a_person():
    data = base()
    data["sanctions"] = [{"kind": "government", "decided_on": "2023-01-01"}]
    d = decide(data)
    assert d.verdict == "needs_review" and outcome(d, "applicant.sanction") == "needs_review"


def test_other_handling_is_not_a_sanction():
    data = base()
    data["sanctions"] = [
        {"kind": "other", "name": "诫勉", "decided_on": "2024-01-01", "impact_until": "2025-01-01"}
    ]
    assert decide(data).verdict == "eligible"


def test_integrity_record_expires_after_three_years():
    data = base()
    date = day(data["request"]["application_date"])
    record = date.replace(year=date.year - 3)
    for kind, within in (("fraud", "ineligible"), ("other", "needs_review")):
        data["integrity_records"] = [
            {"kind": kind, "recorded_on": str(record - dt.timedelta(days=1))}
        ]
        assert decide(data).verdict == "eligible"
        data["integrity_records"][0]["recorded_on"] = str(record)
        assert decide(data).verdict == within


@pytest.mark.parametrize("kind", ["fraud", "academic_misconduct", "false_pledge"])
def test_fraud_misconduct_and_false_pledge_bar_for_the_stated_period(kind):
    """五（四） 一票否决, 人社部发〔2024〕56号: ineligible while the 3 years run, not review."""
    data = base()
    data["integrity_records"] = [
        {"kind": kind, "recorded_on": "2022-03-01", "description": "以抄袭论文取得的职称被撤销"}
    ]
    d = decide(data)
    assert d.verdict == "ineligible" and outcome(d, "integrity.record") == "fail"
    text = messages(d, "integrity.record")
    # The record (date, kind, what happened), the end of the bar and the rule it rests on.
    assert "2022-03-01" in text and "以抄袭论文取得的职称被撤销" in text
    assert "至2025-03-01" in text
    finding = next(f for f in d.findings if f.rule == "integrity.record")
    assert finding.clause == "五（四）"
    expected = "人社部发〔2024〕56号" if kind == "false_pledge" else "一票否决"
    assert expected in text


def test_other_records_go_to_review_and_a_stated_bar_still_bars():
    data = base()
    data["integrity_records"] = [{"kind": "other", "recorded_on": "2022-03-01"}]
    d = decide(data)
    assert d.verdict == "needs_review"
    assert "其他失信行为" in messages(d, "integrity.record")
    assert "2025-03-01" in messages(d, "integrity.record")
    # The record period is over, but the decision barred applying until after the application.
    data["integrity_records"] = [
        {"kind": "other", "recorded_on": "2020-03-01", "barred_until": "2024-07-15"}
    ]
    d = decide(data)
    assert d.verdict == "ineligible" and "取消申报资格至2024-07-15" in messages(
        d, "integrity.record"
    )
    data["integrity_records"][0]["barred_until"] = "2024-07-14"
    assert decide(data).verdict == "eligible"


def test_every_ineligible_decision_names_a_failing_finding():
    data = base()
    data["employment"]["status"] = "retired"
    data["titles"] = []
    d = decide(data)
    assert d.verdict == "ineligible"
    failing = {f.rule for f in d.findings if f.outcome == "fail"}
    assert {"applicant.barred_status", "level.ladder"} <= failing
    assert all(f.clause for f in d.findings)


def test_doctorate_applies_directly_for_intermediate():
    data = base()
    data["titles"] = []
    data["education"] = [{"level": "doctorate", "date": "2023-06-30"}]
    d = decide(data)
    assert outcome(d, "level.ladder") == "pass"
    assert outcome(d, "seniority.years") == "info"
    assert d.verdict == "eligible"


def test_bachelor_internship_year_for_assistant():
    data = base()
    data["titles"] = []
    data["request"]["level"] = "assistant"
    data["education"] = [{"level": "bachelor", "date": "2022-12-31"}]
    data["work_history"] = [{"start": "2023-01-01"}]
    assert decide(data).verdict == "eligible"
    data["education"][0]["date"] = "2023-01-01"
    data["work_history"] = [{"start": "2023-01-02"}]
    d = decide(data)
    assert outcome(d, "seniority.years") == "fail"


def test_party_school_needs_two_years():
    data = base()
    data["education"] = [
        {
            "level": "bachelor",
            "kind": "party_school",
            "party_school_level": "central",
            "programme_years": 2,
            "date": "2015-06-30",
        }
    ]
    assert decide(data).verdict == "eligible"
    data["education"][0]["programme_years"] = 1.5
    d = decide(data)
    assert d.verdict == "ineligible"
    assert "不足2年" in messages(d, "education.recognition")
    data["education"][0]["programme_years"] = 3
    data["education"][0]["party_school_level"] = "other"
    assert decide(data).verdict == "ineligible"


def test_technical_school_classes_map_to_education_levels():
    data = base()
    data["request"]["level"] = "associate_senior"
    data["titles"] = [{"series": "engineering", "level": "intermediate", "date": "2015-12-01"}]
    data["education"] = [
        {
            "level": "secondary_vocational",
            "kind": "technical_school",
            "technical_class": "senior_worker",
            "date": "2010-06-30",
        }
    ]
    d = decide(data)
    assert "视同大学专科" in messages(d, "education.recognition")
    assert outcome(d, "level.education_requirement") == "fail"
    data["education"][0]["technical_class"] = "preparatory_technician"
    assert outcome(decide(data), "level.education_requirement") == "pass"


def test_exam_instead_of_evaluation_for_communication_specialty_only():
    data = base()
    data["request"]["specialty"] = "通信工程"
    d = decide(data)
    assert outcome(d, "exam.instead_of_evaluation") == "fail"
    data["request"]["specialty"] = "电力工程"
    assert outcome(decide(data), "exam.instead_of_evaluation") is None


def test_exam_instead_of_evaluation_also_bars_initial_determination():
    data = base()
    data["titles"] = []
    data["education"] = [{"level": "bachelor", "date": "2022-06-30"}]
    data["request"] = {
        "series": "accounting",
        "specialty": "会计",
        "level": "assistant",
        "route": "initial_determination",
        "plan_row": 66,
        "application_date": "2024-06-01",
        "internship_assessment_passed": True,
    }
    d = decide(data)
    assert outcome(d, "exam.instead_of_evaluation") == "fail"


def test_combined_exam_validity_boundary():
    data = base()
    data["titles"] = [
        {"series": "audit", "level": "intermediate", "date": "2015-09-01", "obtained_via": "exam"}
    ]
    data["request"] = {
        "series": "audit",
        "specialty": "审计",
        "level": "associate_senior",
        "plan_row": 5,
        "application_date": "2024-07-10",
    }
    data["exams"] = [
        {
            "subject": "审计理论与实务",
            "series": "audit",
            "level": "associate_senior",
            "passed_on": "2022-09-01",
            "valid_until": "2024-07-10",
        }
    ]
    assert outcome(decide(data), "exam.combined") == "pass"
    data["exams"][0]["valid_until"] = "2024-07-09"
    d = decide(data)
    assert outcome(d, "exam.combined") == "fail" and "有效期" in messages(d, "exam.combined")


def test_full_senior_accountant_needs_no_exam():
    data = base()
    data["titles"] = [{"series": "accounting", "level": "associate_senior", "date": "2017-12-01"}]
    data["request"] = {
        "series": "accounting",
        "specialty": "会计",
        "level": "full_senior",
        "plan_row": 4,
        "application_date": "2024-07-10",
    }
    d = decide(data)
    assert outcome(d, "exam.combined") is None
    assert outcome(d, "plan.acceptance_window") == "pass"  # 附件第4行: 正高7月


def test_transfer_needs_a_year_before_next_level_and_counts_original_years():
    data = base()
    data["request"]["level"] = "associate_senior"
    data["titles"] = [
        {
            "series": "economics",
            "level": "intermediate",
            "date": "2016-11-01",
            "obtained_via": "exam",
        },
        {
            "series": "engineering",
            "level": "intermediate",
            "date": "2022-12-31",
            "obtained_via": "same_level_transfer",
        },
    ]
    d = decide(data)
    assert outcome(d, "transfer.wait_after") == "pass"
    assert d.seniority is not None and d.seniority.anchor is not None
    assert d.seniority.anchor.isoformat() == "2016-11-01"
    data["titles"][1]["date"] = "2023-01-01"
    assert outcome(decide(data), "transfer.wait_after") == "fail"


def test_same_level_transfer_without_assessment_result_needs_review():
    data = base()
    data["titles"] = [{"series": "economics", "level": "intermediate", "date": "2018-11-01"}]
    data["transfers"] = [
        {"date": "2022-01-01", "from_series": "economics", "to_series": "engineering"}
    ]
    data["request"]["route"] = "same_level_transfer"
    d = decide(data)
    assert outcome(d, "transfer.same_level") == "needs_review"


def test_same_level_same_committee_rule_is_a_review_not_a_failure():
    data = base()
    data["other_applications"] = [
        {
            "series": "engineering",
            "specialty": "国土资源工程",
            "level": "intermediate",
            "office": "东海县人社局",
        }
    ]
    d = decide(data)
    assert outcome(d, "application.one_series") == "needs_review"


def test_continuing_education_years_start_after_the_previous_title():
    data = base()
    data["continuing_education"] = [r for r in data["continuing_education"] if r["year"] != 2016]
    assert decide(data).verdict == "eligible"  # title 2016-12-20: 2017 onwards
    data["continuing_education"] = [r for r in data["continuing_education"] if r["year"] != 2017]
    d = decide(data)
    assert outcome(d, "continuing_education.hours") == "fail"
    assert "2017" in messages(d, "continuing_education.hours")


def test_local_title_exception_boundaries():
    data = base()
    data["education"] = [
        {"level": "junior_college", "kind": "full_time", "completed": False, "date": "2010-06-30"}
    ]  # 二（三）3: counts as 中专
    data["titles"] = [
        {"series": "engineering", "level": "intermediate", "date": "2020-12-31", "kind": "local"}
    ]
    data["request"]["route"] = "education_exception"
    assert outcome(decide(data), "title.local_exception") == "pass"  # 中级满3年
    data["titles"][0]["date"] = "2021-01-01"
    assert outcome(decide(data), "title.local_exception") == "fail"
    data["titles"][0].update(level="associate_senior", date="2022-12-31")
    assert outcome(decide(data), "title.local_exception") == "pass"  # 高级满1年
    data["request"]["level"] = "associate_senior"
    assert outcome(decide(data), "title.local_exception") == "fail"  # only 中级


def test_local_title_exception_refused_when_education_is_sufficient():
    data = base()
    data["titles"] = [
        {"series": "engineering", "level": "assistant", "date": "2010-01-01", "kind": "local"}
    ]
    data["request"]["route"] = "education_exception"
    d = decide(data)
    assert outcome(d, "title.local_exception") == "fail"
    assert "正常渠道" in messages(d, "title.local_exception")


def test_local_title_cannot_be_the_basis_of_the_normal_ladder():
    data = base()
    data["titles"][0]["kind"] = "local"
    d = decide(data)
    assert outcome(d, "level.ladder") == "fail"
    assert d.failing()[0].clause == "二（十）"


def test_out_of_town_exam_certificate_is_enough():
    data = base()
    data["titles"] = [
        {
            "series": "economics",
            "level": "intermediate",
            "date": "2018-11-01",
            "kind": "out_of_town",
            "obtained_via": "exam",
            "evidence": ["certificate"],
        }
    ]
    data["transfers"] = [
        {
            "date": "2022-01-01",
            "from_series": "economics",
            "to_series": "engineering",
            "assessment_passed": True,
        }
    ]
    data["request"]["route"] = "same_level_transfer"
    assert outcome(decide(data), "title.out_of_town") == "pass"


def test_initial_determination_for_master_needs_no_internship():
    data = base()
    data["titles"] = []
    data["education"] = [{"level": "master", "date": "2024-01-15"}]
    data["work_history"] = [{"start": "2024-02-01"}]
    data["request"] = {
        "series": "engineering",
        "specialty": "建设工程",
        "level": "assistant",
        "route": "initial_determination",
        "plan_row": 71,
        "application_date": "2024-06-03",
        "internship_assessment_passed": True,
    }
    d = decide(data)
    assert d.verdict == "eligible", d.to_text()


def test_initial_transition_closes_after_2024():
    data = base()
    data["titles"] = []
    data["education"] = [{"level": "bachelor", "date": "2019-06-30"}]
    data["request"] = {
        "series": "engineering",
        "specialty": "建设工程",
        "level": "assistant",
        "route": "initial_determination",
        "plan_row": 66,
        "application_date": "2024-12-31",
        "internship_assessment_passed": True,
    }
    assert outcome(decide(data), "initial.conditions") == "needs_review"
    data["request"]["application_date"] = "2025-01-02"
    assert outcome(decide(data), "initial.conditions") == "fail"


def test_initial_determination_for_teachers_follows_series_conditions():
    data = base()
    data["titles"] = []
    data["education"] = [{"level": "bachelor", "date": "2022-06-30"}]
    data["request"] = {
        "series": "primary_secondary_teacher",
        "specialty": "中小学教师",
        "level": "assistant",
        "route": "initial_determination",
        "plan_row": 66,
        "application_date": "2024-06-03",
        "internship_assessment_passed": True,
    }
    d = decide(data)
    assert outcome(d, "initial.conditions") == "needs_review"
    assert "以该系列资格条件为准" in messages(d, "initial.conditions")


def test_window_by_level_on_attachment_row_4():
    data = base()
    data["titles"] = [{"series": "accounting", "level": "intermediate", "date": "2015-09-01"}]
    data["exams"] = [
        {
            "subject": "高级会计实务",
            "series": "accounting",
            "level": "associate_senior",
            "passed_on": "2023-09-01",
            "valid_until": "2026-12-31",
        }
    ]
    data["request"] = {
        "series": "accounting",
        "specialty": "会计",
        "level": "associate_senior",
        "plan_row": 4,
        "application_date": "2024-07-01",
    }
    d = decide(data)
    assert outcome(d, "plan.acceptance_window") == "fail"
    assert "高级5-6月 正高7月" in messages(d, "plan.acceptance_window")
    data["request"]["application_date"] = "2024-06-30"
    assert outcome(decide(data), "plan.acceptance_window") == "pass"


def test_window_row_must_match_the_route_and_level():
    data = base()
    data["request"]["plan_row"] = 66  # 初定 row
    assert outcome(decide(data), "plan.acceptance_window") == "fail"
    data["request"]["plan_row"] = 1  # 统计（高级）
    assert outcome(decide(data), "plan.acceptance_window") == "fail"
    data["request"].update(plan_row=62, application_date="2024-06-03")  # 东海县: 建设工程中级
    data["request"]["specialty"] = "建设工程"
    assert outcome(decide(data), "plan.acceptance_window") == "pass"


def test_window_found_by_specialty_when_row_not_given():
    data = base()
    data["request"]["plan_row"] = None
    d = decide(data)
    assert outcome(d, "plan.acceptance_window") == "pass"
    assert "第55行" in messages(d, "plan.acceptance_window")
    data["request"]["application_date"] = "2024-09-01"
    assert outcome(decide(data), "plan.acceptance_window") == "fail"


def test_window_merged_cells_follow_the_plan_table():
    data = base()
    data["request"].update(specialty="林业工程", plan_row=56)  # merged with row 55: 7-8月
    assert outcome(decide(data), "plan.acceptance_window") == "pass"


def test_grassroots_flag_rejected_outside_the_three_sectors():
    data = base()
    data["special_routes"] = {"grassroots_directional": True}
    d = decide(data)
    assert outcome(d, "route.grassroots") == "info"
    assert "grassroots_directional" not in d.flags


def test_urgent_talent_requires_a_category():
    data = base()
    data["titles"] = []
    data["request"]["route"] = "assessment_recognition"
    d = decide(data)
    assert outcome(d, "route.urgent_talent") == "fail"


def test_returnee_who_already_holds_a_title_climbs_level_by_level():
    data = base()
    data["special_routes"] = {"overseas_returnee": True}
    data["request"]["level"] = "associate_senior"
    d = decide(data)
    assert outcome(d, "level.special_route") == "info"
    assert outcome(d, "level.ladder") == "fail"


def test_text_output_is_caseworker_prose_with_citations():
    data = base()
    data["titles"][0]["date"] = "2020-01-01"
    text = decide(data).to_text()
    assert "结论：不符合申报条件。" in text
    assert "[二（二）]" in text
    assert "资历不足" in text
    assert "应提交的材料" in text
