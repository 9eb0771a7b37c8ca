"""Committee composition checks (docs/domain.md §National rules): odd number, minimum sizes
(parameters), terms ≤ 3 years, one chair; reported as a list of violations."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from zhicheng.evaluation.models import CommitteeMember, MemberRole
from zhicheng.evaluation.queries import composition_violations

pytestmark = pytest.mark.django_db


def _members(world, n: int) -> None:
    for i, e in enumerate(world.pool(n)):
        CommitteeMember.objects.create(committee=world.committee, expert=e,
                                       role=MemberRole.CHAIR if i == 0 else MemberRole.MEMBER)


def test_a_valid_intermediate_specialty_committee(world) -> None:
    _members(world, 7)
    assert composition_violations(world.committee, world.season) == []


def test_even_small_long_terms_and_chairs_are_reported(world) -> None:
    _members(world, 6)
    world.committee.term_end = dt.date(2026, 6, 1)  # 2023-01-01 + 3 years < 2026-06-01
    world.committee.save()
    e = world.committee.members.last().expert
    e.term_end = dt.date(2027, 1, 1)
    e.save()
    CommitteeMember.objects.filter(committee=world.committee).update(role=MemberRole.MEMBER)
    v = composition_violations(world.committee, world.season)
    assert "委员人数为6人，应为单数。" in v
    assert "中级评委会按专业组建，委员应不少于7人，现有6人。" in v
    assert any("评委会任期" in x and "超过3年" in x for x in v)
    assert any(f"专家{e.user}任期" in x for x in v)
    assert "应有且只有一名主任委员（现有0名）。" in v


def test_minimum_sizes_are_parameters(world) -> None:
    _members(world, 7)
    world.committee.by_specialty = False
    world.committee.save()
    assert "中级评委会按系列组建，委员应不少于15人，现有7人。" in composition_violations(
        world.committee, world.season)
    params = copy.deepcopy(world.season.parameters)
    params["evaluation"]["committee_min_size"] = {
        "value": {"intermediate": [7, 5]}, "source": "示例", "confidence": "L"}
    world.season.parameters = params
    world.season.save()
    assert composition_violations(world.committee, world.season) == []


def test_the_demo_committee_meets_the_rules_and_is_idempotent(season) -> None:
    from zhicheng.core.operations import SYSTEM
    from zhicheng.demo.evaluation import seed_demo_evaluation
    from zhicheng.evaluation.models import Expert

    committee = seed_demo_evaluation(SYSTEM)
    again = seed_demo_evaluation(SYSTEM)
    assert committee.pk == again.pk and committee.members.count() == 7
    assert Expert.objects.filter(user__username="expert").exists()
    assert composition_violations(committee, season) == []
