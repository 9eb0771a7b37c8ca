"""The public list's order from stored keys (Publicity.kind_rank, .sort_name, indexed): the
same order as the procedure's kinds, newest first, then the applicant's name, that the list
used to compute (a CASE over the kind and a join to the applicant for every row)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db.models import Case, IntegerField, Value, When

from zhicheng.applications.states import State
from zhicheng.publicity.models import KIND_ORDER, Publicity
from zhicheng.publicity.operations import open_publicity
from zhicheng.publicity.queries import public_publicities

pytestmark = pytest.mark.django_db


def _old_order(today: Any) -> list[int]:
    kind_order = Case(*[When(kind=k, then=Value(i)) for i, k in enumerate(KIND_ORDER)],
                      output_field=IntegerField())
    return list(public_publicities(today).annotate(old_kind=kind_order).order_by(
        "old_kind", "-first_day", "application__applicant__full_name", "pk",
    ).values_list("pk", flat=True))


@pytest.fixture
def listed(make_application: Any, unit_hr: Any, committee_office: Any, today: Any) -> Any:
    today("2024-09-27")
    for name in ("王五", "张三", "李四", "阿二"):
        open_publicity(make_application(name=name), "unit", unit_hr)
    for name in ("赵六", "钱七"):
        app = make_application(State.PRE_EVALUATION_PUBLICITY, name=name)
        open_publicity(app, "pre_evaluation", committee_office)
    later = today("2024-09-30")  # a later batch of the same kind lists first
    open_publicity(make_application(name="孙八"), "unit", unit_hr)
    return later


def test_the_list_is_in_the_same_order_as_before(listed: Any) -> None:
    got = list(public_publicities(listed).values_list("pk", flat=True))
    assert len(got) == 7
    assert got == _old_order(listed)
    names = [p.sort_name for p in Publicity.objects.filter(pk__in=got)]
    assert sorted(names) == sorted(["王五", "张三", "李四", "阿二", "赵六", "钱七", "孙八"])


def test_the_data_migration_fills_existing_publicities(listed: Any) -> None:
    before = list(public_publicities(listed).values_list("pk", flat=True))
    Publicity.objects.update(kind_rank=0, sort_name="")  # rows from before the columns
    migration = importlib.import_module("zhicheng.publicity.migrations.0002_public_order")
    migration.fill(django_apps, None)
    assert list(public_publicities(listed).values_list("pk", flat=True)) == before
