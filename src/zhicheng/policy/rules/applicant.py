"""一 申报评审对象, and 五（四） integrity records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from zhicheng.policy.context import Context
from zhicheng.policy.dates import add_years
from zhicheng.policy.profile import IntegrityKind
from zhicheng.policy.registry import Out, fail, info, ok, review, rule
from zhicheng.policy.season import Season, SeasonDataError

STATUS_NAMES = {
    "employed": "在职",
    "freelance": "自由职业",
    "civil_servant": "公务员",
    "civil_service_managed": "参照公务员法管理的单位工作人员",
    "retired": "离退休人员",
    "unemployed": "未就业",
}
RESIDENCE_NAMES = {
    "mainland": "内地（大陆）",
    "hong_kong": "香港",
    "macau": "澳门",
    "taiwan": "台湾",
    "foreign": "外籍",
}
PERMIT_NAMES = {
    "foreigner_work_permit": "外国人来华工作许可证",
    "foreigner_permanent_residence": "外国人永久居留身份证",
    "jiangsu_overseas_talent_residence": "江苏省海外高层次人才居住证",
}
SANCTION_NAMES = {
    "party_discipline": "党纪处分",
    "government": "政务处分",
    "administrative": "行政处分",
    "other": "其他处理",
}


def _in_city(ctx: Context, city: str) -> bool:
    return city.strip() in ctx.season.city_names


@rule(
    "applicant.employment", "一（一）", "在我市从事专业技术工作并签订合同，或在我市就业的自由职业者"
)
def employment(ctx: Context) -> list[Out] | None:
    emp = ctx.profile.employment
    barred = ctx.season.section("eligibility", "barred")["statuses"]
    if emp.status in barred:
        return None  # reported by applicant.barred_status
    city = ctx.season.city
    if not _in_city(ctx, emp.city):
        return [fail(f"就业城市为“{emp.city}”，不是{city}；本通知只受理在{city}就业的专业技术人才")]
    if emp.status == "unemployed":
        return [fail("申报人目前未就业，不属于申报评审对象")]
    if not emp.professional_work:
        return [fail("申报人目前未从事专业技术工作，不属于申报评审对象")]
    if emp.status == "freelance":
        ctx.need("自由职业从业证明及人事代理材料（由市人才服务中心审核上报）", "四")
        return [ok(f"在{city}就业的自由职业专业技术人才")]
    if not emp.contract:
        return [
            fail(
                f"在{emp.employer or '用人单位'}工作但未与用人单位签订劳动（聘用）合同，"
                "不属于申报评审对象"
            )
        ]
    ctx.need("劳动（聘用）合同", "一（一）")
    return [ok(f"在{emp.employer or '用人单位'}（{city}）从事专业技术工作，已签订劳动（聘用）合同")]


@rule("applicant.residence", "一（二）", "港澳台人员在我市就业；外籍人员持规定证件")
def residence(ctx: Context) -> list[Out] | None:
    res = ctx.profile.residence
    if res.category == "mainland":
        return None
    name = RESIDENCE_NAMES[res.category]
    if res.category in ("hong_kong", "macau", "taiwan"):
        return [ok(f"{name}专业技术人才，在{ctx.profile.employment.city}就业")]
    permits = ctx.season.section("eligibility", "residence")["foreign_permits"]
    if res.permit in permits:
        ctx.need(PERMIT_NAMES[res.permit], "一（二）")
        return [ok(f"外籍人员，持有{PERMIT_NAMES[res.permit]}")]
    return [
        fail(
            "外籍人员须持有外国人来华工作许可证、外国人永久居留身份证或江苏省海外高层次人才居住证之一，"
            "资料未显示持有上述证件"
        )
    ]


@rule("applicant.barred_status", "一", "公务员（含参公人员）、离退休人员不得申报")
def barred_status(ctx: Context) -> list[Out]:
    status = ctx.profile.employment.status
    barred = ctx.season.section("eligibility", "barred")["statuses"]
    if status in barred:
        return [fail(f"申报人身份为{STATUS_NAMES[status]}，不得申报评审或考核认定职称")]
    return [ok(f"申报人身份为{STATUS_NAMES[status]}，不属于公务员（含参公人员）或离退休人员")]


@rule("applicant.sanction", "一", "受处分人员在影响期内不得申报")
def sanction(ctx: Context) -> list[Out]:
    kinds = ctx.season.section("eligibility", "sanctions")["kinds"]
    out: list[Out] = []
    for s in ctx.profile.sanctions:
        label = f"{s.decided_on.isoformat()}受到{SANCTION_NAMES[s.kind]}" + (
            f"（{s.name}）" if s.name else ""
        )
        if s.kind not in kinds:
            out.append(info(f"{label}不属于党纪、政务、行政处分，不影响申报"))
        elif s.impact_until is None:
            out.append(
                review(
                    f"{label}，资料未写明影响期截止日期，须核实申报日期{ctx.date.isoformat()}是否仍在影响期内"
                )
            )
        elif s.impact_until >= ctx.date:
            out.append(
                fail(
                    f"{label}，影响期至{s.impact_until.isoformat()}，申报日期{ctx.date.isoformat()}仍在影响期内，不得申报"
                )
            )
        else:
            out.append(ok(f"{label}，影响期已于{s.impact_until.isoformat()}届满"))
    if not out:
        out.append(ok("未受党纪、政务、行政处分"))
    return out


@dataclass(frozen=True, slots=True)
class IntegrityConsequence:
    """What a record of one kind means for an application (eligibility.toml [integrity.kinds])."""

    kind: str
    name: str
    consequence: str  # ineligible / review
    years: int
    clause: str
    document: str
    summary: str


INTEGRITY_CONSEQUENCES = ("ineligible", "review")


def integrity_consequences(ctx: Context) -> dict[str, IntegrityConsequence]:
    """The season's consequence per record kind, validated once per season (kept in ctx.memo)."""
    key = ("integrity.kinds",)
    found: dict[str, IntegrityConsequence] | None = ctx.memo.get(key)
    if found is None:
        found = ctx.remember(key, parse_integrity_kinds(ctx.season))
    return found


