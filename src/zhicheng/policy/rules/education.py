"""二（三） 关于学历认定."""

from __future__ import annotations

from zhicheng.policy.context import Context
from zhicheng.policy.registry import Out, rule


@rule(
    "education.recognition",
    ("二（三）", "二（三）1", "二（三）2", "二（三）3", "二（三）4", "二（二）"),
    "学历认定：部队院校、党校、技工院校、未取得学历的大中专生、培训证书",
)
def recognition(ctx: Context) -> list[Out] | None:
    if not ctx.education:
        return [("needs_review", "未填写学历，无法认定学历", "二（三）")]
    return [(item.outcome, item.message, item.clause) for item in ctx.education]
