"""One accessor for a season's parameters, as OpenFisca reads `parameters(period)`.

`parameter(season, "periods.unit_publicity_workdays")` reads a dotted name from the season's
parameters (`Season.parameters`, the published version's season.toml, docs/seasons.md §Season
parameters). Every rule of the season (periods, thresholds, deadlines) lives there with its
clause, source and confidence; there is no fallback to settings: a name the season does not
set is refused naming the season and the missing name (settings hold only deployment choices).
Every value read inside an operation is recorded in that operation's audit event
(`data["parameters"]`), so each decision keeps the parameter values it used.
`evaluation.params`, `supervision.params`, publicity's `period_parameter` and
`reviews.scope.correction_workdays` are this accessor.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from zhicheng.core.operations import OperationError


class ParameterMissing(OperationError):
    code = "parameter_missing"


@dataclass(frozen=True)
class Parameter:
    name: str
    value: Any
    clause: str = ""
    text: str = ""
    source: str = "season"
    confidence: str = ""
    basis: str = ""  # where a value without a clause comes from (season.toml `source`)

    def as_record(self) -> Any:
        record: dict[str, Any] = {"value": self.value, "source": self.source}
        for key in ("clause", "confidence"):
            if getattr(self, key):
                record[key] = getattr(self, key)
        return record


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


def _missing(season: Any, name: str) -> ParameterMissing:
    return ParameterMissing(
        f"年度参数中没有“{name}”，请在{season}的年度参数（season.toml）中补充。")


def parameter(season: Any, name: str) -> Parameter:
    """The parameter `name` (dotted) of `season`, with its clause, source and confidence."""
    found, entry = _season_entry(season, name)
    if found:
        if isinstance(entry, dict) and "value" in entry:
            result = Parameter(
                name, entry["value"], str(entry.get("clause", "")), str(entry.get("text", "")),
                confidence=str(entry.get("confidence", "")), basis=str(entry.get("source", "")),
            )
        elif isinstance(entry, dict):
            raise ParameterMissing(f"年度参数“{name}”缺少 value，请在{season}的年度参数中补充。")
        else:
            result = Parameter(name, entry)
    else:
        raise _missing(season, name)
    used = _USED.get()
    if used is not None:
        used[name] = result.as_record()
    return result


def value(season: Any, name: str) -> Any:
    return parameter(season, name).value
