"""Quorum and the pass rule: exact rational arithmetic, property-tested.

See docs/domain.md §National rules.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from zhicheng.evaluation import rules


@settings(deadline=None)
@given(st.integers(1, 200), st.data())
def test_quorum_is_exactly_two_thirds(size: int, data: st.DataObject) -> None:
    present = data.draw(st.integers(0, size))
    assert rules.quorum_holds(present, size) == (Fraction(present, size) >= Fraction(2, 3))
    needed = rules.quorum_needed(size)
    assert rules.quorum_holds(needed, size) and not rules.quorum_holds(needed - 1, size)


def test_quorum_edges() -> None:
    assert rules.quorum_holds(10, 15) and not rules.quorum_holds(9, 15)
    assert rules.quorum_holds(5, 7) and not rules.quorum_holds(4, 7)  # 4/7 < 2/3 < 5/7
    assert not rules.quorum_holds(0, 0)


@settings(deadline=None)
@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60), st.integers(0, 30))
def test_pass_rule_counts_abstentions_and_drops_recused(
    agree: int, disagree: int, abstain: int, recused: int
) -> None:
    # recused experts vote on nothing and leave the denominator: attending = ballots cast
    attending = agree + disagree + abstain
    expected = attending > 0 and Fraction(agree, attending) >= Fraction(2, 3)
    assert rules.passes(agree, attending) == expected
    # with the recused wrongly counted the result could only get stricter
    if rules.passes(agree, attending + recused):
        assert rules.passes(agree, attending)


def test_pass_rule_edges() -> None:
    assert rules.passes(2, 3) and not rules.passes(1, 3)
    assert rules.passes(10, 15) and not rules.passes(9, 14)  # 9/14 = 0.6428…
    assert not rules.passes(6, 10) and rules.passes(7, 10)
    assert rules.passes(4, 6) and not rules.passes(3, 5)
    assert not rules.passes(0, 0)
    # abstentions count in the denominator: 4 agree, 1 abstain, 1 disagree of 6 -> 4/6 passes
    assert rules.passes(4, 6) and not rules.passes(4, 7)
    # float arithmetic would err here; exact integer comparison does not
    assert rules.passes(2 * 10**17, 3 * 10**17)


@settings(deadline=None)
@given(st.decimals(min_value=0, max_value=100, places=2), st.integers(0, 500))
def test_pass_ceiling_floor_of_exact_product(rate: Decimal, roster: int) -> None:
    ceiling = rules.pass_ceiling(rate, roster)
    assert ceiling is not None
    assert ceiling <= Fraction(rate) * roster / 100 < ceiling + 1
    assert rules.pass_ceiling(None, roster) is None
