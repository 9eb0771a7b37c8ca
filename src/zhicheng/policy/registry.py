"""The rule registry: every eligibility rule is a small function registered here once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zhicheng.policy.decision import Outcome

if TYPE_CHECKING:
    from zhicheng.policy.context import Context

# (outcome, message, clause or None for the rule's primary clause)
Out = tuple[Outcome, str, str | None]
RuleFunc = Callable[["Context"], Iterable[Out] | None]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    clauses: tuple[str, ...]
    title: str
    routes: frozenset[str] | None
    func: RuleFunc

    @property
    def clause(self) -> str:
        return self.clauses[0]


RULES: list[Rule] = []
_IDS: set[str] = set()


def rule(
    rule_id: str, clauses: str | tuple[str, ...], title: str, routes: Iterable[str] | None = None
) -> Callable[[RuleFunc], RuleFunc]:
    """Register `func` as rule `rule_id` citing `clauses` (the first is its primary clause)."""
    cl = (clauses,) if isinstance(clauses, str) else tuple(clauses)

    def decorate(func: RuleFunc) -> RuleFunc:
        if rule_id in _IDS:
            raise ValueError(f"duplicate rule id {rule_id}")
        _IDS.add(rule_id)
        RULES.append(Rule(rule_id, cl, title, frozenset(routes) if routes else None, func))
        return func

    return decorate


def ok(message: str, clause: str | None = None) -> Out:
    return ("pass", message, clause)


def fail(message: str, clause: str | None = None) -> Out:
    return ("fail", message, clause)


def review(message: str, clause: str | None = None) -> Out:
    return ("needs_review", message, clause)


def info(message: str, clause: str | None = None) -> Out:
    return ("info", message, clause)


def uncertain(confidence: str, message: str, clause: str | None = None) -> Out:
    """A failure resting on a parameter of confidence M or L goes to a person instead. The
    message says so in words; the confidence itself stays a data field of the season."""
    if confidence == "H":
        return fail(message, clause)
    return review(f"{message}（须人工核实）", clause)
