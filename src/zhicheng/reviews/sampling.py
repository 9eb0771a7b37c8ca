"""The city office's sampling draw (材料抽查, 四（四）), pure and Django-free, so anyone can
re-run it from the public record (docs/trust.md §Sampling draw).

Commit-reveal like the expert draw: at the commit the population (the plan's dossiers
accepted by the committee office) is fixed, each dossier gets a pseudonymous code of this
sampling (`D-001`, in a secret random order) and the seed's SHA-256 is published; at the
draw the seed is revealed. The sample: rank every code by the hex text of
SHA-256("<seed>|<code>"), take the first `sample_size(len(population), share)`.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal


def new_seed() -> str:
    """A fresh secret seed (256 bits, hex)."""
    return secrets.token_hex(32)


def seed_hash(seed: str) -> str:
    """SHA-256 of the seed's hex text (its ASCII bytes), lower-case hex."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def population_codes(ids: Sequence[int]) -> dict[int, str]:
    """Fresh pseudonymous codes for one sampling's population: `D-001`, `D-002`, … handed out
    in a secret random order, zero-padded to one width (at least three digits) so they sort
    as text in number order. A code says nothing of the dossier's number, and the same
    dossier has unrelated codes in two samplings."""
    order = list(ids)
    secrets.SystemRandom().shuffle(order)
    width = max(3, len(str(len(order))))
    return {pk: f"D-{n:0{width}d}" for n, pk in enumerate(order, 1)}


def sample_size(population: int, share: Decimal) -> int:
    """ceil(population × share), at least 1 and at most the population; 0 when the share is 0
    or the population empty. Exact decimal arithmetic (share as written, e.g. 0.100)."""
    if population <= 0 or share <= 0:
        return 0
    k = int((Decimal(population) * share).to_integral_value(rounding=ROUND_CEILING))
    return min(population, max(1, k))


def rank_key(seed: str, code: str) -> str:
    return hashlib.sha256(f"{seed}|{code}".encode()).hexdigest()


def sampling_draw(population: Sequence[str], share: Decimal, seed: str) -> list[str]:
    """The sample in draw order: the codes ranked by `rank_key`, the first `sample_size`."""
    if not seed:
        raise ValueError("a sampling draw needs a seed")
    if len(set(population)) != len(population):
        raise ValueError("a code appears twice in the population")
    ranked = sorted(population, key=lambda code: rank_key(seed, code))
    return ranked[: sample_size(len(population), share)]
