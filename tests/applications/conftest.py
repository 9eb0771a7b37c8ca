"""Fixtures for the applications tests: applicants with profiles, drafts, valid PDFs."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from tests.factories.applications import pdf_upload
from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_FACTS, DEMO_PLAN_ROW, DEMO_SPECIALTY

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _business_date(settings: Any, tmp_path: Any) -> None:
    settings.ZHICHENG_TODAY = "2024-07-15"
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def org(season: Any) -> Any:
    from zhicheng.orgs.models import Organisation

    def get(name: str) -> Organisation:
        return Organisation.objects.get(name=name)

    return get


@pytest.fixture
def plan(season: Any) -> Any:
    from zhicheng.seasons.models import CommitteePlan

    def get(row: int = DEMO_PLAN_ROW) -> CommitteePlan:
        return CommitteePlan.objects.get(season=season, row=row)

    return get


@pytest.fixture
def engineering(season: Any) -> Any:
    from zhicheng.catalogue.models import Series

    return Series.objects.get(code="engineering")


@pytest.fixture
def make_applicant(season: Any) -> Any:
    """A new applicant with the demo profile (facts overridable) at an employer."""
    from zhicheng.accounts.models import User
    from zhicheng.applications.models import ApplicantProfile
    from zhicheng.applications.profiles import validate_facts
    from zhicheng.orgs.models import Organisation

    def make(
        employer: str | None = DEMO_EMPLOYER,
        *,
        freelancer: bool = False,
        facts: dict[str, Any] | None = None,
        name: str = "王测试",
    ) -> Any:
        n = next(_counter)
        user = User.objects.create_user(
            username=f"applicant{n}", password="pw-zhicheng-2024", full_name=name,
            email=f"applicant{n}@example.invalid",
        )
        data = copy.deepcopy(facts if facts is not None else DEMO_FACTS)
        ApplicantProfile.objects.create(
            user=user,
            employer=Organisation.objects.get(name=employer) if employer else None,
            freelancer=freelancer,
            facts=validate_facts(data),
            schema_version="1.0",
        )
        return user

    return make


@pytest.fixture
def make_draft(season: Any, plan: Any, engineering: Any) -> Any:
    from zhicheng.applications import operations as ops

    def make(user: Any, *, row: int = DEMO_PLAN_ROW, level: str = "intermediate") -> Any:
        return ops.start_application(
            user, season=season, plan=plan(row), series_id=engineering.pk,
            specialty=DEMO_SPECIALTY, level=level, route="normal",
        )

    return make


@pytest.fixture
def ready_draft(make_draft: Any) -> Any:
    """A draft with one material and the commitment signed: submittable."""
    import datetime as dt

    from zhicheng.applications import operations as ops

    def make(user: Any, **kwargs: Any) -> Any:
        app = make_draft(user, **kwargs)
        ops.add_material(
            app, user, pdf_upload(), kind="title", title="助理工程师证书",
            document_date=dt.date(2019, 6, 30),
        )
        ops.accept_commitment(app, user, ip="127.0.0.1")
        app.refresh_from_db()
        return app

    return make
