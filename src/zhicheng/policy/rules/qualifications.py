"""二（四） 职业资格（国际职业资格、高技能人才）与职称制度衔接贯通."""

from __future__ import annotations

from zhicheng.policy.context import Context
from zhicheng.policy.levels import LEVEL_RANK, level_name
from zhicheng.policy.registry import Out, info, ok, review, rule

SKILL_NAMES = {"senior_worker": "高级工", "technician": "技师", "senior_technician": "高级技师"}


@rule(
    "qualification.mapping", "二（四）", "职业资格与职称对应、国际职业资格比照认定、高技能人才贯通"
)
def mapping(ctx: Context) -> list[Out] | None:
    if not ctx.profile.qualifications:
        return None
    season = ctx.season
    data = season.section("qualifications")
    rows = season.qualification_rows
    out: list[Out] = []
    for q in ctx.profile.qualifications:
        if q.kind == "international":
            out.append(
                review(
                    f"国际职业资格“{q.name}”比照认定职称按{data['international']['document']}执行，具体申报另行通知，"
                    "本次不作为职称依据"
                )
            )
        elif q.kind == "skilled_worker":
            skilled = data["skilled_talent"]
            skill = q.skill_level
            top = skilled["levels"].get(skill) if skill else None
            if top is None or skill is None:
                out.append(review(f"高技能人才“{q.name}”未注明技能等级，须核实贯通领域条件"))
            elif LEVEL_RANK[ctx.level] <= LEVEL_RANK[top]:
                out.append(
                    review(
                        f"高技能人才（{SKILL_NAMES[skill]}，{q.obtained_on.isoformat()}）申报{level_name(ctx.level)}，"
                        f"须符合贯通领域职称系列评价基本标准条件（{skilled['document']}），由评委会办事机构审核"
                    )
                )
            else:
                out.append(
                    info(
                        f"高技能人才（{SKILL_NAMES[skill]}）贯通申报一般至{level_name(top)}，本次申报层级更高，按一般条件审核"
                    )
                )
        elif q.name in rows:
            row = rows[q.name]
            target = ctx.title_name(row.series, row.level)
            if row.series == ctx.series.code:
                out.append(
                    ok(
                        f"职业资格“{q.name}”（{q.obtained_on.isoformat()}）对应{target}（{data['mapping']['document']}）"
                    )
                )
            else:
                out.append(
                    info(f"职业资格“{q.name}”对应{target}，与申报系列不同，不作为本次申报依据")
                )
        else:
            out.append(
                info(
                    f"职业资格“{q.name}”未列入本申报季的职业资格与职称对应目录（{data['mapping']['document']}），不作为职称依据"
                )
            )
    return out
