"""The data report (docs/data-report.md) validates against its published JSON Schema
(docs/schema/data-report.schema.json), so the city office's or the province's system can
check a report before reading it; a report that breaks the layout is refused by it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest

from zhicheng.evaluation import operations as ops
from zhicheng.evaluation.exports import data_report_json

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "schema"
                     / "data-report.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema_rs.validator_for(SCHEMA, validate_formats=True)


def test_a_published_meeting_report_validates(world) -> None:
    world.pool(7)
    apps = [world.application(f"申报{i}") for i in range(2)]
    m = world.opened(count=5, reserve=0)
    world.vote_all(m, {apps[0].pk: ["agree"] * 5, apps[1].pk: ["disagree"] * 5})
    seats = list(m.seats.all())
    ops.assign_tally_roles(m, world.office, seats[0], seats[1])
    ops.sign_tally(m, seats[0].expert.user)
    ops.sign_tally(m, seats[1].expert.user)
    ops.record_results(m, world.office)
    world.today("2024-10-28")
    ops.publish_results(m, world.office)
    m.refresh_from_db()
    payload = json.loads(data_report_json(m))
    VALIDATOR.validate(payload)
    assert [a["result"] for a in payload["applicants"]] == ["passed", "not_passed"]

    payload["applicants"][0]["level"] = "副高级"  # a label where the code belongs
    assert not VALIDATOR.is_valid(payload)
    del payload["applicants"][0]["level"]
    assert not VALIDATOR.is_valid(payload)
