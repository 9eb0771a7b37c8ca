"""The command line accepts exactly what the published JSON Schema accepts.

Profiles are generated from docs/schema/profile.schema.json itself (a small generator below:
hypothesis-jsonschema does not run with this hypothesis version), then edited at one place with a
value of the wrong kind, an unknown key or a missing key. For every document, `parse_profile`
(what `zhicheng eligibility` runs) must agree with a JSON Schema validator that checks formats.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.policy.helpers import base
from zhicheng.policy.cli import main, parse_profile
from zhicheng.policy.schema import DEFAULT_PATH

SCHEMA: dict[str, Any] = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema_rs.validator_for(SCHEMA, validate_formats=True)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def from_schema(node: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Documents valid under `node` (the keywords the profile schema uses)."""
    node = _resolve(node)
    if "anyOf" in node:
        return st.one_of([from_schema(n) for n in node["anyOf"]])
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "object":
        props = node.get("properties", {})
        required = set(node.get("required", []))
        return st.fixed_dictionaries(
            {k: from_schema(v) for k, v in props.items() if k in required},
            optional={k: from_schema(v) for k, v in props.items() if k not in required},
        )
    if kind == "array":
        return st.lists(from_schema(node["items"]), max_size=2)
    if kind == "string":
        if node.get("format") == "date":
            return st.dates().map(lambda d: d.isoformat())
        return st.text(
            min_size=node.get("minLength", 0), max_size=min(node.get("maxLength", 20), 20)
        )
    if kind == "integer":
        return st.integers(node.get("minimum", -(10**6)), node.get("maximum", 10**6))
    if kind == "number":
        low, high = node.get("minimum"), node.get("maximum")
        return st.one_of(
            st.integers(int(low) if low is not None else None, int(high) if high else None),
            st.floats(low, high, allow_nan=False, allow_infinity=False),
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    raise AssertionError(f"the generator does not know {node}")


PROFILES = from_schema(SCHEMA)
# Values of the kinds the issue found accepted or misreported, and their neighbours.
ODD_VALUES = [
    1,
    0,
    -1,
    2019,
    2019.0,
    2019.5,
    "2019",
    "30",
    "",
    "x" * 101,
    "x" * 501,
    True,
    False,
    None,
    [],
    {},
    1434000000,
    "2015-06-30",
    "2023-02-30",
    "2023-13-01",
    "0000-01-01",
    "2015-06-30T00:00:00",
    "2015-06-30 00:00",
    "20150630",
    "2015-6-30",
    "engineering",
    "bachelor",
    "normal",
    "1.0",
]


def inverted_work_period(document: Any) -> bool:
    """The one rule JSON Schema cannot state (WorkPeriod's "x-zhicheng-rule"): end >= start."""
    periods = document.get("work_history") if isinstance(document, dict) else None
    if not isinstance(periods, list):
        return False
    return any(
        isinstance(p, dict)
        and isinstance(p.get("start"), str)
        and isinstance(p.get("end"), str)
        and p["end"] < p["start"]
        for p in periods
    )


def schema_accepts(document: Any) -> bool:
    return VALIDATOR.is_valid(document) and not inverted_work_period(document)


def accepted(document: Any) -> bool:
    try:
        parse_profile(json.dumps(document, ensure_ascii=False))
    except ValidationError:
        return False
    return True


def places(document: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into the document (object keys and list indexes)."""
    found = [path]
    if isinstance(document, dict):
        for key, value in document.items():
            found += places(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += places(value, (*path, index))
    return found


def edit(document: Any, path: tuple[Any, ...], how: str, value: Any) -> Any:
    document = json.loads(json.dumps(document))
    if not path:
        return value if how == "replace" else document
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "replace":
        parent[last] = value
    elif how == "delete":
        del parent[last]
    elif how == "extra" and isinstance(parent[last], dict):
        parent[last]["colour"] = value
    return document


@SETTINGS
@given(PROFILES)
def test_every_document_the_schema_generates_is_accepted(document):
    assert VALIDATOR.is_valid(document)
    assert accepted(document) == schema_accepts(document), document


@SETTINGS
@given(PROFILES, st.data())
def test_an_edited_document_is_accepted_exactly_when_the_schema_accepts_it(document, data):
    path = data.draw(st.sampled_from(places(document)))
    how = data.draw(st.sampled_from(["replace", "replace", "replace", "delete", "extra"]))
    value = data.draw(st.sampled_from(ODD_VALUES))
    changed = edit(document, path, how, value)
    assert accepted(changed) == schema_accepts(changed), (path, how, value)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("employment", "contract"), 1),
        (("annual_assessments", 0, "year"), "2019"),
        (("continuing_education", 0, "public_hours"), "30"),
        (("education", 0, "date"), 1434000000),
        (("education", 0, "date"), "2015-06-30T00:00:00"),
        (("education", 0, "date"), "2023-02-30"),
    ],
)
def test_the_loose_values_the_issue_found_are_refused_by_both(where, value):
    data = edit(base(), where, "replace", value)
    assert not VALIDATOR.is_valid(data)
    assert not accepted(data)


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    code = main(list(argv), out=io.StringIO(), err=err)
    return code, err.getvalue()


def test_a_day_that_does_not_exist_is_named_as_such(tmp_path: Path):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(edit(base(), ("education", 0, "date"), "replace", "2023-02-30")),
        encoding="utf-8",
    )
    code, err = run(str(path))
    assert code == 2
    assert "$.education[0].date: 该日期不存在：2023年2月没有30日（2023-02-30）" in err
    path.write_text(
        json.dumps(edit(base(), ("education", 0, "date"), "replace", "2023-13-01")),
        encoding="utf-8",
    )
    assert "该日期不存在：没有13月" in run(str(path))[1]
    path.write_text(
        json.dumps(edit(base(), ("education", 0, "date"), "replace", "2023/02/01")),
        encoding="utf-8",
    )
    assert "日期格式应为 YYYY-MM-DD" in run(str(path))[1]


@pytest.mark.parametrize("content", ["", "\n", "  \n\n"])
def test_an_empty_file_is_reported_as_empty(tmp_path: Path, content: str):
    path = tmp_path / "empty.json"
    path.write_text(content, encoding="utf-8")
    code, err = run(str(path))
    assert code == 2 and "文件为空" in err and "JSON" not in err
    code, err = run("--batch", str(path))
    assert code == 2 and "文件为空" in err


def test_a_work_period_ending_before_it_starts_is_refused_as_the_schema_says(tmp_path: Path):
    data = base()
    data["work_history"].append({"start": "2020-01-01", "end": "2019-01-01"})
    assert VALIDATOR.is_valid(data) and not accepted(data)
    assert "x-zhicheng-rule" in SCHEMA["$defs"]["WorkPeriod"]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, err = run(str(path))
    assert code == 2 and "$.work_history[1]: 工作经历的结束日期早于开始日期" in err


def test_the_year_0000_is_refused_by_the_schema_and_the_parser() -> None:
    """RFC 3339 writes the year 0000, which no calendar has: hypothesis found the schema
    accepting a date the parser refuses."""
    document = edit(base(), ("education", 0, "date"), "replace", "0000-01-01")
    assert not accepted(document) and not schema_accepts(document)
    document = edit(base(), ("education", 0, "date"), "replace", "0001-01-01")
    assert accepted(document) == schema_accepts(document)
