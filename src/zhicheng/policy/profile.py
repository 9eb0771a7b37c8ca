"""The applicant profile the engine reads (a public contract: see docs/policy.md, "Schema").

Change the shape only together with a `SCHEMA_VERSION` bump, a regenerated
`docs/schema/profile.schema.json` (`python -m zhicheng.policy.schema`) and a note in docs/policy.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from zhicheng.policy.catalogue import load_catalogue
from zhicheng.policy.levels import LevelCode

SCHEMA_VERSION = "1.2"
# Older documents are read through `upgrade` (docs/policy.md, Versioning).
SCHEMA_VERSIONS = ("1.0", "1.1", "1.2")

ResidenceCategory = Literal["mainland", "hong_kong", "macau", "taiwan", "foreign"]
Permit = Literal[
    "none",
    "foreigner_work_permit",
    "foreigner_permanent_residence",
    "jiangsu_overseas_talent_residence",
]
EmploymentStatus = Literal[
    "employed", "freelance", "civil_servant", "civil_service_managed", "retired", "unemployed"
]
EmployerKind = Literal[
    "enterprise", "public_institution", "social_organisation", "government", "other"
]
Sector = Literal["education", "health", "agriculture", "other"]
EducationLevel = Literal[
    "below_secondary",
    "secondary_vocational",
    "junior_college",
    "bachelor",
    "second_bachelor",
    "master",
    "doctorate",
]
EducationKind = Literal[
    "full_time",
    "part_time",
    "military_academy",
    "party_school",
    "technical_school",
    "training_certificate",
]
TechnicalClass = Literal["intermediate_worker", "senior_worker", "preparatory_technician"]
PartySchoolLevel = Literal["central", "provincial", "other"]
TitleKind = Literal["national", "local", "out_of_town"]
ObtainedVia = Literal[
    "evaluation",
    "exam",
    "initial_determination",
    "same_level_transfer",
    "assessment_recognition",
    "direct",
]
Evidence = Literal["certificate", "application_form", "approval_document"]
Grade = Literal["excellent", "competent", "basically_competent", "incompetent", "not_graded"]
SanctionKind = Literal["party_discipline", "government", "administrative", "other"]
IntegrityKind = Literal["fraud", "title_revoked", "academic_misconduct", "false_pledge", "other"]
# What the decision that made the record imposed (1.1): recorded only, a bar until barred_until
# (取消申报资格), or 一票否决 (veto: not eligible while the record runs).
IntegrityConsequence = Literal["recorded", "barred", "veto"]
QualificationKind = Literal["vocational", "international", "skilled_worker"]
SkillLevel = Literal["senior_worker", "technician", "senior_technician"]
AchievementKind = Literal["paper", "project", "award", "patent", "report", "work", "other"]
UrgentCategory = Literal["high_level", "urgent_shortage", "private_enterprise"]
Route = Literal[
    "normal",
    "initial_determination",
    "same_level_transfer",
    "education_exception",
    "assessment_recognition",
]

# A calendar date as JSON text: exactly YYYY-MM-DD, and a day that exists (format "date", RFC
# 3339 full-date; the CLI parses profiles strictly, so the schema says all it accepts). RFC
# 3339 allows the year 0000, which no calendar (nor Python's date) has: the pattern refuses it.
DATE_PATTERN = "^([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])-[0-9]{2}-[0-9]{2}$"
Date = Annotated[
    dt.date, WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN})
]


def _whole_number(value: object) -> object:
    """JSON Schema's "integer" includes 2019.0; strict parsing alone would refuse it."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Integer = Annotated[int, BeforeValidator(_whole_number)]
# Constraints before the validator, so the JSON Schema states them (minimum, maximum).
Year = Annotated[int, Field(ge=1950, le=2100), BeforeValidator(_whole_number)]
PlanRow = Annotated[int, Field(ge=1), BeforeValidator(_whole_number)]

