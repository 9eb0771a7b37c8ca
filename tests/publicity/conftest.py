"""Fixtures for the publicity tests: applications placed directly in a publicity state
(test setup only — in the product only states.fire() changes a state), posting officials,
and a business date that tests set explicitly."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.cache import cache

from zhicheng.applications.states import State
from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_SPECIALTY

_counter = itertools.count(100)

# A plan row whose committee office is 市工信局 (demo committee account gongxin_committee).
GONGXIN_PLAN_ROW = 49

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(serial: int) -> str:
    """A checksum-valid (fictional) mainland resident identity number."""
    body = f"32070619850601{serial % 1000:03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]
    return body + check


@pytest.fixture(autouse=True)
def _clean(settings: Any) -> Any:
    settings.ZHICHENG_TODAY = ""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today(settings: Any) -> Any:
    """Pin the business date: today("2024-09-27")."""

    def set_today(value: str) -> dt.date:
        settings.ZHICHENG_TODAY = value
        return dt.date.fromisoformat(value)

    return set_today


@pytest.fixture
def org(season: Any) -> Any:
    from zhicheng.orgs.models import Organisation

    def get(name: str) -> Organisation:
        return Organisation.objects.get(name=name)

    return get


@pytest.fixture
def committee_plan(season: Any) -> Any:
    from zhicheng.orgs.models import Organisation
    from zhicheng.seasons.models import CommitteePlan

    plan = CommitteePlan.objects.get(season=season, row=GONGXIN_PLAN_ROW)
    if plan.office is None:  # the test database is rolled back after each test
        plan.office = Organisation.objects.get(short_name="市工信局")
        plan.save()
    return plan


@pytest.fixture
def make_application(season: Any, committee_plan: Any) -> Any:
    """An application in `state`, its applicant with an identity number, phone and email."""
    from zhicheng.accounts.models import User
    from zhicheng.applications.models import Application
    from zhicheng.catalogue.models import Series
    from zhicheng.orgs.models import Organisation

    engineering = Series.objects.get(code="engineering")

    def make(
        state: str = State.UNIT_PUBLICITY,
        *,
        name: str = "张公示",
        employer: str | None = DEMO_EMPLOYER,
        level: str = "intermediate",
    ) -> Application:
        n = next(_counter)
        user = User.objects.create_user(
            username=f"pub{n}",
            password=None,  # unusable: hashing a real one costs ~0.5 s
            full_name=name,
            email=f"pub{n}@private.invalid",
            id_type="resident",
            id_number=resident_id(n),
            phone=f"139{n:08d}",
        )
        return Application.objects.create(
            applicant=user,
            season=season,
            plan=committee_plan,
            series=engineering,
            specialty=DEMO_SPECIALTY,
            level=level,
            state=state,  # test setup only
            employer=Organisation.objects.get(name=employer) if employer else None,
            submitted_at=dt.datetime(2024, 9, 1, tzinfo=dt.UTC),
        )

    return make


@pytest.fixture
def unit_hr(demo_users: Any) -> Any:
    return demo_users["unit_hr"]


@pytest.fixture
def committee_office(demo_users: Any) -> Any:
    return demo_users["gongxin_committee"]


@pytest.fixture
def other_unit_hr(season: Any) -> Any:
    """HR of another employer (with a second factor, like every official)."""
    from zhicheng.accounts.models import User
    from zhicheng.accounts.totp import activate_totp
    from zhicheng.orgs.models import Membership, Organisation, OrgKind, Role

    other = (
        Organisation.objects.filter(kind=OrgKind.EMPLOYER).exclude(name=DEMO_EMPLOYER).first()
    )
    assert other is not None
    user = User.objects.create_user(username="other_hr", password=None, full_name="别家人事")
    Membership.objects.create(user=user, organisation=other, role=Role.UNIT_HR)
    activate_totp(user, "ZHICHENGDEMOONLYZHICHENGDEMOONLY")
    return user
