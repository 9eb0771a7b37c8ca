"""Parameters of the evaluation, read through the one accessor (`core.parameters`) from the
season's parameters (`[evaluation.*]` and `[periods.*]` in season.toml, each with its source
and confidence). Values marked M/L are never constants in code
(docs/domain.md §Confidence marks)."""

from __future__ import annotations

from typing import Any

from zhicheng.core.parameters import ParameterMissing, parameter

__all__ = ["ParameterMissing", "evaluation", "panel", "period", "period_clause"]


def period(season: Any, name: str) -> int:
    """`periods.<name>` of the season (e.g. opening_report_days_before_meeting)."""
    return int(parameter(season, f"periods.{name}").value)


def period_clause(season: Any, name: str) -> str:
    try:
        return parameter(season, f"periods.{name}").clause
    except ParameterMissing:
        return ""


def evaluation(season: Any | None, name: str) -> Any:
    """`parameters["evaluation"][name]` of the season (committee sizes, terms, recusal)."""
    return parameter(season, f"evaluation.{name}").value


# The national rules the panel keeps when a season states nothing else (人社部令第40号:
# “评审会议由主任委员或者副主任委员主持，出席评审会议的专家人数应当不少于职称评审委员会人数的2/3”).
NATIONAL_PANEL = {"quorum": [2, 3], "presiding_roles": ["chair", "vice_chair"],
                  "min_reserve": 0}
NATIONAL_CLAUSE = "人社部令第40号"


def panel(season: Any | None, name: str) -> tuple[Any, str]:
    """(value, clause) of `evaluation.panel.<name>` (docs/evaluation.md §Panel rules); a rule
    the season does not state is the national one, or None (not enforced: min_drawn, odd)."""
    try:
        p = parameter(season, f"evaluation.panel.{name}")
    except ParameterMissing:
        return NATIONAL_PANEL.get(name), NATIONAL_CLAUSE
    return p.value, p.clause or NATIONAL_CLAUSE
