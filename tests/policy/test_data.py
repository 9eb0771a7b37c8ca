"""The catalogue and season data: complete, cited, consistent with the attachment."""

import pytest

from zhicheng.policy import load_catalogue, load_season
from zhicheng.policy.catalogue import normalise_specialty, split_specialties
from zhicheng.policy.levels import LEVELS
from zhicheng.policy.plans import load_plans

ATTACHMENT_SPECIALTIES = [
    "统计",
    "体育教练",
    "运动防护师",
    "会计",
    "审计",
    "律师",
    "司法鉴定",
    "公证",
    "艺术",
    "图书资料",
    "文博",
    "群文",
    "广电工程",
    "播音",
    "出版",
    "新闻",
    "社科",
    "政工",
    "自然科学研究",
    "实验技术",
    "文学创作",
    "质量工程",
    "药学（药品）",
    "知识产权",
    "石油化工工程",
    "冶金工程",
    "轻工工程",
    "数字经济（智能制造）工程",
    "纺织工程",
    "工艺美术",
    "经济",
    "船舶与海洋工程",
    "电力工程",
    "数字经济工程（电子信息、集成电路、区块链、工业互联网；人工智能、大数据）",
    "生态环境工程",
    "国土资源工程",
    "林业工程",
    "科学技术普及",
    "数字经济（网络安全）工程",
    "铁路工程",
    "快递工程",
    "社会工作者",
    "中小学教师",
    "建设工程",
    "高校教师",
    "高职校教师",
]
DOMAIN_SERIES = {
    "高校教师",
    "哲学社会科学研究",
    "自然科学研究",
    "卫生技术",
    "工程技术",
    "农业技术",
    "新闻",
    "出版",
    "图书资料",
    "档案",
    "文物博物",
    "工艺美术",
    "技工院校教师",
    "中小学教师",
    "会计",
    "统计",
    "经济",
    "审计",
    "中等职业学校教师",
    "实验技术",
    "翻译",
    "播音主持",
    "体育",
    "公证员",
    "律师",
    "艺术",
    "社会工作",
    "群众文化",
    "船舶",
    "民航飞行",
}


@pytest.mark.parametrize("specialty", ATTACHMENT_SPECIALTIES)
def test_every_attachment_specialty_belongs_to_a_series(specialty):
    assert load_catalogue().series_of_specialty(specialty) is not None


def test_every_plan_row_specialty_is_in_the_catalogue():
    catalogue = load_catalogue()
    for row in load_plans("lianyungang-2024").values():
        text = row.specialty
        if text in ("初定",) or text.startswith("初级") or "自主评审" in text + row.office:
            continue
        for part in split_specialties(text):
            assert catalogue.series_of_specialty(normalise_specialty(part)), (row.row, part)


def test_every_domain_series_is_in_the_catalogue_with_confidence():
    catalogue = load_catalogue()
    names = {s.name for s in catalogue.series.values()}
    assert names >= DOMAIN_SERIES, DOMAIN_SERIES - names
    for series in catalogue.series.values():
        assert series.confidence in ("H", "M", "L") and series.source


def test_split_keeps_parenthesised_lists_together():
    assert split_specialties("自然科学研究、实验技术") == ["自然科学研究", "实验技术"]
    assert len(split_specialties(load_plans("lianyungang-2024")[53].specialty)) == 1


def test_title_lookup():
    catalogue = load_catalogue()
    assert catalogue.lookup_title("高级工程师") == [("engineering", "associate_senior")]
    assert ("library", "assistant") in catalogue.lookup_title("助理馆员")
    assert catalogue["engineering"].previous_level("assistant") == "entry"
    assert catalogue["accounting"].previous_level("assistant") is None


def test_every_requirement_cell_is_cited_and_has_confidence():
    season = load_season()
    for table in season.tables.values():
        for level, cells in table.levels.items():
            assert level in LEVELS
            for cell in cells.values():
                assert cell.confidence in ("H", "M", "L") and cell.source


def test_requirement_tables_follow_domain():
    season = load_season()
    req = season.requirement
    assert req("engineering", "associate_senior", "doctorate").years == 2
    assert req("engineering", "associate_senior", "master").years == 5
    assert not req("engineering", "intermediate", "secondary_vocational").allowed
    assert req("engineering", "assistant", "bachelor").internship_years == 1
    assert req("accounting", "associate_senior", "junior_college").years == 10
    assert req("primary_secondary_teacher", "intermediate", "secondary_vocational").years == 5
    assert req("health", "associate_senior", "junior_college").confidence == "M"
    assert not req("library", "full_senior", "junior_college").allowed


def test_season_dates_cite_the_notice():
    season = load_season()
    assert season.seniority_cutoff.isoformat() == "2023-12-31"
    assert season.materials_cutoff.isoformat() == "2024-03-31"
    for value in season.dates.values():
        assert value.clause and value.text


def test_low_confidence_parameters_are_data():
    season = load_season()
    assert {h.confidence for h in season.hours} == {"L"}
    assert all(row.confidence in ("M", "L") for row in season.qualification_rows.values())


def test_every_integrity_kind_has_a_cited_consequence():
    from typing import get_args

    from zhicheng.policy.profile import IntegrityKind
    from zhicheng.policy.rules.applicant import parse_integrity_kinds

    kinds = parse_integrity_kinds(load_season())
    assert set(kinds) == set(get_args(IntegrityKind))
    barred = {k for k, v in kinds.items() if v.consequence == "ineligible"}
    assert {"fraud", "academic_misconduct", "false_pledge"} <= barred
    assert kinds["other"].consequence == "review"
    for item in kinds.values():
        assert item.clause == "五（四）" and item.document and item.summary and item.years == 3


def test_a_missing_or_wrong_integrity_consequence_names_file_and_key():
    import dataclasses

    from zhicheng.policy.rules.applicant import parse_integrity_kinds
    from zhicheng.policy.season import SeasonDataError

    season = load_season()
    eligibility = season.raw["eligibility"]
    kinds = dict(eligibility["integrity"]["kinds"])
    for broken, expected in (
        ({k: v for k, v in kinds.items() if k != "fraud"}, "[integrity.kinds.fraud]"),
        ({**kinds, "fraud": {**kinds["fraud"], "consequence": "warn"}}, "consequence"),
        ({**kinds, "gossip": kinds["other"]}, "gossip"),
    ):
        raw = {
            **season.raw,
            "eligibility": {
                **eligibility,
                "integrity": {**eligibility["integrity"], "kinds": broken},
            },
        }
        with pytest.raises(SeasonDataError, match=expected.replace("[", r"\[").replace("]", r"\]")):
            parse_integrity_kinds(dataclasses.replace(season, raw=raw))
