"""One accessor for a season's parameters, as OpenFisca reads `parameters(period)`.

`parameter(season, "periods.publicity_workdays")` reads a dotted name from the season's
parameters (`Season.parameters`, the published version's season.toml, docs/seasons.md); a
name the season does not set falls back to the system setting of its group
(`ZHICHENG_EVALUATION`, `ZHICHENG_SUPERVISION`, `ZHICHENG_CORRECTION_WORKDAYS`), else it is
refused naming the season and the missing name. Every value read inside an operation is
recorded in that operation's audit event (`data["parameters"]`), so each decision keeps the
parameter values it used. `evaluation.params`, `supervision.params`, publicity's
`period_parameter` and `reviews.scope.correction_workdays` are this accessor.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from zhicheng.core.operations import OperationError


class ParameterMissing(OperationError):
    code = "parameter_missing"


@dataclass(frozen=True)
class Parameter:
    name: str
    value: Any
    clause: str = ""
    text: str = ""
    source: str = "season"  # season / settings

    def as_record(self) -> Any:
        return {"value": self.value, "source": self.source, **(
            {"clause": self.clause} if self.clause else {})}


# Where a group's system default lives when the season sets no value.
SETTINGS_GROUPS = {"evaluation": "ZHICHENG_EVALUATION", "supervision": "ZHICHENG_SUPERVISION"}
SETTINGS_NAMES = {"correction_workdays": ("ZHICHENG_CORRECTION_WORKDAYS", 10)}
BUILTIN_DEFAULTS: dict[str, Any] = {"supervision.review_overdue_workdays": 10}

_USED: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "zhicheng_parameters_used", default=None
)


@contextmanager
def recording() -> Iterator[dict[str, Any]]:
    """Collect the parameters read inside the block (an operation's audit event keeps them)."""
    outer = _USED.get()
    used: dict[str, Any] = {}
    token = _USED.set(used)
    try:
        yield used
    finally:
        _USED.reset(token)
        if outer is not None:
            outer.update(used)


def _season_entry(season: Any, name: str) -> tuple[bool, Any]:
    node: Any = getattr(season, "parameters", None) or {}
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return node is not None, node


def _default(season: Any, name: str) -> Parameter:
    group, _, key = name.partition(".")
    if name in SETTINGS_NAMES:
        setting, fallback = SETTINGS_NAMES[name]
        return Parameter(name, getattr(settings, setting, fallback), source="settings")
    if group in SETTINGS_GROUPS and key:
        configured = getattr(settings, SETTINGS_GROUPS[group], {})
        if key in configured:
            return Parameter(name, configured[key], source="settings")
    if name in BUILTIN_DEFAULTS:
        return Parameter(name, BUILTIN_DEFAULTS[name], source="settings")
    if group in SETTINGS_GROUPS:
        raise ParameterMissing(f"系统参数 {SETTINGS_GROUPS[group]}[“{key}”] 未设置。")
    raise ParameterMissing(f"年度参数中没有“{name}”，请在{season}的年度参数中补充。")


def parameter(season: Any, name: str) -> Parameter:
    """The parameter `name` (dotted) of `season`: the season's value, else the system default."""
    found, entry = _season_entry(season, name)
    if found:
        if isinstance(entry, dict) and "value" in entry:
            result = Parameter(name, entry["value"], str(entry.get("clause", "")),
                               str(entry.get("text", "")))
        elif isinstance(entry, dict) and name.startswith("periods."):
            raise ParameterMissing(f"年度参数“{name}”缺少 value，请在{season}的年度参数中补充。")
        else:
            result = Parameter(name, entry)
    else:
        result = _default(season, name)
    used = _USED.get()
    if used is not None:
        used[name] = result.as_record()
    return result


def value(season: Any, name: str) -> Any:
    return parameter(season, name).value
