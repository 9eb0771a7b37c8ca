"""二（八） 关于同级转评和跨系列申报评审职称 (and 四: one committee per level)."""

from __future__ import annotations

from zhicheng.policy.context import Context
from zhicheng.policy.dates import add_years
from zhicheng.policy.levels import level_name
from zhicheng.policy.registry import Out, fail, info, ok, review, rule


@rule("transfer.same_level", "二（八）1", "转岗考核合格后可申报同级转评", ("same_level_transfer",))
def same_level(ctx: Context) -> list[Out]:
    series = ctx.series
    held_here = ctx.holds_at_least(ctx.level, series.code)
    if held_here:
        return [fail(f"已取得{held_here[0].label}，无须转评")]
    source = ctx.transfer_source
    if source is None:
        return [fail(f"同级转评须已取得其他系列{level_name(ctx.level)}职称，资料未显示持有")]
    ctx.need(f"{source.label.split('（')[0]}证书", "二（八）1")
    moves = sorted(
        (t for t in ctx.profile.transfers if t.to_series == series.code),
        key=lambda t: t.date,
        reverse=True,
    )
    if not moves:
        return [
            fail(
                f"持有{source.label}，但资料未填写调入{series.name}岗位的岗位变动记录；同级转评须因岗位变动"
            )
        ]
    move = moves[0]
    ctx.need("转岗考核合格证明", "二（八）1")
    label = f"{move.date.isoformat()}转岗至{series.name}岗位"
    if move.assessment_passed is None:
        return [review(f"{label}，资料未说明转岗考核是否合格")]
    if not move.assessment_passed:
        return [fail(f"{label}，转岗考核不合格，不能申报同级转评")]
    return [ok(f"持有{source.label}，{label}且转岗考核合格，可申报同级转评")]


@rule("transfer.wait_after", "二（八）1", "转评满1年后申报高一级，原工作年限连续计算", ("normal",))
def wait_after(ctx: Context) -> list[Out] | None:
    basis = ctx.basis_title()
    if basis is None or basis.via != "same_level_transfer":
        return None
    years = int(ctx.season.section("eligibility", "transfer")["min_years_after_transfer"])
    due = add_years(basis.date, years)
    origin = ctx.transfer_origin(basis)
    tail = f"；原工作年限自{origin.date.isoformat()}连续计算" if origin is not basis else ""
    if due <= ctx.cutoff:
        return [
            ok(
                f"{basis.date.isoformat()}转评取得，至资历截止时间{ctx.cutoff.isoformat()}已满{years}年{tail}"
            )
        ]
    return [
        fail(
            f"{basis.date.isoformat()}转评取得{level_name(basis.level)}职称，至资历截止时间{ctx.cutoff.isoformat()}"
            f"未满{years}年（须至{due.isoformat()}），不能申报高一级职称"
        )
    ]


@rule("application.one_series", ("二（八）2", "四"), "同一年度不得同时申报两个系列（专业）职称")
def one_series(ctx: Context) -> list[Out]:
    req = ctx.request
    out: list[Out] = []
    for other in ctx.profile.other_applications:
        other_name = ctx.title_name(other.series, other.level)
        if other.season is not None and other.season != ctx.season.year:
            continue  # another season's application: not "the same year" (二（八）2)
        same_series = (
            other.series == req.series and (other.specialty or req.specialty) == req.specialty
        )
        if not same_series:
            out.append(
                fail(
                    f"本年度已申报{other_name}（{other.specialty or '专业未填'}），"
                    f"不得同时申报{ctx.series.name}系列（{req.specialty}专业）职称"
                )
            )
        elif other.level == req.level:
            where = other.office or "其他评委会"
            if other.plan_row is not None:
                where = f"附件第{other.plan_row}行的评委会（{other.office or '办事机构未填'}）"
            if other.plan_row is not None and other.plan_row == req.plan_row:
                out.append(
                    info(
                        f"本年度已就{other_name}向{where}提出申请，与本次申报为同一评委会，"
                        "不属向两个评审委员会申请",
                        "四",
                    )
                )
                continue
            out.append(
                review(
                    f"本年度已就{other_name}向{where}提出申请；"
                    "同一年度同一职称层级原则上只能向一个评审委员会提出申请",
                    "四",
                )
            )
    if not any(outcome in ("fail", "needs_review") for outcome, _, _ in out):
        out.insert(0, ok("本年度未申报其他系列（专业）职称"))
    return out
