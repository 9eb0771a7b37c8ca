"""Every worked example in examples/profiles/ gives its expected decision."""

import json
from pathlib import Path

import pytest

from tests.policy.helpers import EXAMPLES
from zhicheng.policy import Profile, evaluate
from zhicheng.policy.registry import RULES

PROFILES = sorted(p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".expected.json"))


def _expected(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_example(path: Path):
    expected = _expected(path)
    decision = evaluate(Profile.model_validate_json(path.read_bytes()))
    outcomes = decision.outcomes()
    assert decision.verdict == expected["verdict"], decision.to_text()
    for rule, outcome in expected["outcomes"].items():
        assert outcomes.get(rule) == outcome, (rule, decision.to_text())
    if "seniority_months" in expected:
        assert decision.seniority is not None
        assert decision.seniority.months_counted == expected["seniority_months"]
    if "excluded_years" in expected:
        assert decision.seniority is not None
        assert [y.year for y in decision.seniority.excluded_years] == expected["excluded_years"]
    if "excluded_materials" in expected:
        assert sorted(m.id for m in decision.excluded_materials) == expected["excluded_materials"]
    if decision.verdict == "ineligible":
        assert decision.failing()


def test_examples_cover_every_rule():
    covered = set()
    for path in PROFILES:
        covered |= set(_expected(path)["outcomes"])
    assert {r.id for r in RULES} <= covered, {r.id for r in RULES} - covered


def test_every_example_has_an_expectation():
    assert len(PROFILES) >= len(RULES)
    for path in PROFILES:
        assert path.with_name(path.stem + ".expected.json").exists(), path.name
