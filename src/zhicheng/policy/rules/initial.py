"""二（十一） 关于职称初定."""

from __future__ import annotations

from zhicheng.policy.context import Context
from zhicheng.policy.dates import add_years, format_months
from zhicheng.policy.levels import level_name
from zhicheng.policy.registry import Out, fail, ok, review, rule

ROUTE = ("initial_determination",)


@rule(
    "initial.conditions",
    "二（十一）",
    "2022年及以后取得学历，或2021年及以前取得学历但专业不符；过渡期至2024年",
    ROUTE,
)
def conditions(ctx: Context) -> list[Out]:
    data = ctx.season.section("initial_determination")
    excluded = ctx.season.initial_excluded.get(ctx.series.code)
    if excluded is not None:
        return [
            review(
                f"{ctx.series.name}系列属“{excluded['reason']}”，初定以该系列资格条件为准，"
                "不适用通知所列初定条件，须按资格条件审核"
            )
        ]
    best = ctx.best_education
    if best is None:
        return [fail(f"{ctx.no_education_reason}，没有可认定的学历，不能申报初定")]
    year = best.record.date.year
    label = f"{ctx.education_label}学历于{best.record.date.isoformat()}取得"
    recent = int(data["recent_from_year"])
    mismatch_until = int(data["mismatch_until_year"])
    if year >= recent:
        return [ok(f"{label}（{recent}年及以后），可申报初定")]
    if year <= mismatch_until and not best.record.major_matches_work:
        return [ok(f"{label}（{mismatch_until}年及以前），所学专业与从事专业不符，可申报初定")]
    end = ctx.season.transition_end
    facts = f"{label}且所学专业与从事专业相符，不属初定对象"
    if ctx.date <= end:
        return [
            review(
                f"{facts}；按省有关规定做好过渡工作（过渡期截止到{end.year}年，至{end.isoformat()}），须人工审核"
            )
        ]
    return [fail(f"{facts}，且过渡期已于{end.isoformat()}截止")]


@rule(
    "initial.table",
    ("二（十一）1", "二（十一）2", "二（十一）3", "二（十一）4"),
    "初定条件表：学历对应层级、见习1年期满、经考察合格",
    ROUTE,
)
def table(ctx: Context) -> list[Out] | None:
    if ctx.series.code in ctx.season.initial_excluded:
        return None
    best = ctx.best_education
    if best is None or best.level is None:
        return None
    row = next((r for r in ctx.season.initial_rows if best.level in r.education), None)
    if row is None:
        return [fail(f"最高认可学历为{ctx.education_label}，不在初定条件表内", "二（十一）")]
    # One conclusion about the table's conditions: the unmet ones fail together; otherwise the
    # open ones go to review; only when all are met does it pass (never a pass beside a fail).
    unmet: list[str] = []
    open_items: list[str] = []
    met: list[str] = [f"具备{ctx.education_label}学历（对应{level_name(row.level)}）"]
    if row.level != ctx.level:
        unmet.append(
            f"具备{ctx.education_label}学历可初定{level_name(row.level)}职称，本次申报{level_name(ctx.level)}"
        )
        met.clear()
    ctx.need("初定申报表及学历（学位）证书", row.item)
    internship_met = True
    if row.internship_years:
        counted_to = ctx.date
        if (
            ctx.season.section("initial_determination")["internship_counted_to"]
            != "application_date"
        ):
            counted_to = ctx.cutoff
        sen = ctx.count_seniority(
            best.record.date,
            f"取得{ctx.education_label}学历后在本专业技术岗位见习",
            row.internship_years * 12,
            counted_to=counted_to,
        )
        ctx.seniority = sen
        facts = (
            f"自{best.record.date.isoformat()}至申报日期{counted_to.isoformat()}，本专业技术岗位见习"
            f"{format_months(sen.months_counted)}，要求{row.internship_years}年"
        )
        stated_end = ctx.request.internship_end
        if stated_end is not None:
            # 1.1: the end of the internship as stated; it must be reached by the date counted to.
            facts += f"，见习期满日期{stated_end.isoformat()}"
        if sen.met and (stated_end is None or stated_end <= counted_to):
            met.append(f"{facts}，已期满")
        else:
            internship_met = False
            unmet.append(f"{facts}，见习未满")
    elif not ctx.profile.employment.professional_work:
        unmet.append("须从事本专业技术工作，资料显示未从事专业技术工作")
    passed = ctx.request.internship_assessment_passed
    assessed_on = ctx.request.assessment_date
    internship_end = ctx.request.internship_end
    if internship_end is None and row.internship_years:
        internship_end = add_years(best.record.date, row.internship_years)
    if (
        passed
        and assessed_on is not None
        and internship_end is not None
        and assessed_on < internship_end
    ):
        unmet.append(
            f"考察日期{assessed_on.isoformat()}早于见习期满日期{internship_end.isoformat()}，"
            "考察应在见习期满后进行"
        )
    elif passed is None:
        open_items.append("资料未说明见习期满（或从事本专业技术工作）是否经考察合格")
    elif not passed:
        unmet.append("经考察不合格")
    elif internship_met:
        met.append(f"{assessed_on.isoformat()}经考察合格" if assessed_on else "经考察合格")
    else:
        unmet.append("见习期满后方可考察，所填考察合格不能作为初定依据")
    if unmet:
        return [fail(f"{'；'.join(unmet)}，不符合{row.item}", row.item)]
    if open_items:
        return [review(f"{'；'.join(met + open_items)}", row.item)]
    return [ok(f"{'；'.join(met)}，符合{row.item}初定条件", row.item)]
