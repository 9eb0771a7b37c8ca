"""二（五） 基层事业单位“三定向”; 二（六） 急需紧缺人才考核认定."""

from __future__ import annotations

from zhicheng.policy.context import Context
from zhicheng.policy.levels import JUNIOR, SENIOR, level_name
from zhicheng.policy.registry import Out, fail, info, ok, review, rule

SECTOR_NAMES = {"education": "教育", "health": "卫生健康", "agriculture": "农业", "other": "其他"}
URGENT_NAMES = {
    "high_level": "高层次人才",
    "urgent_shortage": "急需紧缺人才",
    "private_enterprise": "民营企业优秀人才",
}


@rule("route.grassroots", "二（五）", "教育、卫生健康、农业系统基层事业单位“三定向”")
def grassroots(ctx: Context) -> list[Out] | None:
    emp = ctx.profile.employment
    section = ctx.season.section("eligibility", "grassroots")
    claimed = ctx.profile.special_routes.grassroots_directional
    eligible_unit = (
        emp.sector in section["sectors"]
        and emp.grassroots
        and emp.employer_kind == "public_institution"
    )
    doc = section["document"]
    if claimed and ctx.grassroots_valid:
        ctx.flags.append("grassroots_directional")
        return [
            ok(f"{SECTOR_NAMES[emp.sector]}系统基层事业单位专业技术人才，按“三定向”（{doc}）申报")
        ]
    if claimed:
        why = []
        if emp.sector not in section["sectors"]:
            why.append(f"所在系统为{SECTOR_NAMES[emp.sector]}")
        if not emp.grassroots or emp.employer_kind != "public_institution":
            why.append("单位不是基层事业单位")
        return [info(f"申请按“三定向”申报，但{'，'.join(why)}，不适用{doc}，按一般条件审核")]
    if eligible_unit:
        return [
            info(
                f"{SECTOR_NAMES[emp.sector]}系统基层事业单位专业技术人才，可按“三定向”（{doc}）申报"
            )
        ]
    return None


@rule(
    "route.urgent_talent",
    "二（六）",
    "高层次和急需紧缺人才、民营企业优秀人才考核认定",
    ("assessment_recognition",),
)
def urgent_talent(ctx: Context) -> list[Out]:
    section = ctx.season.section("eligibility", "urgent_talent")
    talent = ctx.profile.special_routes.urgent_talent
    if ctx.level in JUNIOR:
        return [
            info(
                f"{level_name(ctx.level)}考核认定按各评委会初级职称考核认定办理（三（二）），按资格条件审核",
                "三（二）",
            )
        ]
    if talent is None:
        return [
            fail(
                f"申报{level_name(ctx.level)}考核认定，须为作出突出贡献的高层次和急需紧缺人才或民营企业优秀人才，"
                "资料未填写人才类别和突出贡献"
            )
        ]
    who = URGENT_NAMES[talent.category]
    ctx.need("突出贡献、经济效益和社会效益证明材料", "二（六）")
    if ctx.level in SENIOR:
        return [
            review(
                f"{who}申报{level_name(ctx.level)}：省级不再统一组织考核认定，纳入{section['senior_channel']}，"
                f"按省高评委申报通知执行（贡献：{talent.contribution}）"
            )
        ]
    return [
        ok(
            f"{who}申报中级考核认定，按{section['intermediate_document']}执行；"
            f"品德能力业绩是否特别突出由考核认定确定（贡献：{talent.contribution}）"
        )
    ]


@rule(
    "route.urgent_talent_normal_route",
    "二（六）",
    "符合正常申报条件的须走正常渠道，不得申报考核认定",
    ("assessment_recognition",),
)
def urgent_talent_normal_route(ctx: Context) -> list[Out] | None:
    levels = ctx.season.section("eligibility", "urgent_talent")["normal_route_levels"]
    if ctx.level not in levels:
        return None
    if ctx.meets_normal_conditions():
        sen = ctx.normal_seniority
        facts = f"学历{ctx.education_label}"
        basis = ctx.basis_title()
        if basis is not None:
            facts += f"，{basis.label}"
        if sen is not None:
            facts += f"，资历{sen.months_counted}个月（要求{sen.months_required}个月）"
        return [
            fail(
                f"申报人已符合{level_name(ctx.level)}正常申报条件（{facts}），须按正常申报渠道参加评审，不得申报考核认定"
            )
        ]
    return [ok(f"申报人不符合{level_name(ctx.level)}正常申报的学历资历条件，可申报考核认定")]
