"""Parameters of the evaluation, read through the one accessor (`core.parameters`): season
parameters win, then the system settings (`ZHICHENG_EVALUATION`). Values marked M/L are never
constants in code (docs/domain.md §Confidence marks)."""

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
    """A system parameter of the evaluation, overridable per season under
    `parameters["evaluation"][name]`."""
    return parameter(season, f"evaluation.{name}").value
