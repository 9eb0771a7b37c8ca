"""Parameters of the supervision pages. The notice sets no time limit for a unit, a
preliminary reviewer or a committee office to act on a dossier, so "overdue review" is a
system setting (`ZHICHENG_SUPERVISION`) a season may override under
`parameters["supervision"][name]` (values without a source are parameters:
docs/domain.md §Confidence marks)."""

from __future__ import annotations

from typing import Any

from zhicheng.core.parameters import BUILTIN_DEFAULTS, parameter

DEFAULTS: dict[str, Any] = {
    k.removeprefix("supervision."): v for k, v in BUILTIN_DEFAULTS.items()
    if k.startswith("supervision.")
}


def supervision(season: Any | None, name: str) -> Any:
    """`parameters["supervision"][name]`, else ZHICHENG_SUPERVISION, else the default
    (through the one accessor, `core.parameters`)."""
    return parameter(season, f"supervision.{name}").value
