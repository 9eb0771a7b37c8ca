"""The engine's output: verdict, route, seniority breakdown, materials and findings."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import orjson
import pydantic_core

from zhicheng.policy.dates import cn_date, format_months

Outcome = Literal["pass", "fail", "needs_review", "info"]
Verdict = Literal["eligible", "ineligible", "needs_review"]
DECISION_VERSION = "1.0"

VERDICT_NAMES = {
    "eligible": "符合申报条件",
    "ineligible": "不符合申报条件",
    "needs_review": "需人工审核",
}
OUTCOME_NAMES = {"pass": "符合", "fail": "不符合", "needs_review": "需人工审核", "info": "说明"}


class Finding(NamedTuple):
    """One rule's outcome with its citation and a message naming the facts used."""

    rule: str
    outcome: Outcome
    clause: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "outcome": self.outcome,
            "clause": self.clause,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class ExcludedYear:
    year: int
    grade: str
    months: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "grade": self.grade,
            "months": self.months,
            "reason": self.reason,
        }


@dataclass(slots=True)
class Seniority:
    basis: str
    anchor: dt.date | None
    counted_to: dt.date
    months_counted: int
    months_required: int | None
    excluded_years: list[ExcludedYear] = field(default_factory=list)
    months_outside_professional_work: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool | None:
        if self.months_required is None:
            return None
        return self.months_counted >= self.months_required

    def to_dict(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "anchor": self.anchor.isoformat() if self.anchor else None,
            "counted_to": self.counted_to.isoformat(),
            "months_counted": self.months_counted,
            "months_required": self.months_required,
            "excluded_years": [y.to_dict() for y in self.excluded_years],
            "months_outside_professional_work": self.months_outside_professional_work,
            "notes": list(self.notes),
        }

    def describe(self) -> str:
        if self.anchor is None:
            return f"{self.basis}：无起算日期"
        text = (
            f"自{cn_date(self.anchor)}（{self.basis}）次日起至{cn_date(self.counted_to)}，"
            f"计入{format_months(self.months_counted)}（{self.months_counted}个月）"
        )
        if self.months_required is not None:
            text += f"，要求{format_months(self.months_required)}"
        for year in self.excluded_years:
            text += f"；{year.year}年度{year.reason}，扣除{year.months}个月"
        if self.months_outside_professional_work:
            text += (
                f"；非专业技术工作或无工作经历期间{self.months_outside_professional_work}个月不计"
            )
        return text


@dataclass(frozen=True, slots=True)
class Material:
    name: str
    clause: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "clause": self.clause}


@dataclass(frozen=True, slots=True)
class ExcludedMaterial:
    kind: str
    id: str
    title: str
    reason: str
    clause: str

    def to_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "reason": self.reason,
            "clause": self.clause,
        }


@dataclass(slots=True)
class Decision:
    season: str
    applicant_id: str | None
    applicant_name: str | None
    request: dict[str, Any]
    verdict: Verdict
    route: str
    route_label: str
    seniority: Seniority | None
    required_materials: list[Material]
    excluded_materials: list[ExcludedMaterial]
    findings: list[Finding]
    flags: list[str]
    schema_version: str = DECISION_VERSION

    def failing(self) -> list[Finding]:
        return [f for f in self.findings if f.outcome == "fail"]

    def outcomes(self) -> dict[str, str]:
        """Rule id -> worst outcome of that rule (fail > needs_review > pass > info)."""
        order = {"info": 0, "pass": 1, "needs_review": 2, "fail": 3}
        out: dict[str, str] = {}
        for f in self.findings:
            if f.rule not in out or order[f.outcome] > order[out[f.rule]]:
                out[f.rule] = f.outcome
        return out

    def to_dict(self) -> dict[str, Any]:
        # The items' to_dict() written inline (same keys, same order): this runs per decision.
        return {
            "schema_version": self.schema_version,
            "season": self.season,
            "applicant_id": self.applicant_id,
            "request": self.request,
            "verdict": self.verdict,
            "route": {"code": self.route, "label": self.route_label},
            "seniority": self.seniority.to_dict() if self.seniority else None,
            "required_materials": [
                {"name": m.name, "clause": m.clause} for m in self.required_materials
            ],
            "excluded_materials": [m.to_dict() for m in self.excluded_materials],
            "findings": [
                {"rule": rule, "outcome": outcome, "clause": clause, "message": message}
                for rule, outcome, clause, message in self.findings
            ],
            "flags": list(self.flags),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_json_bytes(self) -> bytes:
        """Compact UTF-8 JSON (one line), serialised in Rust: the batch format.

        orjson writes the same bytes as pydantic_core.to_json for these values in about a third
        of the time; it refuses integers beyond 64 bits (an absurd plan_row still validates), so
        those few decisions go through pydantic_core instead of failing.
        """
        data = self.to_dict()
        try:
            return orjson.dumps(data)
        except orjson.JSONEncodeError:
            return pydantic_core.to_json(data)

    def to_text(self) -> str:
        return render_text(self)


_NUMERALS = "一二三四五六七八九十"


def render_text(decision: Decision) -> str:
    """The decision as a caseworker would write it (审核意见)."""
    req = decision.request
    who = decision.applicant_name or "申报人"
    if decision.applicant_id:
        who += f"（编号{decision.applicant_id}）"
    lines = [
        "职称申报资格审核意见",
        "",
        f"申报人：{who}",
        f"申报：{req.get('series_name', req['series'])}系列 {req['specialty']}专业 "
        f"{req.get('level_name', req['level'])}（{req.get('title_name', '')}），"
        f"{decision.route_label}，申报日期{cn_date(dt.date.fromisoformat(req['application_date']))}。",
        f"结论：{VERDICT_NAMES[decision.verdict]}。",
    ]
    sections: list[tuple[str, list[str]]] = []
    for outcome, heading in (
        ("fail", "不符合的条件"),
        ("needs_review", "需人工审核的事项"),
        ("pass", "已核验符合的条件"),
        ("info", "其他说明"),
    ):
        items = [f"[{f.clause}] {f.message}" for f in decision.findings if f.outcome == outcome]
        if items:
            sections.append((heading, items))
    if decision.seniority is not None:
        sections.append(("资历（年限）计算", [decision.seniority.describe()]))
    if decision.required_materials:
        sections.append(
            ("应提交的材料", [f"{m.name}（{m.clause}）" for m in decision.required_materials])
        )
    if decision.excluded_materials:
        sections.append(
            (
                "不予计入的材料",
                [f"{m.title}：{m.reason}（{m.clause}）" for m in decision.excluded_materials],
            )
        )
    for index, (heading, items) in enumerate(sections):
        lines.append("")
        lines.append(f"{_NUMERALS[index]}、{heading}")
        for number, item in enumerate(items, start=1):
            lines.append(f"  {number}. {item}")
    lines.append("")
    lines.append(f"依据：{decision.request.get('notice', '')}")
    return "\n".join(lines) + "\n"
