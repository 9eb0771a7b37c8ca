"""二（七） 关于考评结合和以考代评."""

from __future__ import annotations

from zhicheng.policy.context import Context
from zhicheng.policy.levels import level_name
from zhicheng.policy.registry import Out, fail, ok, review, rule


@rule(
    "exam.combined",
    "二（七）",
    "会计、统计、审计、经济高级职称考评结合",
    ("normal", "same_level_transfer"),
)
def combined(ctx: Context) -> list[Out] | None:
    section = ctx.season.section("exams", "exam_and_evaluation")
    if ctx.series.code not in section["series"] or ctx.level not in section["levels"]:
        return None
    name = ctx.series.name
    passed = sorted(
        (e for e in ctx.profile.exams if e.series == ctx.series.code and e.level == ctx.level),
        key=lambda e: e.passed_on,
        reverse=True,
    )
    if not passed:
        return [
            fail(
                f"{name}系列{level_name(ctx.level)}实行考评结合，须先参加国家统一考试且成绩合格，资料未填写考试成绩"
            )
        ]
    exam = passed[0]
    ctx.need(f"{name}{level_name(ctx.level)}考试成绩合格证明", "二（七）")
    if exam.passed_on > ctx.date:
        return [
            fail(
                f"考试“{exam.subject}”合格日期{exam.passed_on.isoformat()}晚于申报日期{ctx.date.isoformat()}"
            )
        ]
    if exam.valid_until is None:
        return [
            review(
                f"考试“{exam.subject}”于{exam.passed_on.isoformat()}合格，资料未写明有效期，须核实是否在有效期内"
            )
        ]
    if exam.valid_until < ctx.date:
        return [
            fail(
                f"考试“{exam.subject}”成绩有效期至{exam.valid_until.isoformat()}，申报日期{ctx.date.isoformat()}已超出有效期"
            )
        ]
    return [
        ok(
            f"考试“{exam.subject}”于{exam.passed_on.isoformat()}合格，有效期至{exam.valid_until.isoformat()}，在有效期内"
        )
    ]


@rule("exam.instead_of_evaluation", "二（七）", "9个以考代评专业的中、初级职称不再评审或认定")
def instead_of_evaluation(ctx: Context) -> tuple[Out, ...]:
    # A pure function of (series, level, specialty) for a season: kept in ctx.memo.
    key = ("exam.instead_of_evaluation", ctx.series.code, ctx.level, ctx.request.specialty)
    found: tuple[Out, ...] | None = ctx.memo.get(key)
    if found is None:
        found = ctx.remember(key, tuple(_instead_of_evaluation(ctx) or ()))
    return found


def _instead_of_evaluation(ctx: Context) -> list[Out] | None:
    name = ctx.exam_instead_of_evaluation
    if name is None:
        return None
    return [
        fail(
            f"{name}专业{level_name(ctx.level)}职称实行以考代评，考试成绩合格即取得相应职称，"
            "不再进行评审或认定"
        )
    ]
