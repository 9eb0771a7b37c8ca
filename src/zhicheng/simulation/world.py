"""The world a simulated season runs in: synthetic employers in every district, the officials
of every office, one committee and expert pool per plan, the signing key. Every row is
created inside an audited operation (actor SYSTEM), like the demo data."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zhicheng.accounts.models import User
from zhicheng.applications.profiles import decide, validate_facts
from zhicheng.catalogue.models import Series
from zhicheng.core.operations import SYSTEM, OperationError, operation
from zhicheng.core.workdays import office_calendar
from zhicheng.evaluation.models import Committee, CommitteeMember, Expert, MemberRole
from zhicheng.orgs.models import District, Membership, Organisation, OrgKind, Role
from zhicheng.orgs.queries import preliminary_reviewer_for
from zhicheng.reviews.guards import committee_setting
from zhicheng.seasons.models import CommitteePlan, Season

from .population import facts_for

LEVELS = ("assistant", "intermediate", "associate_senior")
# Each simulated meeting draws this many experts and reserves (五（二）: at least 7 for a
# meeting; the committee office sets its draw). The pool holds them plus room for
# recusals, so a draw never falls short.
EXPERTS_PER_COMMITTEE = 7
RESERVE_EXPERTS = 2
RECUSAL_ALLOWANCE = 3


def pool_size(count: int = EXPERTS_PER_COMMITTEE, reserve: int = RESERVE_EXPERTS) -> int:
    """Experts in a committee's pool for a draw of `count` seats and `reserve` reserves."""
    return count + reserve + max(RECUSAL_ALLOWANCE, count // 3)


# A third of the committees set a pass-rate ceiling for their meeting (the office's
# setting, 五（二）); about one committee office in ten has not sent its data report by the
# end of the simulation.
PASS_RATE = Decimal("80")


def pass_rate_for(plan: CommitteePlan) -> Decimal | None:
    return PASS_RATE if plan.row % 3 == 0 else None


def sends_data_report(plan: CommitteePlan) -> bool:
    return plan.row % 10 != 7


# Employer types in rough proportion to the applicants of a prefecture-level city (most
# professional staff work in public institutions: schools, hospitals, institutes), each
# with the kinds of names such units carry.
EMPLOYER_TYPES: list[tuple[str, int, tuple[str, ...]]] = [
    ("public_institution", 45, ("学校", "医院", "设计研究院", "检验检测中心")),
    ("state_enterprise", 15, ("集团有限公司", "港务有限公司")),
    ("private_enterprise", 32, ("科技有限公司", "工程有限公司", "实业有限公司")),
    ("social_organisation", 5, ("行业协会", "民办非企业研究院")),
    ("other", 3, ("专业合作社",)),
]
# The units the experts work at: the pool's own, no applicant of the run works there.
EXPERT_UNITS = ("大学", "职业技术学院", "第一人民医院", "工程研究院", "质量技术研究所")
# District plans (printed as "初级, 中小学教师中级, 建设工程中级") name one specialty per series.
DISTRICT_SPECIALTY = {"engineering": "建设工程", "primary_secondary_teacher": "中小学教师"}


class SimulationError(OperationError):
    pass


def expert_specialty(label: str, plan: CommitteePlan) -> str:
    """The pool a simulated committee draws from (one per plan and run)."""
    return f"模拟{label}-{plan.row}"


@dataclass
class World:
    label: str
    season: Season
    city: Any  # the city title office's official
    plans: list[CommitteePlan]
    apply_day: dict[int, dt.date]  # plan pk -> the day its cohort applies
    accepts: dict[int, list[tuple[str, str]]]  # plan pk -> (series code, level) it accepts
    specialty: dict[tuple[int, str], str]  # (plan pk, series code) -> specialty applied for
    employers: list[Organisation]
    plan_for: dict[tuple[int, str, str], CommitteePlan]  # (employer, series, level) -> plan
    offers: dict[int, list[tuple[str, str]]]
    unit_hr: dict[Any, Any] = field(default_factory=dict)  # organisation pk -> official
    reviewer: dict[Any, Any] = field(default_factory=dict)
    committee_office: dict[Any, Any] = field(default_factory=dict)
    committees: dict[int, Committee] = field(default_factory=dict)  # plan pk -> committee
    series: dict[str, Series] = field(default_factory=dict)
    experts: dict[int, Any] = field(default_factory=dict)  # expert pk -> user


def _official(username: str, full_name: str, organisation: Organisation, role: str) -> Any:
    user = User.objects.create_user(
        username=username, password=None, full_name=full_name,
        email="",  # synthetic people get no mail (their inbox rows are written)
    )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def _apply_day(plan: CommitteePlan) -> dt.date:
    """The 10th of the plan's first acceptance month (or the next working day)."""
    calendar = office_calendar()
    day = dt.date(plan.season.year, plan.acceptance_months[0], 10)
    while not calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def _accepted(plan: CommitteePlan, series: str, level: str, specialty: str,
              day: dt.date) -> bool:
    """Would the rules engine accept a typical applicant for this plan, series and level?"""
    facts = validate_facts(facts_for(random.Random(0), series=series, level=level,
                                     employer_name="模拟单位"))
    facts.update(applicant_id="0", name="模拟", integrity_records=[])
    facts["request"] = {"series": series, "specialty": specialty, "level": level,
                        "route": "normal", "plan_row": plan.row,
                        "application_date": day.isoformat()}
    try:
        decision = decide(facts, plan.season)
    except Exception:  # a schema the generator cannot fill (e.g. exam scores): not simulated
        return False
    return not decision.failing()


def build(season: Season, *, applicants: int, seed: int, label: str) -> World:
    if Committee.objects.filter(name__startswith=f"模拟{label}-").exists():
        raise SimulationError(
            f"该数据库已运行过标记为“{label}”的模拟；请换一个 --label 或使用新的数据库。"
            f" (A simulation labelled {label!r} already ran in this database.)"
        )
    rng = random.Random(seed * 7919 + 1)
    with operation(SYSTEM, "simulate.setup") as op:
        op.summary = f"模拟年度：{season}，申报人{applicants}名，种子{seed}"
        op.data = {"applicants": applicants, "seed": seed}
    series = {s.code: s for s in Series.objects.all()}
    plans, apply_day, accepts, specialty = [], {}, {}, {}
    candidates = (
        CommitteePlan.objects.filter(season=season, office__isnull=False)
        .exclude(acceptance_mask=0).prefetch_related("series").select_related("office", "season")
        .order_by("row")
    )
    for plan in candidates:
        codes = [s.code for s in plan.series.all()]
        if not codes:
            continue  # 初定 rows: no series of their own
        day = _apply_day(plan)
        scope = committee_setting(plan)
        ok = []
        for code in codes:
            district_plan = plan.row >= 62
            name = DISTRICT_SPECIALTY.get(code, plan.specialty) if district_plan else plan.specialty
            specialty[(plan.pk, code)] = name
            for level in LEVELS:
                if level not in (*scope.city_levels, *scope.provincial_levels):
                    continue
                if _accepted(plan, code, level, name, day):
                    ok.append((code, level))
        if ok:
            plans.append(plan)
            apply_day[plan.pk] = day
            accepts[plan.pk] = ok

    world = World(label=label, season=season, city=None, plans=plans, apply_day=apply_day,
                  accepts=accepts,
                  specialty=specialty, employers=[], plan_for={}, offers={}, series=series)
    _organisations(world, applicants, rng)
    _committees(world)
    return world


def _organisations(world: World, applicants: int, rng: random.Random) -> None:
    city_org = Organisation.objects.get(kind=OrgKind.CITY_OFFICE)
    with operation(SYSTEM, "simulate.officials") as op:
        world.city = _official(f"sim_{world.label}_city", "模拟市职称办", city_org,
                               Role.CITY_OFFICE)
        offices = {p.office_id: p.office for p in world.plans if p.office is not None}
        for pk, office in offices.items():
            world.committee_office[pk] = _official(
                f"sim_{world.label}_office_{pk}", f"{office.short_name or office.name}办事机构",
                office,
                Role.COMMITTEE_OFFICE)
        op.summary = f"模拟：市职称办与{len(offices)}个评委会办事机构的工作人员"
    districts = list(District.objects.order_by("pk"))
    departments = [o for o in Organisation.objects.filter(kind=OrgKind.CITY_DEPARTMENT)
                   .order_by("pk") if o.pk in offices]
    per_district = max(2, applicants // (40 * len(districts)))
    types = [t for t, _w, _n in EMPLOYER_TYPES]
    weights = [w for _t, w, _n in EMPLOYER_TYPES]
    names = {t: n for t, _w, n in EMPLOYER_TYPES}
    employers = []
    city_prefix = world.season.city.removesuffix("市")  # 云湖市 → 云湖湖滨区模拟…
    with operation(SYSTEM, "simulate.employers") as op:
        for d in districts:
            for k in range(per_district):
                supervised = rng.random() < 0.2 and departments
                kind = rng.choices(types, weights=weights)[0]
                org = Organisation.objects.create(
                    name=f"{city_prefix}{d.name}模拟{world.label}-{k + 1:03d}"
                         f"{rng.choice(names[kind])}",
                    kind=OrgKind.EMPLOYER, district=d, employer_type=kind, city=d.city,
                    supervisor=rng.choice(departments) if supervised else None,
                    agency_managed=not supervised and rng.random() < 0.1,
                )
                employers.append(org)
        op.summary = f"模拟：{len(employers)}家用人单位（{len(districts)}个县区）"
    world.employers = employers
    with operation(SYSTEM, "simulate.unit_officials") as op:
        for org in employers:
            world.unit_hr[org.pk] = _official(f"sim_{world.label}_hr_{org.pk}",
                                              f"{org.name[-8:]}人事",
                                              org, Role.UNIT_HR)
            reviewer = preliminary_reviewer_for(org)
            if reviewer is None:
                raise SimulationError(f"无法确定{org}的初审单位。")
            if reviewer.pk not in world.reviewer:
                world.reviewer[reviewer.pk] = _official(
                    f"sim_{world.label}_reviewer_{reviewer.pk}",
                    f"{reviewer.short_name or reviewer.name}初审",
                    reviewer, Role.PRELIMINARY_REVIEWER)
        op.summary = f"模拟：单位人事{len(employers)}名，初审人员{len(world.reviewer)}名"
    # Every (employer, series, level) goes to one plan (四: no multiple committees).
    by_pair: dict[tuple[str, str], list[CommitteePlan]] = {}
    for plan in world.plans:
        for pair in world.accepts[plan.pk]:
            by_pair.setdefault(pair, []).append(plan)
    for e in range(len(employers)):
        pairs = sorted(by_pair)
        chosen = rng.sample(pairs, min(len(pairs), rng.randint(2, 6)))
        world.offers[e] = chosen
        for s, level in chosen:
            world.plan_for[(e, s, level)] = rng.choice(by_pair[(s, level)])


def _committees(world: World) -> None:
    year = world.season.year
    # The experts' own units: no applicant works there (an expert from an applicant's unit
    # is recused, and a committee whose plan also has other applications, such as the
    # demo's, would lose its pool to them).
    with operation(SYSTEM, "simulate.committees") as op:
        expert_units = [
            Organisation.objects.create(
                name=f"{world.season.city.removesuffix('市')}模拟{world.label}{unit}",
                kind=OrgKind.EMPLOYER, employer_type="public_institution",
                city=world.season.owner)
            for unit in EXPERT_UNITS
        ]
        n = 0
        for plan in world.plans:
            assert plan.office is not None  # only plans with an office are simulated
            codes = sorted({s for s, _ in world.accepts[plan.pk]})
            committee = Committee.objects.create(
                name=f"模拟{world.label}-{plan.row:02d} {plan.specialty}评委会"[:120],
                office=plan.office, specialties=[plan.specialty],
                levels=sorted({lv for _, lv in world.accepts[plan.pk]}), by_specialty=True,
                term_start=dt.date(year - 1, 1, 1), term_end=dt.date(year + 1, 12, 31),
            )
            committee.series.add(*[world.series[c] for c in codes])
            committee.plans.add(plan)
            world.committees[plan.pk] = committee
            for i in range(pool_size()):
                n += 1
                user = User.objects.create_user(
                    username=f"sim_{world.label}_expert_{plan.row}_{i}", password=None,
                    full_name=f"专家{plan.row}-{i + 1}",
                    email="",
                )
                expert = Expert.objects.create(
                    user=user, series=world.series[codes[0]],
                    specialty=expert_specialty(world.label, plan),
                    title_level="associate_senior",
                    unit=expert_units[n % len(expert_units)],
                    term_start=dt.date(year - 1, 1, 1), term_end=dt.date(year + 1, 12, 31),
                )
                world.experts[expert.pk] = user
                if i == 0:  # the chair presides the meetings (人社部令第40号)
                    CommitteeMember.objects.create(committee=committee, expert=expert,
                                                   role=MemberRole.CHAIR)
        op.summary = (f"模拟：{len(world.committees)}个评委会，专家{n}名"
                      f"（所在单位{len(expert_units)}家）")
