"""The applicant's facts as the policy engine's `Profile` (zhicheng.policy.profile).

The stored `facts` are a Profile without its `request` (the request belongs to an application);
`validate_facts` checks them with the pydantic model itself, `build_profile` adds the request
and the employment facts that follow from the chosen employer, and `decide` runs the engine.
"""

from __future__ import annotations

import copy
import datetime as dt
import secrets
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from pydantic import BaseModel, ConfigDict, create_model
from pydantic import ValidationError as PydanticError

from zhicheng.core import clock, labels
from zhicheng.integrity.queries import HAS_RECORDS, policy_records
from zhicheng.policy import SCHEMA_VERSION, Decision, Profile, evaluate, load_season
from zhicheng.policy import Season as PolicySeason
from zhicheng.seasons.queries import current_season, engine_season, policy_season_for

if TYPE_CHECKING:
    from zhicheng.seasons.models import Season as SeasonRow

    from .models import ApplicantProfile, Application

# The list sections an applicant edits row by row (Profile field name -> label, clause).
LIST_SECTIONS: dict[str, tuple[str, str]] = {
    "education": ("学历学位", "二（三）"),
    "titles": ("已取得职称", "二（一）"),
    "work_history": ("工作经历", "二（二）"),
    "annual_assessments": ("年度考核", "二（二）"),
    "sanctions": ("处分情况", "一"),
    "exams": ("考试成绩", "二（七）"),
    "continuing_education": ("继续教育", "二（九）"),
    "achievements": ("业绩成果、论文", "二（二）"),
}
# Sections whose facts can be verified online instead of by originals (五（五）).
VERIFIABLE_SECTIONS = frozenset({"education"})
ONLINE_REPORT_MAX_AGE_DAYS = 92  # 学信网证明 "期限设置为3个月" (五（五）)

DEFAULT_FACTS: dict[str, Any] = {
    "schema_version": SCHEMA_VERSION,
    "residence": {"category": "mainland", "permit": "none"},
    "employment": {
        "status": "employed",
        "city": "",  # the current season's city (default_city)
        "contract": True,
        "professional_work": True,
        "sector": "other",
        "grassroots": False,
        "agency_managed": False,
    },
}


def default_city() -> str:
    """The city a new profile starts in: the current published season's (its notice's city)."""

    season = current_season()
    return season.city if season is not None else ""


def default_facts() -> dict[str, Any]:

    facts = copy.deepcopy(DEFAULT_FACTS)
    facts["employment"]["city"] = default_city()
    return facts


@cache
def facts_model() -> type[BaseModel]:
    """The Profile model without `request` (same fields, same validators)."""
    fields: dict[str, Any] = {
        name: (f.annotation, f) for name, f in Profile.model_fields.items() if name != "request"
    }
    return create_model(
        "ProfileFacts", __config__=ConfigDict(extra="forbid", frozen=True), **fields
    )


_TYPE_MESSAGES = {
    "missing": "必填",
    "date_from_datetime_parsing": "日期格式不正确",
    "date_parsing": "日期格式不正确",
    "date_type": "日期格式不正确",
    "literal_error": "选项不正确",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_too_long": "内容过长",
    "string_too_short": "不能为空",
    "extra_forbidden": "不允许的字段",
}


def pydantic_messages(error: PydanticError) -> list[tuple[tuple[Any, ...], str]]:
    """(location, Chinese message) for each problem pydantic found."""
    out = []
    for e in error.errors():
        message = str(e.get("msg", ""))
        if e["type"] == "value_error":
            message = message.removeprefix("Value error, ")
        else:
            message = _TYPE_MESSAGES.get(e["type"], message)
        out.append((tuple(e.get("loc", ())), message))
    return out


def location_label(loc: tuple[Any, ...]) -> str:
    """("work_history", 0, "employer") -> "工作经历第1条·工作单位" (core.labels)."""
    parts: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, int):
            if parts:
                parts[-1] += f"第{part + 1}条"
            continue
        kind = "section" if i == 0 else "field"
        parts.append(labels.label(part, kind))
    return "·".join(parts)


def validate_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Validate with the policy engine's model; return the normalised JSON (dates as ISO)."""
    try:
        model = facts_model().model_validate(facts)
    except PydanticError as exc:
        raise ValidationError(
            [f"{location_label(loc)}：{msg}" for loc, msg in pydantic_messages(exc)]
        ) from exc
    return model.model_dump(mode="json", exclude_none=True)


