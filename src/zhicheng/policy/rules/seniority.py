"""二（二） 关于资历和业绩时间界限."""

from __future__ import annotations

from zhicheng.policy.context import Context
from zhicheng.policy.dates import format_months
from zhicheng.policy.education import describe
from zhicheng.policy.levels import level_name
from zhicheng.policy.registry import Out, info, ok, review, rule, uncertain
from zhicheng.policy.rules.ladder import LADDER_ROUTES, _ladder_applies

GRADE_NAMES = {
    "basically_competent": "基本合格（基本称职）",
    "incompetent": "不合格（不称职）",
}
KIND_NAMES = {
    "paper": "论文",
    "project": "项目",
    "award": "奖项",
    "patent": "专利",
    "report": "报告",
    "work": "作品",
    "other": "业绩成果",
}


@rule(
    "seniority.years",
    "二（二）",
    "资历（任职年限）计算至截止时间，基本称职/不称职年度不计",
    LADDER_ROUTES,
)
def seniority_years(ctx: Context) -> list[Out] | None:
    if not _ladder_applies(ctx) or ctx.special_exception:
        return None
    req = ctx.requirement
    if req is None or not req.allowed:
        return None
    if req.direct:
        return [
            info(f"按{ctx.education_label}学历可直接申报{level_name(ctx.level)}，无任职年限要求")
        ]
    if req.after is not None and ctx.basis_title() is None:
        return None  # no basis title: reported by level.ladder
    sen = ctx.normal_seniority
    if sen is None:
        return None
    ctx.seniority = sen
    cutoff = ctx.cutoff.isoformat()
    ctx.need(f"{ctx.cutoff.year}年及以前各年度考核结果", "二（二）")
    out: list[Out] = []
    if sen.excluded_years:
        years = "、".join(
            f"{y.year}年度考核{GRADE_NAMES[y.grade]}（{y.months}个月）" for y in sen.excluded_years
        )
        out.append(info(f"{years}，不计算为资历年限"))
    anchor = sen.anchor.isoformat() if sen.anchor else "—"
    required = sen.months_required or 0
    base = (
        f"自{anchor}（{sen.basis}）至资历截止时间{cutoff}，计入资历{format_months(sen.months_counted)}"
        f"（{sen.months_counted}个月），要求满{format_months(required)}"
    )
    if sen.notes:
        # Counted without a work history (continuously from the anchor, the most it can be): a
        # shortfall stands, a sufficient count is one conclusion left open for a person.
        base += f"（{'；'.join(sen.notes)}）"
    if sen.met and sen.notes:
        out.insert(0, review(f"{base}，已满足要求，须核对工作经历"))
    elif sen.met:
        out.insert(0, ok(base))
    elif ctx.grassroots_valid:
        out.insert(
            0,
            review(
                base + "，资历不足；基层“三定向”人员条件按苏人社发〔2020〕152号另行审核", "二（五）"
            ),
        )
    else:
        out.insert(0, uncertain(req.confidence, base + "，资历不足"))
    return out


@rule("materials.cutoff", "二（二）", "业绩成果、论文截止2024年3月31日（含）")
def materials_cutoff(ctx: Context) -> list[Out] | None:
    cutoff = ctx.season.materials_cutoff
    out: list[Out] = []
    achievements = ctx.profile.achievements
    late = 0
    for a in achievements:
        if a.date > cutoff:
            late += 1
            reason = f"日期{a.date.isoformat()}晚于业绩成果、论文截止时间{cutoff.isoformat()}"
            ctx.exclude("achievement", a.id, a.title, reason, "二（二）")
            out.append(info(f"{KIND_NAMES[a.kind]}“{a.title}”{reason}，不予计入（不影响其他材料）"))
    for item in ctx.education:
        if item.record.date > cutoff:
            ctx.exclude(
                "education",
                f"education[{item.index}]",
                f"{describe(item.record, ctx.season)}学历",
                f"取得日期{item.record.date.isoformat()}晚于学历（学位）截止时间{cutoff.isoformat()}",
                "二（二）",
            )
    if not achievements:
        return None
    counted = len(achievements) - late
    out.insert(
        0,
        ok(
            f"共{len(achievements)}项业绩成果，其中{counted}项在截止时间{cutoff.isoformat()}（含）以前"
        ),
    )
    return out


@rule("materials.no_reuse", "二（二）", "往年评审通过时使用过的业绩成果、论文不能再次使用")
def no_reuse(ctx: Context) -> list[Out] | None:
    out: list[Out] = []
    for a in ctx.profile.achievements:
        if a.used_in is not None:
            reason = f"已在{a.used_in.year}年{a.used_in.evaluation}（评审通过）中使用"
        elif a.used_in_passed_evaluation:
            reason = "往年申报职称且评审通过时已使用"
        else:
            continue
        ctx.exclude("achievement", a.id, a.title, reason, "二（二）")
        out.append(info(f"{KIND_NAMES[a.kind]}“{a.title}”{reason}，不能再次使用（不影响其他材料）"))
    usable = [
        a
        for a in ctx.profile.achievements
        if a.representative
        and not a.used_in_passed_evaluation
        and a.used_in is None
        and a.date <= ctx.season.materials_cutoff
    ]
    if ctx.profile.achievements:
        if usable:
            ctx.need(f"代表作{len(usable)}项", "五（一）")
        else:
            out.append(
                review(
                    f"共{len(ctx.profile.achievements)}项业绩成果，扣除不予计入的材料后没有可用的代表作"
                    "（代表作制度），须补充代表作后方可受理",
                    "五（一）",
                )
            )
    return out or None