def parse_integrity_kinds(season: Season) -> dict[str, IntegrityConsequence]:
    where = f"{season.code}/eligibility.toml [integrity.kinds"
    kinds = season.section("eligibility", "integrity").get("kinds")
    if not isinstance(kinds, dict):
        raise SeasonDataError(f"{season.code}/eligibility.toml: 缺少 [integrity.kinds]")
    out: dict[str, IntegrityConsequence] = {}
    for kind in get_args(IntegrityKind):
        raw = kinds.get(kind)
        if not isinstance(raw, dict):
            raise SeasonDataError(f"{where}.{kind}]: 缺少该类记录的处理规定")
        try:
            item = IntegrityConsequence(
                kind=kind,
                name=str(raw["name"]),
                consequence=str(raw["consequence"]),
                years=int(raw["years"]),
                clause=str(raw["clause"]),
                document=str(raw["document"]),
                summary=str(raw["summary"]),
            )
        except KeyError as exc:
            raise SeasonDataError(f"{where}.{kind}]: 缺少 {exc.args[0]}") from exc
        if item.consequence not in INTEGRITY_CONSEQUENCES:
            raise SeasonDataError(
                f"{where}.{kind}].consequence: 应为 {' / '.join(INTEGRITY_CONSEQUENCES)}"
            )
        if item.years < 0:
            raise SeasonDataError(f"{where}.{kind}].years: 不能为负数")
        out[kind] = item
    unknown = set(kinds) - set(out)
    if unknown:
        raise SeasonDataError(f"{where}]: 未知记录类别 {', '.join(sorted(unknown))}")
    return out


STATED_CONSEQUENCES = {"veto": "处理决定为一票否决", "barred": "处理决定取消申报资格"}


def _bar_reason(kind: IntegrityConsequence, stated: str | None) -> str:
    if kind.consequence == "ineligible":
        return f"依据{kind.document}（{kind.summary}）"
    return f"{STATED_CONSEQUENCES[stated or 'veto']}（{kind.clause}）"


def _bar_years(kind: IntegrityConsequence, record_years: int) -> int:
    return kind.years if kind.consequence == "ineligible" else record_years


@rule("integrity.record", "五（四）", "职称申报评审诚信档案（记录期3年）；一票否决")
def integrity(ctx: Context) -> list[Out]:
    years = ctx.season.period("integrity_record_years")
    out: list[Out] = []
    kinds = integrity_consequences(ctx) if ctx.profile.integrity_records else {}
    date = ctx.date.isoformat()
    for r in ctx.profile.integrity_records:
        kind = kinds[r.kind]
        record_end = add_years(r.recorded_on, years)
        what = f"{kind.name}：{r.description}" if r.description else kind.name
        label = (
            f"{r.recorded_on.isoformat()}记入职称申报评审诚信档案（{what}），"
            f"记录期至{record_end.isoformat()}"
        )
        stated = r.barred_until
        if stated is not None and stated >= ctx.date:
            # A bar the decision itself states: it holds whatever the kind.
            out.append(
                fail(
                    f"{label}；处理决定取消申报资格至{stated.isoformat()}，申报日期{date}在此期限内",
                    kind.clause,
                )
            )
            continue
        if kind.consequence == "ineligible" or r.consequence in ("veto", "barred"):
            # The record's own consequence (1.1) is never weaker than the season's for its kind.
            bar_end = add_years(
                r.recorded_on, kind.years if kind.consequence == "ineligible" else years
            )
            if bar_end >= ctx.date:
                out.append(
                    fail(
                        f"{label}；{_bar_reason(kind, r.consequence)}，自记录之日起"
                        f"{_bar_years(kind, years)}年内不得申报（至{bar_end.isoformat()}），"
                        f"申报日期{date}在此期限内",
                        kind.clause,
                    )
                )
                continue
        if record_end >= ctx.date:
            out.append(
                review(
                    f"{label}，申报日期{date}尚在记录期内；依据{kind.document}（{kind.summary}），"
                    "须核实情节是否严重、是否取消申报资格",
                    kind.clause,
                )
            )
        else:
            out.append(ok(f"{label}，已于申报日期{date}前届满", kind.clause))
    ctx.need("申报承诺书（承诺所提供证书、业绩成果、论文等材料真实可靠）", "五（四）")
    if not out:
        out.append(ok(f"近{years}年无职称申报评审诚信档案记录"))
    return out
