"""二（十） 关于持地方职称证书和外地职称证书."""

from __future__ import annotations

from zhicheng.policy.context import Context
from zhicheng.policy.dates import format_months
from zhicheng.policy.levels import level_name
from zhicheng.policy.registry import Out, fail, ok, review, rule

EVIDENCE_NAMES = {
    "certificate": "证书",
    "application_form": "评审申报表",
    "approval_document": "评审通过文件",
}


@rule(
    "title.local_exception",
    "二（十）",
    "学历不达标人员持地方职称初级满7年、中级满3年或高级满1年破格申报中级",
    ("education_exception",),
)
def local_exception(ctx: Context) -> list[Out]:
    section = ctx.season.section("eligibility", "local_titles")
    target = section["target_level"]
    if ctx.level != target:
        return [
            fail(
                f"持地方职称学历破格只能申报国家系列相对应的{level_name(target)}职称，本次申报{level_name(ctx.level)}"
            )
        ]
    normal = ctx.season.requirement(ctx.series.code, target, ctx.education_level)
    if normal is not None and normal.allowed:
        return [
            fail(
                f"最高认可学历为{ctx.education_label}，已达到{ctx.series.name}系列{level_name(target)}学历条件，不属学历不达标人员，应按正常渠道申报"
            )
        ]
    found = ctx.local_exception_basis
    if found is None:
        return [fail("学历破格申报须持有地方职称证书，资料未显示持有")]
    title, sen = found
    ctx.seniority = sen
    ctx.need("地方职称证书", "二（十）")
    facts = (
        f"地方{level_name(title.level)}职称（{title.date.isoformat()}取得）至{ctx.cutoff.isoformat()}计"
        f"{format_months(sen.months_counted)}，要求满{format_months(sen.months_required or 0)}"
    )
    if not sen.met:
        return [fail(f"{facts}，年限不足")]
    if title.series != ctx.series.code:
        return [review(f"{facts}；地方职称系列与申报的国家系列不同，是否“相对应”须人工认定")]
    return [ok(f"学历{ctx.education_label}未达标，{facts}，可学历破格申报{level_name(target)}")]


@rule("title.out_of_town", "二（十）", "外地职称证书须能提供证书、评审申报表或评审通过文件")
def out_of_town(ctx: Context) -> list[Out] | None:
    section = ctx.season.section("eligibility", "out_of_town")
    used = []
    if ctx.route == "same_level_transfer":
        used = [t for t in ctx.titles_at(ctx.level) if t.series != ctx.series.code]
    else:
        basis = ctx.basis_title()
        if basis is not None:
            used = [basis]
    used = [t for t in used if t.kind == "out_of_town" and t.record is not None]
    if not used:
        return None
    out: list[Out] = []
    for t in used:
        record = t.record
        assert record is not None
        have = set(record.evidence)
        missing = [EVIDENCE_NAMES[e] for e in section["required"] if e not in have]
        if record.obtained_via != "exam" and not have.intersection(section["one_of"]):
            missing.append("评审申报表或评审通过文件")
        issuer = f"（{record.issuer}颁发）" if record.issuer else ""
        if missing:
            out.append(fail(f"{t.label}{issuer}用于本次申报，须能够提供{'、'.join(missing)}"))
        else:
            provided = "、".join(EVIDENCE_NAMES[e] for e in record.evidence)
            out.append(ok(f"{t.label}{issuer}已提供{provided}"))
        ctx.need("外地职称证书及评审申报表或评审通过文件", "二（十）")
    return out
