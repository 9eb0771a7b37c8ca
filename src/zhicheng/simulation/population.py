"""The synthetic population of a simulated season (deterministic from the seed; no database).

Each applicant gets a profile in the application form's schema (the demo applicant's shape,
varied: education, title history, assessments, continuing education), an employer index, a
(series, level) the chosen plan accepts, and a *fate*: what happens to the dossier on its way
(corrections, fraud, a failed vote, ...). The driver turns the fate into real operations.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhicheng.demo.applications import DEMO_FACTS  # top floor beside the demo: no app imports it

# What happens to a dossier (besides the eligibility pre-check, which the engine decides).
# Shares are per thousand of the applicants who submit; the rest go the normal way.
FATES: dict[str, int] = {
    "withdraw": 10,  # withdraws after submitting, before the unit acts (四（一）)
    "unit_return": 30,  # the unit returns it for changes, the applicant resubmits (四（二）)
    "unit_objection": 5,  # an objection to the unit publicity is upheld (四（二）)
    "correction": 80,  # one-time correction list, answered in time (四（三）)
    "abandon": 20,  # correction list not answered: abandoned (四（三）)
    "preliminary_reject": 20,  # the preliminary reviewer refuses it (四（三）)
    "fraud_in_review": 10,  # fraud found during review: one-vote veto (五（四）)
    "committee_return": 20,  # the committee office returns it through the channel (四（四）)
    "vote_fail": 100,  # the committee votes it down (五（二）)
    "fraud_after_certificate": 5,  # fraud found after the certificate: revoked (五（四）)
}

EDUCATION = [("bachelor", 60), ("junior_college", 15), ("master", 20), ("doctorate", 5)]
LEVELS = [("intermediate", 70), ("assistant", 15), ("associate_senior", 15)]
GRADES = [("competent", 80), ("excellent", 18), ("basically_competent", 2)]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建国宁波斌宇浩凯鑫晨欣怡佳琪"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PREVIOUS = {"assistant": "entry", "intermediate": "assistant", "associate_senior": "intermediate"}
TITLE_NAMES = {"entry": "技术员", "assistant": "助理工程师", "intermediate": "工程师"}


def _pick(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


# The county-level codes of the simulated city's resident IDs (their first six digits), in
# rough proportion to their populations: data, in `regions.csv` beside this module.
REGIONS = [(row["code"], int(row["weight"])) for row in csv.DictReader(
    (Path(__file__).with_name("regions.csv")).read_text(encoding="utf-8").splitlines())]
# Age of a first degree; then the level applied for sets how long ago that was.
GRADUATION_AGE = (21, 24)
GRADUATED = {"assistant": (2006, 2019), "intermediate": (1998, 2018),
             "associate_senior": (1990, 2013)}


def check_digit(body: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def resident_id(index: int, salt: int, *, birth: dt.date, sex: str, region: str) -> str:
    """A valid (checksummed) 18-digit resident ID whose digits 7–14 are `birth` and whose
    17th digit's parity is `sex` (odd: male). Digits 15–17 are the salt (how many simulations
    ran in the database before this one), a digit of the index and a parity digit; for
    salt < 10 two runs never share a number, and `applicants()` keeps apart the numbers of
    one run that would coincide."""
    parity = (index % 5) * 2 + (1 if sex == "M" else 0)
    body = f"{region}{birth:%Y%m%d}{salt % 10}{(index // 5) % 10}{parity}"
    return body + check_digit(body)


def person(rng: random.Random, level: str) -> tuple[str, dt.date, dt.date, str]:
    """(sex, birth date, graduation date, region code) of one applicant: the graduation year
    by the level applied for, the birth date 21–24 years before it."""
    first, last = GRADUATED[level]
    graduated = dt.date(rng.randint(first, last), 6, 30)
    age = rng.randint(*GRADUATION_AGE)
    birth = dt.date(graduated.year - age, 1, 1) + dt.timedelta(days=rng.randrange(365))
    sex = "M" if rng.random() < 0.55 else "F"
    return sex, birth, graduated, _pick(rng, REGIONS)


@dataclass
class Applicant:
    index: int
    name: str
    id_number: str
    employer: int  # index into the world's employers
    series: str
    level: str
    fate: str
    facts: dict[str, Any] = field(default_factory=dict)
    votes_against: int = 0
    sex: str = ""
    birth_date: dt.date | None = None


def facts_for(rng: random.Random, *, series: str, level: str, employer_name: str,
              graduated: dt.date | None = None) -> dict[str, Any]:
    """A profile in the form's schema: the demo applicant's shape with realistic variation."""
    facts = copy.deepcopy(DEMO_FACTS)
    education = _pick(rng, EDUCATION)
    graduated = graduated or dt.date(rng.randint(2004, 2015), 6, 30)
    facts["education"][0].update(level=education, date=graduated.isoformat(), major="相关专业")
    title_year = min(2019, graduated.year + rng.randint(2, 5))
    if level == "assistant":
        facts["titles"] = []
    else:
        previous = PREVIOUS[level]
        if level == "associate_senior":
            title_year = min(2018, title_year)
        facts["titles"][0].update(
            series=series, level=previous, name=TITLE_NAMES.get(previous, "助理级"),
            date=f"{title_year}-06-30",
            certificate_number=f"LYG{title_year}-{rng.randint(1, 9999):04d}",
        )
    facts["employment"]["employer"] = employer_name
    facts["work_history"] = [{
        "start": dt.date(graduated.year, 7, 15).isoformat(), "employer": employer_name,
        "position": "专业技术岗位", "series": series, "professional": True,
    }]
    first = graduated.year + 1
    facts["annual_assessments"] = [
        {"year": y, "grade": _pick(rng, GRADES)} for y in range(max(first, 2019), 2024)
    ]
    facts["continuing_education"] = [
        {"year": y, "public_hours": rng.choice([30, 30, 36]),
         "professional_hours": rng.choice([60, 64, 72]), "public_certificate": True}
        for y in range(first, 2024)
    ]
    facts["achievements"] = [
        {"id": f"a{i}", "title": f"专业技术工作成果{i + 1}", "kind": kind,
         "date": f"{rng.randint(2020, 2023)}-0{rng.randint(1, 9)}-15",
         "representative": i == 0}
        for i, kind in enumerate(rng.sample(["paper", "project", "patent", "report"], 2))
    ]
    return facts


def applicants(n: int, seed: int, *, employers: list[str],
               offers: dict[int, list[tuple[str, str]]], id_salt: int = 0) -> list[Applicant]:
    """n applicants; `offers[e]` lists the (series, level) pairs employer e may apply for."""
    rng = random.Random(seed)
    fate_names = list(FATES)
    fate_weights = [*FATES.values(), 1000 - sum(FATES.values())]
    out = []
    used: set[str] = set()
    for i in range(n):
        employer = rng.randrange(len(employers))
        choices = offers[employer]
        preferred = [c for c in choices if c[1] == _pick(rng, LEVELS)]
        series, level = rng.choice(preferred or choices)
        fate = rng.choices([*fate_names, "normal"], weights=fate_weights)[0]
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        sex, birth, graduated, region = person(rng, level)
        facts = facts_for(rng, series=series, level=level, employer_name=employers[employer],
                          graduated=graduated)
        number = resident_id(i, id_salt, birth=birth, sex=sex, region=region)
        while number in used:  # same birth date, region and digits: the next day
            birth += dt.timedelta(days=1)
            number = resident_id(i, id_salt, birth=birth, sex=sex, region=region)
        used.add(number)
        out.append(Applicant(
            index=i, name=name, id_number=number, employer=employer, series=series,
            level=level, fate=fate, facts=facts, votes_against=rng.randint(0, 2),
            sex=sex, birth_date=birth,
        ))
    return out
