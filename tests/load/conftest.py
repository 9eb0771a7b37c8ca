"""Fixtures for the page-budget tests: one template application driven through the real
operations, cloned in bulk (as bench/load/seed.py does) to grow the data a page reads."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from typing import Any

import pytest

from tests.factories.load import pdf_upload
from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_FACTS, DEMO_PLAN_ROW, DEMO_SPECIALTY

_counter = itertools.count(1)
TODAY = "2024-07-15"  # plan 41 (质量工程, 市场监督管理局) accepts in 5–7月


@pytest.fixture(autouse=True)
def _business_date(settings: Any, tmp_path: Any) -> None:
    settings.ZHICHENG_TODAY = TODAY
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def applicant(season: Any) -> Any:
    """A new applicant with the demo profile at the demo employer."""
    from zhicheng.accounts.models import User
    from zhicheng.applications.models import ApplicantProfile
    from zhicheng.applications.profiles import validate_facts
    from zhicheng.orgs.models import Organisation

    def make() -> Any:
        n = next(_counter)
        user = User.objects.create_user(
            username=f"load_applicant{n}", password="pw-zhicheng-2024", full_name=f"申报人{n}",
            email=f"load_applicant{n}@example.invalid",
        )
        ApplicantProfile.objects.create(
            user=user, employer=Organisation.objects.get(name=DEMO_EMPLOYER),
            facts=validate_facts(copy.deepcopy(DEMO_FACTS)), schema_version="1.0",
        )
        return user

    return make


@pytest.fixture
def draft(season: Any) -> Any:
    """A submittable draft made by the real operations (start, material, commitment)."""
    from zhicheng.applications import operations as ops
    from zhicheng.catalogue.models import Series
    from zhicheng.seasons.models import CommitteePlan

    def make(user: Any) -> Any:
        plan = CommitteePlan.objects.get(season=season, row=DEMO_PLAN_ROW)
        app = ops.start_application(
            user, season=season, plan=plan, series_id=Series.objects.get(code="engineering").pk,
            specialty=DEMO_SPECIALTY, level="intermediate", route="normal",
        )
        ops.add_material(app, user, pdf_upload(f"title {app.pk}"), kind="title",
                         title="助理工程师证书", document_date=dt.date(2019, 6, 30))
        ops.accept_commitment(app, user, ip="127.0.0.1")
        app.refresh_from_db()
        return app

    return make


@pytest.fixture
def clone(applicant: Any) -> Any:
    """clone(template, n, state=…, **fields): n more applications shaped like `template`
    (same materials, latest submission and open publicity), each with its own applicant."""
    from zhicheng.applications.models import Application, Material, Submission
    from zhicheng.publicity.models import Publicity

    def make(template: Any, n: int, *, state: str | None = None, **fields: Any) -> list[Any]:
        materials = list(template.materials.all())
        sub = template.submissions.order_by("-number").first()
        publicity = Publicity.objects.filter(application=template).order_by("-pk").first()
        made = []
        for _ in range(n):
            user = applicant()
            app = Application.objects.create(
                applicant=user, season=template.season, plan=template.plan,
                series=template.series, specialty=template.specialty, level=template.level,
                route=template.route, state=state or template.state,
                employer=template.employer, preliminary_reviewer=template.preliminary_reviewer,
                submitted_at=template.submitted_at,
                commitment_accepted_at=template.commitment_accepted_at,
                commitment_sha256=template.commitment_sha256, **fields,
            )
            Material.objects.bulk_create([
                Material(application=app, kind=m.kind, title=m.title, file=m.file.name,
                         content_type=m.content_type, size=m.size, sha256=m.sha256,
                         document_date=m.document_date, uploaded_by=user)
                for m in materials
            ])
            if sub is not None:
                Submission.objects.create(application=app, number=1, snapshot=sub.snapshot,
                                          sha256=sub.sha256, token=f"clone-{app.pk}",
                                          created_by=user)
            if publicity is not None:
                Publicity.objects.create(
                    application=app, kind=publicity.kind, round=1,
                    organisation=publicity.organisation, first_day=publicity.first_day,
                    last_day=publicity.last_day, required_workdays=publicity.required_workdays,
                    parameter=publicity.parameter, clause=publicity.clause,
                )
            made.append(app)
        return made

    return make
