"""二（九） 关于继续教育."""

from __future__ import annotations

from zhicheng.policy.context import Context
from zhicheng.policy.registry import Out, fail, info, ok, rule, uncertain


@rule("continuing_education.hours", "二（九）", "完成继续教育学时并提供各年度公需科目合格证明")
def hours(ctx: Context) -> list[Out] | None:
    data = ctx.season.section("continuing_education")
    if ctx.route not in data["routes"]:
        return None
    if ctx.special_exception:
        return [info("首次申报的海外归国、交流、转业人员，继续教育情况由评委会参照同类人员审核")]
    found = ctx.continuing_anchor
    if found is None:
        return None
    anchor, since = found
    first = anchor.year + 1
    cutoff = ctx.cutoff
    last = cutoff.year if (cutoff.month, cutoff.day) == (12, 31) else cutoff.year - 1
    max_years = int(data["max_years"])
    if max_years:
        first = max(first, last - max_years + 1)
    if first > last:
        return [ok(f"自{since}至{last}年无完整年度，无须提供继续教育证明")]
    cert = data["certificate_name"]
    records = {r.year: r for r in ctx.profile.continuing_education}
    get = records.get
    out: list[Out] = []
    missing: list[str] = []
    missing_cert: list[str] = []
    # The years in runs sharing one hours rule (season.hours_for), still in year order.
    for years, rule_h in ctx.season.hours_segments(first, last):
        if rule_h is None:
            for year in years:
                record = get(year)
                if record is None:
                    missing.append(str(year))
                elif not record.public_certificate:
                    missing_cert.append(str(year))
            continue
        need_total, need_public, need_professional = (
            rule_h.total,
            rule_h.public,
            rule_h.professional,
        )
        for year in years:
            record = get(year)
            if record is None:
                missing.append(str(year))
                continue
            if not record.public_certificate:
                missing_cert.append(str(year))
            public = record.public_hours
            professional = record.professional_hours
            total = public + professional
            if total >= need_total and public >= need_public and professional >= need_professional:
                continue
            short = []
            if total < need_total:
                short.append(f"合计{total:g}学时（要求{need_total:g}）")
            if public < need_public:
                short.append(f"公需科目{public:g}学时（要求{need_public:g}）")
            if professional < need_professional:
                short.append(f"专业科目{professional:g}学时（要求{need_professional:g}）")
            if short:  # always, unless an hours value is NaN
                out.append(
                    uncertain(rule_h.confidence, f"{year}年度继续教育学时不足：{'，'.join(short)}")
                )
    years_text = f"{first}—{last}年度" if first < last else f"{first}年度"
    span = f"自{since}的{years_text}"
    if missing:
        years_missing = "、".join(missing)
        out.insert(
            0, fail(f"{span}须提供继续教育情况，未填写{years_missing}年度继续教育情况及{cert}")
        )
    if missing_cert:
        out.append(fail(f"{'、'.join(missing_cert)}年度未提供{cert}"))
    ctx.need(f"{years_text}{cert}", "二（九）")
    if not out:
        out.append(ok(f"{span}继续教育学时达标，且均有{cert}"))
    return out
