"""The committed JSON Schema is the one generated from the code."""

import json

from tests.policy.helpers import ROOT
from zhicheng.policy.profile import SCHEMA_VERSION
from zhicheng.policy.schema import main, render

COMMITTED = ROOT / "docs" / "schema" / "profile.schema.json"


def test_committed_schema_matches_code():
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "docs/schema/profile.schema.json is stale: run python -m zhicheng.policy.schema "
        "(and bump SCHEMA_VERSION with a note in docs/policy.md if the format changed)"
    )


def test_schema_carries_the_version():
    schema = json.loads(render())
    assert schema["x-schema-version"] == SCHEMA_VERSION
    assert schema["properties"]["schema_version"]["enum"] == ["1.0", "1.1", SCHEMA_VERSION]
    assert "request" in schema["required"]


def test_check_mode_detects_a_stale_file(tmp_path):
    stale = tmp_path / "schema.json"
    stale.write_text("{}", encoding="utf-8")
    assert main(["--check", str(stale)]) == 1
    assert main([str(stale)]) == 0
    assert main(["--check", str(stale)]) == 0
