"""Quorum, pass rule and pass-rate ceiling: exact rational arithmetic, no floats.

See docs/domain.md §National rules.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

TWO_THIRDS = (2, 3)


def quorum_holds(present: int, committee_size: int,
                 share: tuple[int, int] = TWO_THIRDS) -> bool:
    """Attending experts >= share (2/3: 人社部令第40号, the season's evaluation.panel.quorum)
    of the (drawn) committee."""
    num, den = share
    return committee_size > 0 and den * present >= num * committee_size


def quorum_needed(committee_size: int, share: tuple[int, int] = TWO_THIRDS) -> int:
    """The smallest attendance that holds the quorum: ceil(2n/3) for 2/3."""
    num, den = share
    return -(-num * committee_size // den)


def passes(agree: int, attending: int) -> bool:
    """3·同意 ≥ 2·参加表决.

    《职称评审管理暂行规定》（人社部令第40号）第二十四条: “职称评审委员会经过评议，采取少数
    服从多数的原则，通过无记名投票表决，同意票数达到出席评审会议的评审专家总数2/3以上的即
    为评审通过。未出席评审会议的评审专家不得委托他人投票或者补充投票。” The notice adds no
    wording of its own; the provincial rules' wording is not in this repository (docs/domain.md
    §National rules, conf. H/M).

    `attending` is the case's eligible voters frozen when its vote opened: present, sitting,
    not recused. Abstentions and experts who cast no ballot (未投票) stay in it."""
    return attending > 0 and 3 * agree >= 2 * attending


def pass_ceiling(rate_percent: Decimal | None, roster_size: int) -> int | None:
    """How many may pass under the pass-rate setting (floor of rate × roster), or None."""
    if rate_percent is None:
        return None
    return int(Fraction(rate_percent) * roster_size // 100)
