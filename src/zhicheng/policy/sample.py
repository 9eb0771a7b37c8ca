"""Synthetic applicant profiles (deterministic), for benchmarks, property tests and demos.

python -m zhicheng.policy.sample 100000 > profiles.jsonl
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from functools import cache
from typing import Any

from zhicheng.policy.season import load_season

SERIES = [
    ("engineering", "国土资源工程", 55),
    ("engineering", "生态环境工程", 54),
    ("engineering", "铁路工程", 59),
    ("engineering", "快递工程", 60),
    ("engineering", "科学技术普及", 57),
    ("engineering", "建设工程", 62),
    ("primary_secondary_teacher", "中小学教师", 63),
    ("natural_science_research", "自然科学研究", 19),
    ("accounting", "会计", 4),
    ("statistics", "统计", 1),
    ("economics", "知识产权", 43),
    ("sports", "体育教练", 2),
]
LEVELS = ["assistant", "intermediate", "associate_senior"]
EDUCATION = [
    "secondary_vocational",
    "junior_college",
    "bachelor",
    "bachelor",
    "master",
    "doctorate",
]
GRADES = ["excellent", "competent", "competent", "competent", "basically_competent", "incompetent"]


@cache
def _cities() -> list[str]:
    """The default season's city, a short alias of it, and a city outside it (read from the
    season's data: eligibility.toml's city_aliases)."""

    season = load_season()
    aliases = sorted(season.city_names - {season.city}, key=len) or [season.city]
    return [season.city, aliases[0], "南京市" if season.city != "南京市" else "苏州市"]


def _day(rng: random.Random, first: int, last: int) -> dt.date:
    start = dt.date(first, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(last, 12, 31).toordinal()))


# Acceptance months of the attachment rows used above (mostly inside the window, sometimes not).
WINDOWS = {
    55: (7, 8),
    54: (6,),
    59: (6, 7),
    60: (6,),
    57: (5, 6, 7),
    62: (6, 7, 8, 9),
    63: (6, 7),
    19: (4, 5, 6),
    4: (5, 6),
    1: (7,),
    43: (8,),
    2: (6,),
    66: (5, 6),
    67: (5, 6),
    68: (6, 7),
    69: (6, 7),
    70: (6, 7),
    71: (6,),
}


def _application_date(rng: random.Random, plan_row: int) -> dt.date:
    months = WINDOWS.get(plan_row, (6,))
    month = rng.choice(months) if rng.random() < 0.9 else rng.randint(1, 12)
    return dt.date(2024, month, rng.randint(1, 28))


def profile(rng: random.Random, index: int = 0) -> dict[str, Any]:
    series, specialty, plan_row = rng.choice(SERIES)
    level = rng.choice(LEVELS)
    education_date = _day(rng, 1995, 2022)
    title_date = _day(rng, education_date.year, 2023)
    route = rng.choices(
        [
            "normal",
            "initial_determination",
            "same_level_transfer",
            "assessment_recognition",
            "education_exception",
        ],
        weights=[80, 8, 4, 4, 4],
    )[0]
    previous = {
        "assistant": "entry",
        "intermediate": "assistant",
        "associate_senior": "intermediate",
    }
    titles = []
    if rng.random() < 0.85:
        titles.append(
            {
                "series": series,
                "level": previous[level] if route != "same_level_transfer" else level,
                "date": title_date.isoformat(),
                "kind": rng.choices(["national", "out_of_town", "local"], weights=[85, 10, 5])[0],
                "evidence": rng.choice([["certificate"], ["certificate", "approval_document"]]),
            }
        )
    if route == "same_level_transfer":
        titles[0:1] = [{"series": "economics", "level": level, "date": title_date.isoformat()}]
    if route == "initial_determination":
        titles = []
        plan_row = rng.choice([66, 67, 68, 69, 70, 71])
        level = rng.choice(["entry", "assistant"])
    first_year = education_date.year + 1
    ce = [
        {
            "year": y,
            "public_hours": rng.choice([24, 30, 30, 36]),
            "professional_hours": rng.choice([48, 60, 60, 72]),
            "public_certificate": rng.random() > 0.03,
        }
        for y in range(first_year, 2024)
    ]
    sanctions = []
    if rng.random() < 0.05:
        decided = _day(rng, 2020, 2024)
        sanctions.append(
            {
                "kind": rng.choice(["party_discipline", "government", "administrative", "other"]),
                "decided_on": decided.isoformat(),
                "impact_until": (
                    decided + dt.timedelta(days=rng.choice([180, 365, 540, 730]))
                ).isoformat(),
            }
        )
    achievements = [
        {
            "id": f"a{k}",
            "title": f"成果{k}",
            "kind": rng.choice(["paper", "project", "award", "patent"]),
            "date": _day(rng, 2016, 2024).isoformat(),
            "representative": k == 0,
            "used_in_passed_evaluation": rng.random() < 0.1,
        }
        for k in range(rng.randint(0, 3))
    ]
    work_start = education_date + dt.timedelta(days=rng.randint(1, 120))
    return {
        "schema_version": "1.0",
        "applicant_id": f"gen-{index:06d}",
        "residence": rng.choices(
            [
                {"category": "mainland"},
                {"category": "taiwan"},
                {"category": "foreign", "permit": "foreigner_work_permit"},
                {"category": "foreign", "permit": "none"},
            ],
            weights=[95, 2, 2, 1],
        )[0],
        "employment": {
            "status": rng.choices(
                ["employed", "freelance", "civil_servant", "retired"], weights=[90, 6, 2, 2]
            )[0],
            "city": rng.choices(_cities(), weights=[90, 8, 2])[0],
            "employer": f"{_cities()[1]}某单位",
            "employer_kind": rng.choice(["enterprise", "public_institution"]),
            "contract": rng.random() > 0.02,
            "sector": rng.choice(["education", "health", "agriculture", "other"]),
            "grassroots": rng.random() < 0.2,
        },
        "education": [
            {
                "level": rng.choice(EDUCATION),
                "kind": rng.choices(
                    [
                        "full_time",
                        "part_time",
                        "party_school",
                        "technical_school",
                        "military_academy",
                    ],
                    weights=[80, 12, 3, 3, 2],
                )[0],
                "completed": rng.random() > 0.03,
                "date": education_date.isoformat(),
                "major_matches_work": rng.random() > 0.2,
                "party_school_level": "provincial",
                "programme_years": 3,
                "technical_class": "senior_worker",
                "recognised_by_education_authority": True,
            }
        ],
        "titles": titles,
        "work_history": [{"start": work_start.isoformat(), "professional": True}],
        "annual_assessments": [
            {"year": y, "grade": rng.choice(GRADES)}
            for y in range(max(title_date.year, 2015), 2024)
        ],
        "sanctions": sanctions,
        "exams": [
            {
                "subject": "高级实务",
                "series": series,
                "level": "associate_senior",
                "passed_on": "2023-09-01",
                "valid_until": "2026-12-31",
            }
        ]
        if rng.random() < 0.5
        else [],
        "continuing_education": ce,
        "achievements": achievements,
        "other_applications": [{"series": "economics", "level": "intermediate"}]
        if rng.random() < 0.02
        else [],
        "transfers": [
            {
                "date": "2022-01-01",
                "from_series": "economics",
                "to_series": series,
                "assessment_passed": rng.random() > 0.1,
            }
        ]
        if route == "same_level_transfer"
        else [],
        "special_routes": {
            "overseas_returnee": rng.random() < 0.01,
            "grassroots_directional": rng.random() < 0.05,
            "urgent_talent": {"category": "urgent_shortage", "contribution": "突出贡献"}
            if route == "assessment_recognition"
            else None,
        },
        "request": {
            "series": series,
            "specialty": specialty,
            "level": level,
            "route": route,
            "plan_row": plan_row if rng.random() > 0.05 else None,
            "application_date": _application_date(rng, plan_row).isoformat(),
            "internship_assessment_passed": True if route == "initial_determination" else None,
        },
    }


def profiles(count: int, seed: int = 2024) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [profile(rng, i) for i in range(count)]


def write_jsonl(count: int, stream: Any, seed: int = 2024) -> None:
    rng = random.Random(seed)
    for i in range(count):
        stream.write(json.dumps(profile(rng, i), ensure_ascii=False))
        stream.write("\n")


if __name__ == "__main__":
    write_jsonl(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, sys.stdout)
