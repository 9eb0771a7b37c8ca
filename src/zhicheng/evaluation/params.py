"""Parameters of the evaluation, read through the one accessor (`core.parameters`) from the
season's parameters (`[evaluation.*]` and `[periods.*]` in season.toml, each with its source
and confidence). Values marked M/L are never constants in code
(docs/domain.md §Confidence marks)."""

from __future__ import annotations

from typing import Any

from zhicheng.core.parameters import ParameterMissing, parameter

__all__ = ["ParameterMissing", "evaluation", "period", "period_clause"]


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
