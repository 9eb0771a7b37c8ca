"""二（一） 关于资格条件: catalogue, education requirement, level by level, exceptions."""

from __future__ import annotations

from zhicheng.policy.catalogue import normalise_specialty
from zhicheng.policy.context import Context
from zhicheng.policy.levels import JUNIOR, level_name
from zhicheng.policy.registry import Out, fail, info, ok, review, rule, uncertain

LADDER_ROUTES = ("normal", "assessment_recognition")


def _ladder_applies(ctx: Context) -> bool:
    """Level by level applies to the normal route and to 初级考核认定; urgent talent skips it."""
    if ctx.route == "normal":
        return True
    return ctx.route == "assessment_recognition" and ctx.level in JUNIOR


@rule("request.catalogue", "二（一）", "申报系列、专业、层级须在职称目录内")
def catalogue(ctx: Context) -> tuple[Out, ...]:
    # A pure function of (series, level, specialty) for a season and catalogue: kept in ctx.memo.
    key = ("request.catalogue", ctx.series.code, ctx.level, ctx.request.specialty)
    found: tuple[Out, ...] | None = ctx.memo.get(key)
    if found is None:
        found = ctx.remember(key, tuple(_catalogue(ctx)))
    return found


def _catalogue(ctx: Context) -> list[Out]:
    series = ctx.series
    out: list[Out] = []
    if not series.has_level(ctx.level):
        levels = "、".join(level_name(lv) for lv in series.levels)
        return [fail(f"{series.name}系列不设{level_name(ctx.level)}职称（该系列层级：{levels}）")]
    specialty = normalise_specialty(ctx.request.specialty)
    owner = ctx.catalogue.series_of_specialty(specialty)
    if owner is not None and owner != series.code:
        owner_name = ctx.catalogue[owner].name
        out.append(
            review(
                f"申报{ctx.target_name}，但专业“{ctx.request.specialty}”在职称目录中属于{owner_name}系列，"
                f"而申报系列为{series.name}，须核实"
            )
        )
    elif owner is None:
        out.append(
            info(
                f"专业“{ctx.request.specialty}”未列入{series.name}系列专业目录，由评委会办事机构确认受理范围"
            )
        )
    if series.confidence != "H":
        out.append(
            info(
                f"{series.name}系列的职称名称和层级以省有关文件为准"
            )
        )
    if not any(outcome == "needs_review" for outcome, _, _ in out):
        out.insert(0, ok(f"申报{ctx.target_name}，{ctx.request.specialty}专业"))
    return out


@rule("level.education_requirement", "二（一）", "学历须达到该层级资格条件", LADDER_ROUTES)
def education_requirement(ctx: Context) -> list[Out] | None:
    if not _ladder_applies(ctx) or ctx.special_exception:
        return None
    req = ctx.requirement
    edu = ctx.education_phrase
    if req is None:
        if ctx.exam_instead_of_evaluation:
            return None  # 以考代评: no evaluation, so no conditions (exam.instead_of_evaluation)
        return [review(f"申报季数据中没有{ctx.target_name}的学历资历条件，须按省资格条件人工审核")]
    ctx.need("学历（学位）证书原件或学信网证明（3个月内）", "五（五）")
    if not req.allowed:
        return [
            uncertain(
                req.confidence,
                f"最高认可学历为{edu}，按{ctx.series.name}系列资格条件不能申报{level_name(ctx.level)}"
                "；学历不达标的可按二（十）持地方职称学历破格申报中级",
            )
        ]
    # The data's source and confidence stay in the season's TOML, not in what people read.
    return [ok(f"最高认可学历为{edu}，可申报{level_name(ctx.level)}")]


@rule("level.ladder", ("二（一）", "二（八）1", "二（十）"), "逐级申报", LADDER_ROUTES)
def ladder(ctx: Context) -> list[Out] | None:
    if not _ladder_applies(ctx):
        return None
    series = ctx.series
    held = ctx.holds_at_least(ctx.level, series.code)
    if held:
        return [fail(f"已取得{held[0].label}，不能再申报同级或更低层级的{series.name}职称")]
    if ctx.special_exception:
        return [
            info(
                f"{'、'.join(ctx.special_route_names)}首次申报职称，"
                "可不逐级申报（见 level.special_route）"
            )
        ]
    req = ctx.requirement
    if req is None or not req.allowed:
        return None  # reported by level.education_requirement
    if req.after is None:
        how = "直接申报" if req.direct else f"见习{req.internship_years}年期满后申报"
        return [
            ok(f"按{ctx.education_label}学历可{how}{level_name(ctx.level)}，无须具备下一级职称")
        ]
    prev = req.after
    basis = ctx.basis_title()
    if basis is not None:
        ctx.need(f"{ctx.title_name(series.code, prev)}证书", "二（一）")
        if basis.kind == "qualification":
            return [
                review(
                    f"以{basis.label}作为{level_name(prev)}职称依据，须按苏人社发〔2019〕183号对应目录核实",
                    "二（四）",
                )
            ]
        return [ok(f"已取得{basis.label}，逐级申报{level_name(ctx.level)}")]
    other = [
        t for t in ctx.titles_at(prev) if t.series != series.code and t.kind != "qualification"
    ]
    if other:
        return [
            fail(
                f"持有{other[0].label}，但未取得{series.name}系列{level_name(prev)}职称；"
                f"跨系列申报须先同级转评（二（八）1），转评满1年后方可申报高一级",
                "二（八）1",
            )
        ]
    local = [t for t in ctx.local_titles if t.level == prev]
    if local:
        return [
            fail(
                f"持有地方职称{level_name(prev)}（{local[0].date.isoformat()}），地方职称不能作为逐级申报国家系列职称的依据；"
                "学历不达标的可按学历破格申报中级",
                "二（十）",
            )
        ]
    return [fail(f"未取得{ctx.title_name(series.code, prev)}，申报人应按职称层级逐级申报")]


@rule(
    "level.special_route",
    "二（一）",
    "海外归国、党政机关交流、部队转业人员首次申报可直接申报或认定",
)
def special_route(ctx: Context) -> list[Out] | None:
    names = ctx.special_route_names
    if not names:
        return None
    who = "、".join(names)
    if not ctx.first_application:
        return [info(f"{who}已取得过职称，不属首次申报，按逐级申报等一般规定审核")]
    ctx.flags.append("special_first_application")
    ctx.need("海外学历学位认证、转业安置或交流任职文件", "二（一）")
    return [
        review(
            f"{who}首次申报职称，可根据专业水平和工作业绩并参照同类人员评审标准直接申报或认定"
            f"{level_name(ctx.level)}职称；申报层级是否相当须由评委会依据业绩判断"
        )
    ]
