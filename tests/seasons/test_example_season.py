"""The example package lianyungang-2025-example (示例) beside the 2024 season: loaded and
published while 2024 is current, a dossier applies and is decided in it, 2024 stays readable."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from tests.factories.applications import pdf_upload
from zhicheng.accounts.models import User
from zhicheng.applications import operations as ops
from zhicheng.applications.models import ApplicantProfile
from zhicheng.applications.profiles import decide_application, validate_facts
from zhicheng.catalogue.models import Series
from zhicheng.core.operations import SYSTEM
from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_FACTS, DEMO_SPECIALTY
from zhicheng.orgs.models import Organisation
from zhicheng.policy.package import read_package
from zhicheng.policy.plans import season_dir
from zhicheng.seasons.loaders import load_season
from zhicheng.seasons.models import CommitteePlan, Season

pytestmark = pytest.mark.django_db
EXAMPLE = "lianyungang-2025-example"


def test_the_example_package_is_labelled_and_differs_as_documented():
    data, problems = read_package(season_dir(EXAMPLE))
    assert problems == []
    head = data["manifest"]["package"]
    assert head["example"] is True and "示例" in head["name"]
    assert "示例" in data["texts"]["notice"] and "不是正式通知" in data["texts"]["notice"]
    initial = data["tables"]["initial_determination"]
    assert initial["recent_from_year"] == 2023


def test_a_dossier_is_decided_in_the_example_season_while_2024_stays_readable(
    season, settings, client
):
    settings.ZHICHENG_TODAY = "2025-07-15"
    load_season(SYSTEM, EXAMPLE, publish_on=dt.date(2025, 5, 8))
    example = Season.objects.get(code=EXAMPLE)
    assert example.is_current and example.name == "连云港市2025年度职称评审（示例）"
    new_row = CommitteePlan.objects.get(season=example, row=74)
    assert new_row.office is not None and new_row.office.short_name == "市数据局"
    assert CommitteePlan.objects.get(season=example, row=41).acceptance_text == "5月-8月"
    user = User.objects.create_user(
        username="example-applicant", password="pw-zhicheng-2024", full_name="示例申报人",
        email="example-applicant@example.invalid",
    )
    facts = copy.deepcopy(DEMO_FACTS)
    # A year later, the 2025 season asks for the continuing education of 2024 as well (二（九）).
    facts["continuing_education"].append(
        {"year": 2024, "public_hours": 30, "professional_hours": 64, "public_certificate": True}
    )
    ApplicantProfile.objects.create(
        user=user, employer=Organisation.objects.get(name=DEMO_EMPLOYER),
        facts=validate_facts(facts), schema_version="1.0",
    )
    app = ops.start_application(
        user, season=example, plan=CommitteePlan.objects.get(season=example, row=41),
        series_id=Series.objects.get(code="engineering").pk, specialty=DEMO_SPECIALTY,
        level="intermediate", route="normal",
    )
    ops.add_material(app, user, pdf_upload(), kind="title", title="助理工程师证书",
                     document_date=dt.date(2019, 6, 30))
    ops.accept_commitment(app, user, ip="127.0.0.1")
    submission = ops.submit_application(app, user, token="t-example")
    app.refresh_from_db()
    assert app.season_version == example.published_version
    assert submission.snapshot["decision"]["season"] == EXAMPLE
    _payload, decision = decide_application(app)
    assert decision.seniority is not None
    assert decision.seniority.counted_to == dt.date(2024, 12, 31)
    # The 2024 season stays readable: its plan table, its notice, and it is no longer current.
    season.refresh_from_db()
    assert not season.is_current
    old_plans = client.get("/api/plans", {"season": "lianyungang-2024", "q": "质量工程"}).json()
    assert [p["row"] for p in old_plans["items"]] == [41]
    assert old_plans["items"][0]["acceptance_text"] == "5月-7月"
    assert client.get("/notice/lianyungang-2024-notice/").status_code == 200
    current = client.get("/notice/")
    assert current.status_code == 200 and "示例" in current.content.decode()