def new_uid() -> str:
    return secrets.token_hex(4)


def section_meta(profile: ApplicantProfile, section: str) -> list[dict[str, Any]]:
    """Per-row meta, padded so that it has one dict per row (with a uid)."""
    rows = profile.facts.get(section, [])
    meta = list(profile.meta.get(section, []))
    while len(meta) < len(rows):
        meta.append({"uid": new_uid()})
    return meta[: len(rows)]


def fact_choices(profile: ApplicantProfile) -> list[tuple[str, str]]:
    """(uid, label) of every fact a material may prove."""
    out = [("", "（不对应具体条目）")]
    for section, (label, _clause) in LIST_SECTIONS.items():
        rows = profile.facts.get(section, [])
        for row, meta in zip(rows, section_meta(profile, section), strict=True):
            out.append((meta["uid"], f"{label}：{describe_row(section, row)}"))
    return out


def online_verified(meta: dict[str, Any], today: dt.date) -> bool:
    """Verified online with a report no older than 3 months (五（五））."""
    if not meta.get("verified_online"):
        return False
    try:
        report = dt.date.fromisoformat(meta.get("report_date", ""))
    except ValueError:
        return False
    return 0 <= (today - report).days <= ONLINE_REPORT_MAX_AGE_DAYS


# --- describing rows --------------------------------------------------------------------------

LABELS: dict[str, dict[str, str]] = {
    "level": {
        "below_secondary": "中专以下",
        "secondary_vocational": "中专（中职）",
        "junior_college": "大专",
        "bachelor": "本科",
        "second_bachelor": "第二学士",
        "master": "硕士研究生",
        "doctorate": "博士研究生",
    },
    "title_level": {
        "entry": "员级",
        "assistant": "助理级",
        "intermediate": "中级",
        "associate_senior": "副高级",
        "full_senior": "正高级",
    },
    "grade": {
        "excellent": "优秀",
        "competent": "合格（称职）",
        "basically_competent": "基本合格（基本称职）",
        "incompetent": "不合格（不称职）",
        "not_graded": "不定等次",
    },
    "achievement": {
        "paper": "论文",
        "project": "项目",
        "award": "奖项",
        "patent": "专利",
        "report": "报告",
        "work": "作品",
        "other": "其他",
    },
}


def describe_row(section: str, row: dict[str, Any]) -> str:
    def g(key: str) -> Any:
        return row.get(key)

    if section == "education":
        where = " ".join(str(x) for x in (g("school"), g("major"), g("degree")) if x)
        return f"{LABELS['level'].get(g('level'), g('level'))} {where}（{g('date')}）"
    if section == "titles":
        name = g("name") or LABELS["title_level"].get(g("level"), g("level"))
        return f"{name}（{g('date')}取得）"
    if section == "work_history":
        return f"{g('start')}至{g('end') or '今'} {g('employer') or ''} {g('position') or ''}"
    if section == "annual_assessments":
        unit = f"（{g('unit')}）" if g("unit") else ""
        return f"{g('year')}年度 {LABELS['grade'].get(g('grade'), g('grade'))}{unit}"
    if section == "sanctions":
        return f"{g('name') or g('kind')}（{g('decided_on')}，影响期至{g('impact_until') or '—'}）"
    if section == "exams":
        return f"{g('subject')}（{g('passed_on')}合格）"
    if section == "continuing_education":
        return (
            f"{g('year')}年 公需{g('public_hours')}学时 专业{g('professional_hours')}学时"
            f"{'，有公需科目合格证明' if g('public_certificate') else ''}"
        )
    if section == "achievements":
        rep = "【代表作】" if g("representative") else ""
        kind = LABELS["achievement"].get(g("kind"), g("kind"))
        extra = "".join(f"，{x}" for x in (g("source"), g("role")) if x)
        return f"{rep}{g('title')}（{kind}，{g('date')}{extra}）"
    return str(row)


