"""Parameters of the supervision pages. The notice sets no time limit for a unit, a
preliminary reviewer or a committee office to act on a dossier, so "overdue review" is a
system setting (`ZHICHENG_SUPERVISION`) a season may override under
`parameters["supervision"][name]` (values without a source are parameters:
docs/domain.md §Confidence marks)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {"review_overdue_workdays": 10}


def supervision(season: Any | None, name: str) -> Any:
    if season is not None:
        value = (season.parameters or {}).get("supervision", {}).get(name)
        if value is not None:
            return value.get("value", value) if isinstance(value, dict) else value
    configured = getattr(settings, "ZHICHENG_SUPERVISION", {})
    return configured.get(name, DEFAULTS[name])