Text = Annotated[str, Field(max_length=500)]
ShortText = Annotated[str, Field(min_length=1, max_length=100)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_series(value: str) -> str:
    if value not in load_catalogue():
        raise ValueError(f"未知系列代码“{value}”（见 zhicheng/policy/data/catalogue.toml）")
    return value


SeriesCode = Annotated[
    str,
    AfterValidator(_check_series),
    WithJsonSchema({"type": "string", "enum": sorted(load_catalogue().series)}),
]


class Residence(_Model):
    """Residence and nationality category (一（二）)."""

    category: ResidenceCategory = Field(
        description="mainland / hong_kong / macau / taiwan / foreign"
    )
    permit: Permit = Field(default="none", description="permit held by a foreign national")


class Employment(_Model):
    """Employment (一（一）, 一, 二（五）)."""

    status: EmploymentStatus
    city: Text = Field(description="city of employment, as the season's city_aliases name it")
    employer: Text | None = None
    employer_kind: EmployerKind | None = None
    contract: bool = Field(
        default=False, description="signed labour (engagement) contract 劳动（聘用）合同"
    )
    professional_work: bool = Field(
        default=True, description="does professional/technical work 从事专业技术工作"
    )
    sector: Sector = "other"
    grassroots: bool = Field(
        default=False, description="employer is a grassroots public institution 基层事业单位"
    )
    agency_managed: bool = Field(
        default=False, description="personnel agency by the talent service centre 人事代理"
    )


class Education(_Model):
    """One education record (二（三）).

    `level` (1.1: optional) is the level of national education the record states; a technical
    school's follows from `technical_class` and a training certificate has none, so neither
    needs it. A national-education record without a level is not recognised (a review finding).
    """

    level: EducationLevel | None = None
    kind: EducationKind = "full_time"
    completed: bool = Field(
        default=True, description="diploma/degree obtained (False: 结业/肄业, no diploma)"
    )
    date: Date = Field(description="date the diploma, degree or certificate was obtained")
    school: Text | None = Field(default=None, description="1.2: 毕业院校 (printed on the form)")
    major: Text | None = None
    degree: Text | None = Field(
        default=None, description="1.2: 学位, e.g. 工学学士 (printed on the form)"
    )
    major_matches_work: bool = True
    recognised_by_education_authority: bool | None = Field(
        default=None, description="military academy: recognised by the education authority"
    )
    party_school_level: PartySchoolLevel | None = None
    programme_years: float | None = Field(default=None, ge=0, le=10)
    technical_class: TechnicalClass | None = None


class TitleHeld(_Model):
    series: SeriesCode
    specialty: Text | None = None
    level: LevelCode
    name: Text | None = None
    date: Date = Field(description="qualification date 取得资格时间")
    kind: TitleKind = "national"
    obtained_via: ObtainedVia = "evaluation"
    issuer: Text | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    certificate_number: Text | None = None


class WorkPeriod(_Model):
    """A period of work. `end` must not be before `start`: the one rule of the profile that JSON
    Schema cannot state (it compares two fields); parsing refuses it with a Chinese message."""

    model_config = ConfigDict(
        json_schema_extra={"x-zhicheng-rule": "end, when given, is not before start"}
    )
    start: Date
    end: Date | None = Field(default=None, description="None = ongoing")
    employer: Text | None = None
    position: Text | None = None
    duties: Text | None = Field(
        default=None, description="1.2: 从事专业技术工作内容 (printed on the form)"
    )
    series: SeriesCode | None = None
    professional: bool = Field(default=True, description="professional/technical work in the field")

    @model_validator(mode="after")
    def _order(self) -> WorkPeriod:
        if self.end is not None and self.end < self.start:
            raise ValueError("工作经历的结束日期早于开始日期")
        return self


class AnnualAssessment(_Model):
    year: Integer = Field(ge=1950, le=2100)
    grade: Grade
    unit: Text | None = Field(default=None, description="1.2: 考核单位 (printed on the form)")


class Sanction(_Model):
    kind: SanctionKind
    name: Text | None = Field(default=None, description="e.g. 警告、记过、记大过、降级、撤职")
    decided_on: Date
    impact_until: Date | None = Field(
        default=None, description="last day of the impact period 影响期"
    )


class IntegrityRecord(_Model):
    kind: IntegrityKind
    recorded_on: Date
    barred_until: Date | None = None
    consequence: IntegrityConsequence | None = Field(
        default=None, description="1.1: recorded / barred (取消申报资格) / veto (一票否决)"
    )
    description: Text | None = None


class Exam(_Model):
    subject: Text
    series: SeriesCode
    level: LevelCode
    passed_on: Date
    valid_until: Date | None = None
    certificate_number: Text | None = None


class Qualification(_Model):
    """Vocational qualification, international qualification or skill level (二（四）)."""

    kind: QualificationKind = "vocational"
    name: Text
    skill_level: SkillLevel | None = None
    obtained_on: Date
    certificate_number: Text | None = None


class ContinuingEducationYear(_Model):
    year: Integer = Field(ge=1950, le=2100)
    public_hours: float = Field(default=0, ge=0, le=2000)
    professional_hours: float = Field(default=0, ge=0, le=2000)
    public_certificate: bool = Field(
        default=False, description="《继续教育公需科目培训考核合格证明》 printed"
    )


class ReusedIn(_Model):
    """The passed evaluation an achievement was already used in (二（二）)."""

    year: Integer = Field(ge=1950, le=2100)
    evaluation: Text = Field(description="e.g. 2021年度工程技术系列中级评审")


class Achievement(_Model):
    id: ShortText
    title: Text
    kind: AchievementKind
    date: Date
    source: Text | None = Field(
        default=None, description="1.2: 刊物、出版社、项目来源或授予单位 (printed on the form)"
    )
    role: Text | None = Field(
        default=None, description="1.2: 本人排名或角色, e.g. 第1作者 / 主持 (printed on the form)"
    )
    representative: bool = False
    used_in_passed_evaluation: bool = False
    used_in: ReusedIn | None = Field(
        default=None, description="1.1: the passed evaluation the achievement was used in"
    )


class OtherApplication(_Model):
    series: SeriesCode
    specialty: Text | None = None
    level: LevelCode
    office: Text | None = None
    season: Year | None = Field(default=None, description="1.1: the year of the season applied in")
    plan_row: PlanRow | None = Field(
        default=None, description="1.1: attachment row number of the committee applied to"
    )


class PostTransfer(_Model):
    date: Date
    from_series: SeriesCode
    to_series: SeriesCode
    assessment_passed: bool | None = Field(default=None, description="转岗考核合格")


class UrgentTalent(_Model):
    category: UrgentCategory
    contribution: Text = Field(description="the outstanding contribution, in a sentence")


class SpecialRoutes(_Model):
    overseas_returnee: bool = False
    military_transfer: bool = False
    party_government_exchange: bool = False
    first_application: bool | None = Field(
        default=None, description="first application for a title (None: derived from titles held)"
    )
    grassroots_directional: bool = Field(default=False, description="基层“三定向” 二（五）")
    urgent_talent: UrgentTalent | None = None


class Request(_Model):
    series: SeriesCode
    specialty: Text
    level: LevelCode
    route: Route = "normal"
    plan_row: PlanRow | None = Field(
        default=None, description="attachment row number of the committee plan"
    )
    application_date: Date
    internship_assessment_passed: bool | None = Field(
        default=None, description="初定: 见习期满经考察合格"
    )
    internship_end: Date | None = Field(default=None, description="1.1, 初定: 见习期满日期")
    assessment_date: Date | None = Field(default=None, description="1.1, 初定: 考察日期")


class Profile(_Model):
    schema_version: Literal["1.0", "1.1", "1.2"] = Field(
        description="profile format version (1.0 and 1.1 are read as 1.2: docs/policy.md, "
        "Versioning)"
    )
    applicant_id: ShortText | None = None
    name: Text | None = None
    residence: Residence
    employment: Employment
    education: list[Education] = Field(default_factory=list)
    titles: list[TitleHeld] = Field(default_factory=list)
    work_history: list[WorkPeriod] = Field(default_factory=list)
    annual_assessments: list[AnnualAssessment] = Field(default_factory=list)
    sanctions: list[Sanction] = Field(default_factory=list)
    integrity_records: list[IntegrityRecord] = Field(default_factory=list)
    exams: list[Exam] = Field(default_factory=list)
    qualifications: list[Qualification] = Field(default_factory=list)
    continuing_education: list[ContinuingEducationYear] = Field(default_factory=list)
    achievements: list[Achievement] = Field(default_factory=list)
    other_applications: list[OtherApplication] = Field(
        default_factory=list, description="this year's other title applications"
    )
    transfers: list[PostTransfer] = Field(default_factory=list)
    special_routes: SpecialRoutes = Field(default_factory=SpecialRoutes)
    request: Request


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """An older profile as the current version (docs/policy.md, Versioning). 1.1 and 1.2 differ
    only by optional fields the form prints, so a 1.1 document is a 1.2 document but for its
    version. 1.0 → 1.1: education records whose level 1.1 derives (technical school, from the
    class) or that have none (training certificate) lose the level 1.0 had to carry."""
    version = data.get("schema_version")
    if version not in ("1.0", "1.1"):
        return data
    out = {**data, "schema_version": SCHEMA_VERSION}
    if version == "1.0":
        out["education"] = [
            {k: v for k, v in ed.items() if k != "level"}
            if isinstance(ed, dict)
            and ed.get("kind") in ("technical_school", "training_certificate")
            else ed
            for ed in data.get("education", [])
        ]
    return out
