"""附件 评审计划表 (the season's plan table): the committee office's acceptance window."""

from __future__ import annotations

from functools import lru_cache

from zhicheng.policy.catalogue import normalise_specialty, split_specialties
from zhicheng.policy.context import Context
from zhicheng.policy.levels import JUNIOR, SENIOR, level_name
from zhicheng.policy.plans import PlanRow
from zhicheng.policy.registry import Out, fail, ok, review, rule

CLAUSE = "附件"


def _names(row: PlanRow) -> tuple[str, ...]:
    return _specialty_names(row.specialty)


@lru_cache(maxsize=1024)
def _specialty_names(text: str) -> tuple[str, ...]:
    """The normalised specialty names of an attachment cell (a pure function of the text)."""
    return tuple(normalise_specialty(p) for p in split_specialties(text))


def _covers(ctx: Context, row: PlanRow) -> tuple[bool | None, str]:
    """Does the row accept this request? (True / False / None = cannot tell) and why."""
    text = row.specialty
    initial_row = text.strip() == "初定"
    if ctx.route == "initial_determination":
        if initial_row:
            return True, ""
        return False, f"附件第{row.row}行（{text}）不受理初定"
    if initial_row:
        return False, f"附件第{row.row}行只受理初定"
    if "自主评审" in row.office or "自主评审" in text:
        return None, f"附件第{row.row}行为{row.office or text}，须向单位咨询"
    if text.startswith("初级"):
        parts = [p.strip() for p in text.split(",")]
        if ctx.level in JUNIOR:
            return True, ""
        wanted = f"{normalise_specialty(ctx.request.specialty)}{level_name(ctx.level)}"
        if any(p == wanted or p == f"{ctx.series.name}{level_name(ctx.level)}" for p in parts):
            return True, ""
        return False, f"附件第{row.row}行只受理{text}"
    if "（高级）" in text.replace("(", "（").replace(")", "）") and ctx.level not in SENIOR:
        return False, f"附件第{row.row}行（{text}）只受理高级职称"
    specialty = normalise_specialty(ctx.request.specialty)
    names = _names(row)
    if specialty in names or ctx.series.name in names:
        return True, ""
    return None, f"附件第{row.row}行专业为“{text}”，与申报专业“{ctx.request.specialty}”不一致"


def _index(ctx: Context) -> dict[str, tuple[int, ...]]:
    """Normalised specialty name (or 初定) -> attachment rows naming it (once per season)."""
    found: dict[str, tuple[int, ...]] | None = ctx.memo.get("plan.index")
    if found is None:
        found = ctx.memo["plan.index"] = _build_index(ctx.season.plans)
    return found


def _build_index(plans: dict[int, PlanRow]) -> dict[str, tuple[int, ...]]:
    out: dict[str, list[int]] = {}
    for number, row in plans.items():
        for name in _names(row):
            out.setdefault(name, []).append(number)
    return {k: tuple(v) for k, v in out.items()}


def _find_rows(ctx: Context, plans: dict[int, PlanRow]) -> list[PlanRow]:
    index = _index(ctx)
    if ctx.route == "initial_determination":
        numbers: tuple[int, ...] = index.get("初定", ())
    else:
        numbers = index.get(normalise_specialty(ctx.request.specialty), ()) or index.get(
            ctx.series.name, ()
        )
    return [plans[n] for n in numbers if _covers(ctx, plans[n])[0] is True]


# What the rule knows before it looks at the application date: findings so far, and the
# window (months accepted, the row's description, the window as printed) or None when it stops.
Resolved = tuple[tuple[Out, ...], tuple[frozenset[int], str, str] | None]


@rule("plan.acceptance_window", ("附件",), "申报日期须在评委会办事机构的受理时间内")
def acceptance_window(ctx: Context) -> list[Out]:
    # The row resolution is a pure function of the request (route, series, level, specialty,
    # plan row) for a season: kept in ctx.memo; only the date comparison runs per profile.
    req = ctx.request
    key = ("plan.window", ctx.route, ctx.series.code, ctx.level, req.specialty, req.plan_row)
    resolved: Resolved | None = ctx.memo.get(key)
    if resolved is None:
        resolved = ctx.remember(key, _resolve(ctx))
    head, window = resolved
    out = list(head)
    if window is None:
        return out
    months, where, text = window
    day = ctx.date
    if day.year != ctx.season.year:
        out.append(
            fail(f"申报日期{day.isoformat()}不在{ctx.season.year}年度，{where}受理时间为{text}")
        )
    elif day.month in months:
        out.append(ok(f"申报日期{day.isoformat()}在{where}申报材料受理时间（{text}）内"))
    else:
        out.append(fail(f"申报日期{day.isoformat()}不在{where}申报材料受理时间（{text}）内"))
    return out


def _resolve(ctx: Context) -> Resolved:
    plans = ctx.season.plans
    number = ctx.request.plan_row
    if number is None:
        found = _find_rows(ctx, plans)
        if len(found) != 1:
            rows = "、".join(str(r.row) for r in found) or "无"
            return (
                review(
                    f"未指定评审计划（附件序号），按专业匹配到的计划行：{rows}；请选择受理的评委会办事机构"
                ),
            ), None
        row = found[0]
    elif number not in plans:
        top = max(plans) if plans else 0
        gap = "（原文缺失第21–40行）" if 21 <= number <= 40 else ""
        return (
            review(
                f"附件中没有序号{number}{gap}（现有序号1–{top}），须向市职称办核实受理机构和时间"
            ),
        ), None
    else:
        row = plans[number]
    covered, why = _covers(ctx, row)
    if covered is False:
        return (fail(why),), None
    out: list[Out] = []
    if covered is None:
        out.append(review(why))
    office = row.office or "（原文未印评委会办事机构）"
    months = row.acceptance_months(ctx.level)
    where = f"附件第{row.row}行“{row.specialty}”（{office}）"
    if months is None:
        text = row.acceptance_text or "空白"
        out.append(
            review(
                f"{where}原文未写明{level_name(ctx.level)}的申报材料受理时间（{text}），须向办事机构核实"
            )
        )
        return tuple(out), None
    return tuple(out), (frozenset(months), where, row.acceptance_text)
