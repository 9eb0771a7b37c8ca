"""Quorum, pass rule and pass-rate ceiling: exact rational arithmetic, no floats.

See docs/domain.md §National rules.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def quorum_holds(present: int, committee_size: int) -> bool:
    """Attending experts >= 2/3 of the (drawn) committee."""
    return committee_size > 0 and 3 * present >= 2 * committee_size


def quorum_needed(committee_size: int) -> int:
    """The smallest attendance that holds the quorum: ceil(2n/3)."""
    return -(-2 * committee_size // 3)


def passes(agree: int, attending: int) -> bool:
    """Agree >= 2/3 of the experts attending this vote (recused ones excluded; abstentions
    count in the denominator)."""
    return attending > 0 and 3 * agree >= 2 * attending


def pass_ceiling(rate_percent: Decimal | None, roster_size: int) -> int | None:
    """How many may pass under the pass-rate setting (floor of rate × roster), or None."""
    if rate_percent is None:
        return None
    return int(Fraction(rate_percent) * roster_size // 100)
