"""Education recognition (二（三）) and the education cut-off (二（二）)."""

from __future__ import annotations

from dataclasses import dataclass

from zhicheng.policy.decision import Outcome
from zhicheng.policy.profile import Education
from zhicheng.policy.season import Season

KIND_NAMES = {
    "full_time": "全日制",
    "part_time": "非全日制国民教育",
    "military_academy": "部队院校",
    "party_school": "党校",
    "technical_school": "技工院校",
    "training_certificate": "培训班证书",
}


@dataclass(frozen=True, slots=True)
class Recognised:
    """How one education record counts. `level` None = not counted as education."""

    index: int
    record: Education
    level: str | None
    outcome: Outcome  # pass / info / needs_review
    clause: str
    message: str


def _name(season: Season, level: str) -> str:
    return season.education_name(level)


TECHNICAL_CLASS_NAMES = {
    "intermediate_worker": "中级工班",
    "senior_worker": "高级工班",
    "preparatory_technician": "预备技师（技师）班",
}


def describe(ed: Education, season: Season) -> str:
    """The record as a caseworker names it: the kind, and the level only where the record has one
    of its own (a training certificate has none; a technical school's follows from its class)."""
    kind = KIND_NAMES[ed.kind]
    if ed.kind == "training_certificate":
        return kind
    if ed.kind == "technical_school":
        return f"{kind}{TECHNICAL_CLASS_NAMES[ed.technical_class]}" if ed.technical_class else kind
    return f"{kind}{_name(season, ed.level)}" if ed.level else kind


def recognise(index: int, ed: Education, season: Season) -> Recognised:
    data = season.raw["education"]
    what = "记录" if ed.kind == "training_certificate" else "学历"
    label = f"第{index + 1}条{what}（{describe(ed, season)}，{ed.date.isoformat()}）"
    cutoff = season.materials_cutoff
    if ed.date > cutoff:
        return Recognised(
            index,
            ed,
            None,
            "info",
            "二（二）",
            f"{label}取得日期晚于学历（学位）截止时间{cutoff.isoformat()}，本年度不予计入",
        )
    if ed.kind == "training_certificate":
        return Recognised(
            index,
            ed,
            None,
            "info",
            data["training_certificate"]["clause"],
            f"{label}为培训班颁发的修业、结业或专业证书，不能作为学历依据，可作为评审专业能力的参考",
        )
    if ed.kind == "technical_school":
        return _technical_school(index, ed, season, label)
    if ed.level is None:
        return Recognised(
            index,
            ed,
            None,
            "needs_review",
            "二（三）",
            f"{label}未填写学历层次（专科、本科、研究生等），无法认定，须补充",
        )
    if ed.kind == "military_academy":
        clause = data["military_academy"]["clause"]
        if ed.recognised_by_education_authority is None:
            return Recognised(
                index,
                ed,
                ed.level,
                "needs_review",
                clause,
                f"{label}须经教育行政主管部门认定方予认可，资料未说明是否已认定，"
                f"暂按{_name(season, ed.level)}计",
            )
        if not ed.recognised_by_education_authority or not ed.completed:
            return Recognised(
                index,
                ed,
                None,
                "info",
                clause,
                f"{label}未经教育行政主管部门认定（或未取得毕业证书），不予认可",
            )
        return Recognised(
            index,
            ed,
            ed.level,
            "pass",
            clause,
            f"{label}经教育行政主管部门认定，按{_name(season, ed.level)}认可",
        )
    if ed.kind == "party_school":
        rule = data["party_school"]
        clause = rule["clause"]
        minimum = float(rule["min_programme_years"])
        if ed.party_school_level not in rule["institutions"]:
            return Recognised(
                index,
                ed,
                None,
                "info",
                clause,
                f"{label}非中央党校或省级党校授予，不予认可",
            )
        if ed.programme_years is None:
            return Recognised(
                index,
                ed,
                ed.level,
                "needs_review",
                clause,
                f"{label}未填写学制，须核实是否为学制{minimum:g}年以上的长期班次，"
                f"暂按{_name(season, ed.level)}计",
            )
        if ed.programme_years < minimum or not ed.completed:
            return Recognised(
                index,
                ed,
                None,
                "info",
                clause,
                f"{label}学制{ed.programme_years:g}年，不足{minimum:g}年（或未毕业），不予认可",
            )
        return Recognised(
            index,
            ed,
            ed.level,
            "pass",
            clause,
            f"{label}为学制{ed.programme_years:g}年的长期班次，按{_name(season, ed.level)}认可",
        )
    return _national(index, ed, season, label)


def _national(index: int, ed: Education, season: Season, label: str) -> Recognised:
    """National education (全日制 / 非全日制): completed, or 二（三）3 one level down."""
    data = season.raw["education"]
    assert ed.level is not None
    if ed.completed:
        return Recognised(index, ed, ed.level, "pass", "二（三）", f"{label}予以认可")
    rule = data["incomplete_full_time"]
    clause = rule["clause"]
    if ed.kind == "full_time" and ed.level in rule["applies_to"]:
        order = season.education_order
        rank = order.index(ed.level) - int(rule["levels_down"])
        level = order[rank] if rank >= 0 else "below_secondary"
        return Recognised(
            index,
            ed,
            level,
            "pass",
            clause,
            f"{label}未取得学历、学位，比照降低一个等级按{_name(season, level)}认定",
        )
    return Recognised(
        index,
        ed,
        None,
        "info",
        clause,
        f"{label}未取得学历、学位，且不属全日制普通高等学校大中专毕业生，不予认定",
    )


def _technical_school(index: int, ed: Education, season: Season, label: str) -> Recognised:
    rule = season.raw["education"]["technical_school"]
    clause = rule["clause"]
    if ed.technical_class is None or not ed.completed:
        return Recognised(
            index,
            ed,
            None,
            "needs_review",
            clause,
            f"{label}未说明班次（中级工班、高级工班、预备技师班）或未毕业，无法认定对应学历",
        )
    level = rule["equivalent"][ed.technical_class]
    return Recognised(
        index,
        ed,
        level,
        "pass",
        clause,
        f"{label}毕业，视同{_name(season, level)}学历",
    )