def profile_sections(snapshot: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """A submitted profile as the applicant's pages describe it, section by section (the
    reviewer's dossier and the expert's case page)."""
    profile = snapshot.get("profile") or {}
    out = []
    for section, (label, clause) in LIST_SECTIONS.items():
        rows = profile.get(section) or []
        if rows:
            out.append((f"{label}（{clause}）", [describe_row(section, r) for r in rows]))
    return out


# --- the engine ---------------------------------------------------------------------------------

EMPLOYER_KINDS = {
    "public_institution": "public_institution",
    "state_enterprise": "enterprise",
    "private_enterprise": "enterprise",
    "social_organisation": "social_organisation",
    "other": "other",
}


@dataclass(frozen=True)
class RequestData:
    series_code: str
    specialty: str
    level: str
    route: str
    plan_row: int | None


def employment_facts(profile: ApplicantProfile) -> dict[str, Any]:
    """The stored employment facts, completed from the chosen employer (or freelancing)."""
    emp = dict(profile.facts.get("employment") or default_facts()["employment"])
    if profile.freelancer:
        emp["status"] = "freelance"
        emp.pop("employer", None)
        emp["agency_managed"] = True
    elif profile.employer is not None:
        org = profile.employer
        emp["employer"] = org.name
        emp["agency_managed"] = bool(org.agency_managed)
        if org.employer_type:
            emp["employer_kind"] = EMPLOYER_KINDS.get(org.employer_type, "other")
        if emp.get("status") == "freelance":
            emp["status"] = "employed"
    return emp


def extra_achievements(application: Application | None) -> list[dict[str, Any]]:
    """Dated achievement materials not tied to a profile fact count as achievements, so the
    materials cut-off rule (二（二）) applies to them too."""
    if application is None:
        return []
    out = []
    for m in application.materials.all():
        if m.kind == "achievement" and not m.proves:
            out.append(
                {
                    "id": f"M{m.pk}",
                    "title": m.title,
                    "kind": "other",
                    "date": m.document_date.isoformat(),
                    "representative": m.is_representative,
                }
            )
    return out


def profile_payload(
    profile: ApplicantProfile,
    request: RequestData,
    application: Application | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    facts = dict(profile.facts) if profile.facts else default_facts()
    facts["schema_version"] = SCHEMA_VERSION
    facts["employment"] = employment_facts(profile)
    facts["applicant_id"] = str(profile.user_id)
    name = getattr(profile.user, "full_name", "") or profile.user.get_username()
    facts["name"] = name
    # The integrity archive (五（四）): records written by the city title office; none to read
    # when the profile was read knowing the person has none (integrity.queries.HAS_RECORDS).
    records = [] if getattr(profile, HAS_RECORDS, None) is False else policy_records(profile.user)
    facts["integrity_records"] = [*facts.get("integrity_records", []), *records]
    achievements = list(facts.get("achievements", []))
    metas = section_meta(profile, "achievements")
    achievements = [
        {**row, "id": row.get("id") or meta["uid"]}
        for row, meta in zip(achievements, metas, strict=True)
    ]
    facts["achievements"] = achievements + extra_achievements(application)
    facts["request"] = {
        "series": request.series_code,
        "specialty": request.specialty,
        "level": request.level,
        "route": request.route,
        "plan_row": request.plan_row,
        "application_date": (today or clock.today()).isoformat(),
    }
    return facts


@cache
def policy_season(code: str) -> PolicySeason:
    """The installed package of a season code (the simulator's and the tests' season)."""
    return load_season(code)


def decide(payload: dict[str, Any], season: str | PolicySeason | SeasonRow) -> Decision:
    """Decide a payload under a season: the engine's own, a stored season (its published
    version) or the code of an installed package."""
    profile = Profile.model_validate(payload)
    if isinstance(season, str):
        return evaluate(profile, policy_season(season))
    if isinstance(season, PolicySeason):
        return evaluate(profile, season)
    return evaluate(profile, engine_season(season))


def request_of(application: Application) -> RequestData:
    return RequestData(
        series_code=application.series.code,
        specialty=application.specialty,
        level=application.level,
        route=application.route,
        plan_row=application.plan.row,
    )


def decide_application(
    application: Application, season: PolicySeason | None = None
) -> tuple[dict[str, Any], Decision]:
    """Decide under `season`, by default the season version the application is decided under
    (its recorded version once submitted, else the season's published one)."""
    profile = application.applicant.applicant_profile
    payload = profile_payload(profile, request_of(application), application)
    return payload, decide(payload, season or policy_season_for(application))
