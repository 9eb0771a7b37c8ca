"""Parameters of the supervision pages. The notice sets no time limit for a unit, a
preliminary reviewer or a committee office to act on a dossier, so "overdue review" is a
season parameter of confidence L (`[supervision.review_overdue_workdays]` in season.toml,
docs/domain.md §Confidence marks), read through the one accessor (`core.parameters`)."""

from __future__ import annotations

from typing import Any

from zhicheng.core.parameters import parameter


def supervision(season: Any | None, name: str) -> Any:
    """`parameters["supervision"][name]` of the season (through `core.parameters`)."""
    return parameter(season, f"supervision.{name}").value
