"""The expert draw (评委抽取), pure and Django-free, so anyone can re-run it.

Input: the candidate experts (id, specialty, title level) sorted by id, the excluded ids,
the groups to draw (specialty, level, how many, how many in reserve) and the seed. Output:
per group the selected ids and the reserve ids, in draw order.

Method (reproducible in any language): within a group the eligible candidates (matching
specialty and level, not excluded, not already drawn in an earlier group) are ranked by
SHA-256("<seed>|<group index>|<specialty>|<level>|<id>") as a hex string; the first
`count` are selected, the next `reserve` form the reserve list. Commit-reveal: the seed's
SHA-256 (`seed_hash`) is recorded and shown before the draw, the seed after it.

The id is the expert's pseudonymous pool code of the meeting (`P-07`, `pool_codes`), fixed
and published at the commit, so the public record re-runs the draw without naming anyone
(docs/trust.md §Expert draw). Records committed before the codes existed drew by pool id.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

# A candidate's id in the draw: the pseudonymous pool code (str), or the pool id (int) of a
# record committed before the codes. One draw uses one kind only.
Key = Any


@dataclass(frozen=True)
class Candidate:
    id: Key
    specialty: str
    level: str


@dataclass(frozen=True)
class Group:
    specialty: str
    level: str
    count: int
    reserve: int = 0


@dataclass(frozen=True)
class GroupResult:
    group: Group
    selected: tuple[Key, ...]
    reserve: tuple[Key, ...]
    shortfall: int = 0


@dataclass(frozen=True)
class DrawResult:
    groups: tuple[GroupResult, ...] = field(default_factory=tuple)

    @property
    def selected(self) -> tuple[Key, ...]:
        return tuple(i for g in self.groups for i in g.selected)

    @property
    def reserve(self) -> tuple[Key, ...]:
        return tuple(i for g in self.groups for i in g.reserve)

    @property
    def shortfall(self) -> int:
        return sum(g.shortfall for g in self.groups)

    def as_dict(self) -> dict[str, Any]:
        return {
            "selected": list(self.selected),
            "reserve": list(self.reserve),
            "groups": [
                {
                    "specialty": g.group.specialty,
                    "level": g.group.level,
                    "count": g.group.count,
                    "reserve_count": g.group.reserve,
                    "selected": list(g.selected),
                    "reserve": list(g.reserve),
                    "shortfall": g.shortfall,
                }
                for g in self.groups
            ],
        }


def new_seed() -> str:
    """A fresh secret seed (256 bits, hex)."""
    return secrets.token_hex(32)


def seed_hash(seed: str) -> str:
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def pool_codes(ids: Sequence[int]) -> dict[int, str]:
    """Fresh pseudonymous codes for one meeting's pool: `P-01`, `P-02`, … handed out in a
    secret random order (`secrets`), so a code says nothing of the pool id and the same
    expert has unrelated codes in two meetings. Zero-padded to one width (at least two
    digits), so the codes sort as text in their number order."""
    order = list(ids)
    secrets.SystemRandom().shuffle(order)
    width = max(2, len(str(len(order))))
    return {pk: f"P-{n:0{width}d}" for n, pk in enumerate(order, 1)}


def rank_key(seed: str, index: int, group: Group, expert_id: Key) -> str:
    text = f"{seed}|{index}|{group.specialty}|{group.level}|{expert_id}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def draw(
    candidates: Sequence[Candidate],
    excluded: Iterable[Key],
    groups: Sequence[Group],
    seed: str,
) -> DrawResult:
    """Draw every group in order; an expert is drawn at most once."""
    if not seed:
        raise ValueError("a draw needs a seed")
    ids = [c.id for c in candidates]
    if ids != sorted(ids) or len(set(ids)) != len(ids):
        raise ValueError("candidates must be sorted by id, without duplicates")
    out = set(excluded)
    taken: set[Key] = set()
    results: list[GroupResult] = []
    for index, group in enumerate(groups):
        if group.count < 0 or group.reserve < 0:
            raise ValueError("counts must be >= 0")
        eligible = [
            c.id
            for c in candidates
            if c.specialty == group.specialty
            and c.level == group.level
            and c.id not in out
            and c.id not in taken
        ]
        ranked = sorted(eligible, key=lambda i: rank_key(seed, index, group, i))
        selected = tuple(ranked[: group.count])
        reserve = tuple(ranked[group.count : group.count + group.reserve])
        taken.update(selected)
        taken.update(reserve)
        shortfall = max(0, group.count - len(selected))
        results.append(GroupResult(group, selected, reserve, shortfall))
    return DrawResult(tuple(results))
