"""pytest-benchmark timings of the policy engine (not part of the test suite).

    .venv/bin/pytest bench/bench_policy.py -p no:django -p no:cacheprovider --confcutdir=bench \
        --benchmark-only
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhicheng.policy import Profile, evaluate, load_season
from zhicheng.policy.cli import decide_lines
from zhicheng.policy.sample import profiles

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "profiles"


@pytest.fixture(scope="module")
def lines() -> list[bytes]:
    return [json.dumps(p, ensure_ascii=False).encode() for p in profiles(1000)]


def test_parse(benchmark, lines):
    benchmark(lambda: [Profile.model_validate_json(line) for line in lines])


def test_evaluate(benchmark, lines):
    parsed = [Profile.model_validate_json(line) for line in lines]
    season = load_season()
    benchmark(lambda: [evaluate(p, season) for p in parsed])


def test_serialise(benchmark, lines):
    season = load_season()
    decisions = [evaluate(Profile.model_validate_json(line), season) for line in lines]
    benchmark(lambda: [d.to_json_bytes() for d in decisions])


def test_batch_end_to_end(benchmark, lines):
    benchmark(lambda: list(decide_lines(lines)))


def test_single_example(benchmark):
    data = (EXAMPLE / "engineering-intermediate-eligible.json").read_bytes()
    benchmark(lambda: evaluate(Profile.model_validate_json(data)).to_json_bytes())
