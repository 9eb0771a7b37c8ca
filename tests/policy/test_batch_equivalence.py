"""The batch fast path decides exactly as evaluate() does, profile by profile.

`zhicheng eligibility --batch` parses lines with pydantic-core, runs the tuned rules and writes
each decision with orjson. These tests run generated profiles (and edits of them that reach
other routes and outcomes) through the batch and compare every output line, byte for byte, with
evaluate() of the same profile on a fresh season, serialised by the standard library's json.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import random
from typing import Any

from tests.policy.helpers import EXAMPLES, base, decide
from zhicheng.policy import load_season
from zhicheng.policy.cli import decide_lines, describe_errors, main, parse_profile
from zhicheng.policy.sample import profiles

GENERATED = 400


def _reference(data: dict[str, Any]) -> bytes:
    """The decision line as the stdlib writes it: compact, Chinese unescaped.

    Decided on a fresh copy of the season, so nothing kept from other profiles (the season's
    lookups, the request memo of Season.rule_memo) can take part: a memo key that misses an
    input shows up as a difference.
    """
    decision = decide(data, season=dataclasses.replace(load_season()))
    return json.dumps(decision.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()


def _edited(rng: random.Random, data: dict[str, Any]) -> dict[str, Any]:
    """A still-valid variant that moves the profile to other branches of the rules."""
    data = copy.deepcopy(data)
    edits = [
        ("request", "route", rng.choice(["normal", "same_level_transfer", "education_exception"])),
        ("request", "plan_row", rng.choice([None, 1, 4, 19, 21, 55, 63, 66, 999])),
        ("request", "application_date", rng.choice(["2023-12-31", "2024-03-31", "2024-06-15"])),
        ("employment", "status", rng.choice(["employed", "freelance", "retired", "unemployed"])),
        ("employment", "sector", rng.choice(["education", "health", "other"])),
        ("residence", "category", rng.choice(["mainland", "hong_kong", "foreign"])),
    ]
    for section, key, value in rng.sample(edits, 3):
        data[section][key] = value
    for record in data["annual_assessments"]:
        if rng.random() < 0.3:
            record["grade"] = rng.choice(["basically_competent", "incompetent", "not_graded"])
    for record in data["continuing_education"]:
        if rng.random() < 0.2:
            record["public_hours"] = rng.choice([0, 12.5, 30])
    if rng.random() < 0.3:
        data["work_history"].append(
            {"start": "2019-02-28", "end": "2020-02-29", "professional": rng.random() < 0.5}
        )
    if rng.random() < 0.3:
        data["integrity_records"] = [{"kind": "false_pledge", "recorded_on": "2022-05-01"}]
    if rng.random() < 0.3:
        data["qualifications"] = [{"name": "注册会计师", "obtained_on": "2016-09-30"}]
    return data


def _corpus() -> list[dict[str, Any]]:
    generated = profiles(GENERATED, seed=11)
    rng = random.Random(11)
    examples = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(EXAMPLES.glob("*.json"))
        if not path.name.endswith(".expected.json")
    ]
    return generated + examples + [_edited(rng, p) for p in generated[:200] + examples]


def test_batch_lines_equal_evaluate_per_profile():
    corpus = _corpus()
    lines = [json.dumps(p, ensure_ascii=False).encode() for p in corpus]
    results = list(decide_lines(lines))
    assert [number for number, _, _ in results] == list(range(1, len(corpus) + 1))
    verdicts = set()
    for (number, data, problems), profile in zip(results, corpus, strict=True):
        assert problems == [], (number, problems)
        assert data == _reference(profile), f"line {number} differs from evaluate()"
        verdicts.add(json.loads(data)["verdict"])
    assert verdicts == {"eligible", "ineligible", "needs_review"}


def test_batch_command_writes_the_same_lines_and_reports_bad_ones(tmp_path):
    corpus = _corpus()[:120]
    bad = base()
    bad["request"]["application_date"] = "2024-13-01"
    bad["titles"][0]["series"] = "no_such_series"
    del bad["residence"]
    text = [json.dumps(p, ensure_ascii=False) for p in corpus]
    text.insert(7, json.dumps(bad, ensure_ascii=False))
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(text) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    err = io.StringIO()
    code = main(["--batch", str(source), "-o", str(target)], out=io.StringIO(), err=err)
    assert code == 2
    written = target.read_bytes().splitlines()
    assert written == [_reference(p) for p in corpus]
    expected = describe_errors(_validation_error(json.dumps(bad)))
    assert {p["path"] for p in expected} == {
        "$.request.application_date",
        "$.titles[0].series",
        "$.residence",
    }
    for problem in expected:
        assert f"line 8: {problem['path']}: {problem['problem']}" in err.getvalue()


def test_a_plan_row_beyond_64_bits_is_still_written():
    data = base()
    data["request"]["plan_row"] = 10**30
    [(_, line, problems)] = list(decide_lines([json.dumps(data).encode()]))
    assert problems == []
    assert line == _reference(data)
    assert json.loads(line)["request"]["plan_row"] == 10**30


def _validation_error(text: str) -> Any:
    try:
        parse_profile(text)
    except Exception as exc:  # pydantic.ValidationError
        return exc
    raise AssertionError("expected the profile to be invalid")
