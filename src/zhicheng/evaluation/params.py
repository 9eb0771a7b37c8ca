"""Parameters of the evaluation: season parameters win, then the system settings
(`ZHICHENG_EVALUATION`). Values marked M/L are never constants in code
(docs/domain.md §Confidence marks)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from zhicheng.core.operations import OperationError


class ParameterMissing(OperationError):
    code = "parameter_missing"


def period(season: Any, name: str) -> int:
    """`season.parameters["periods"][name]["value"]` (e.g. opening_report_days_before_meeting)."""
    entry = (season.parameters or {}).get("periods", {}).get(name)
    if not isinstance(entry, dict) or "value" not in entry:
        raise ParameterMissing(f"年度参数中没有“periods.{name}”，请在{season}的年度参数中补充。")
    return int(entry["value"])


def period_clause(season: Any, name: str) -> str:
    entry = (season.parameters or {}).get("periods", {}).get(name) or {}
    return str(entry.get("clause", ""))


def evaluation(season: Any | None, name: str) -> Any:
    """A system parameter of the evaluation, overridable per season under
    `parameters["evaluation"][name]`."""
    if season is not None:
        value = (season.parameters or {}).get("evaluation", {}).get(name)
        if value is not None:
            return value.get("value", value) if isinstance(value, dict) else value
    defaults = getattr(settings, "ZHICHENG_EVALUATION", {})
    if name not in defaults:
        raise ParameterMissing(f"系统参数 ZHICHENG_EVALUATION[“{name}”] 未设置。")
    return defaults[name]
