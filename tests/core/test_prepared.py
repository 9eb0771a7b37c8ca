"""Queries compiled once (core.prepared) give what the ORM gives for the same inputs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import router, transaction
from django.db.models import Prefetch

from tests.factories.applications import pdf_upload
from zhicheng.applications import operations as ops
from zhicheng.applications.models import Application, Material
from zhicheng.core.operations import _locked_read
from zhicheng.core.prepared import INT_MARKERS, Prepared, key_value, prepared
from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_FACTS, DEMO_PLAN_ROW, DEMO_SPECIALTY

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(season: Any, settings: Any, tmp_path: Any) -> Application:
    from zhicheng.accounts.models import User
    from zhicheng.applications.models import ApplicantProfile
    from zhicheng.applications.profiles import validate_facts
    from zhicheng.catalogue.models import Series
    from zhicheng.orgs.models import Organisation
    from zhicheng.seasons.models import CommitteePlan

    settings.ZHICHENG_TODAY = "2024-07-15"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    user = User.objects.create_user(username="prepared1", password="pw-zhicheng-2024",
                                    full_name="陈预备", email="prepared1@example.invalid")
    ApplicantProfile.objects.create(
        user=user, employer=Organisation.objects.get(name=DEMO_EMPLOYER),
        facts=validate_facts(dict(DEMO_FACTS)), schema_version="1.0")
    app = ops.start_application(
        user, season=season, plan=CommitteePlan.objects.get(season=season, row=DEMO_PLAN_ROW),
        series_id=Series.objects.get(code="engineering").pk, specialty=DEMO_SPECIALTY,
        level="intermediate", route="normal")
    for title in ("第一份", "第二份"):
        ops.add_material(app, user, pdf_upload(), kind="title", title=title,
                         document_date=dt.date(2019, 6, 30))
    return app


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: f.value_from_object(obj) for f in obj._meta.concrete_fields
            if f.attname in obj.__dict__}


def test_the_submission_read_is_the_orm_read(draft: Application) -> None:
    """The locking read of a submission: the same row, related rows, annotation and
    prefetched materials (each pointing back at the application) as QuerySet.get()."""
    with transaction.atomic():
        orm = ops._submission_reads(Application.objects.all()).get(pk=draft.pk)
        for _ in range(2):  # the second run uses the compiled statement
            got = _locked_read(Application, ops._submission_reads, draft.pk)
            assert _fields(got) == _fields(orm)
            for path in ("applicant", "applicant.applicant_profile",
                         "applicant.applicant_profile.employer", "season",
                         "season.published_version", "plan", "series"):
                a, b = got, orm
                for name in path.split("."):
                    a, b = getattr(a, name), getattr(b, name)
                assert _fields(a) == _fields(b), path
            assert "data" not in got.season.published_version.__dict__  # still deferred
            assert got.plan_withdrawal_in_force is orm.plan_withdrawal_in_force is False
            materials = list(got.materials.all())
            assert [_fields(m) for m in materials] == [_fields(m) for m in orm.materials.all()]
            assert [m.title for m in materials] == ["第一份", "第二份"]
            assert all(m.application is got for m in materials)
        with pytest.raises(Application.DoesNotExist):
            _locked_read(Application, ops._submission_reads, draft.pk + 10_000)


def test_rows_and_several_parents(draft: Application) -> None:
    """Rows as values_list() gives them; several parents' prefetches as Django's."""
    alias = router.db_for_read(Application)
    ids = prepared(("test.ids",), lambda pk: Application.objects.filter(pk__gte=pk)
                   .order_by("pk").values_list("pk", "submitted_at"), alias)
    assert ids.rows(draft.pk) == [(draft.pk, None)]
    assert ids.rows(draft.pk + 1) == []
    many = prepared(("test.many",), lambda pk: Application.objects.filter(pk__gte=pk).order_by(
        "pk").prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("pk"))),
        alias)
    (found,) = many.instances(0)
    assert [m.title for m in found.materials.all()] == ["第一份", "第二份"]


def test_a_marker_the_sql_does_not_carry_is_refused() -> None:
    with pytest.raises(LookupError):
        Prepared(Application.objects.filter(pk=1), INT_MARKERS[:1])


@pytest.mark.parametrize(("value", "expected"), [
    ("12", 12), (" 7", 7), ("x", None), ("7.0", None), (str(10**30), None), ("", None),
    (None, None), (5, 5),
])
def test_key_values_the_orm_would_not_find_are_none(value: Any, expected: int | None) -> None:
    assert key_value(Application, value) == expected
