"""Certificates: a key directory per test (autouse where imported), the city office official
with TOTP, approved results and issued certificates (tests/certificates, tests/integrity,
the certificate journey in the browser)."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_FACTS, DEMO_PLAN_ROW, DEMO_SPECIALTY

_counter = itertools.count(1)


def resident_id(n: int) -> str:
    from stdnum.cn import ric

    body = f"32070619900315{n % 1000:03d}"
    return body + ric.calc_check_digit(body)


@pytest.fixture(autouse=True)
def _keys_and_date(settings: Any, tmp_path: Any) -> None:
    from zhicheng.certificates import keys

    settings.ZHICHENG_TODAY = "2024-11-15"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ZHICHENG_KEY_DIR = str(tmp_path / "keys")
    keys.generate()


@pytest.fixture
def city_office(season: Any, demo_users: dict[str, Any]) -> Any:
    from zhicheng.accounts.totp import activate_totp
    from zhicheng.demo.accounts import DEMO_TOTP_SECRET

    user = demo_users["city_office"]
    activate_totp(user, DEMO_TOTP_SECRET)
    return user


@pytest.fixture
def make_approved(season: Any) -> Any:
    """An application brought to `approved` directly (test setup only: the evaluation
    meeting that leads there is another issue)."""
    from zhicheng.accounts.models import User
    from zhicheng.applications.models import ApplicantProfile, Application
    from zhicheng.applications.profiles import validate_facts
    from zhicheng.catalogue.models import Series
    from zhicheng.orgs.models import Organisation
    from zhicheng.seasons.models import CommitteePlan

    def make(name: str = "张证书", route: str = "normal", state: str = "approved") -> Any:
        n = next(_counter)
        user = User.objects.create_user(
            username=f"holder{n}", password="pw-zhicheng-2024", full_name=name,
            email=f"holder{n}@example.invalid", id_type="resident", id_number=resident_id(n),
        )
        ApplicantProfile.objects.create(
            user=user, employer=Organisation.objects.get(name=DEMO_EMPLOYER),
            facts=validate_facts(copy.deepcopy(DEMO_FACTS)), schema_version="1.0",
        )
        employer = Organisation.objects.get(name=DEMO_EMPLOYER)
        app = Application.objects.create(
            applicant=user, season=season,
            plan=CommitteePlan.objects.get(season=season, row=DEMO_PLAN_ROW),
            series=Series.objects.get(code="engineering"), specialty=DEMO_SPECIALTY,
            level="intermediate", route=route, state=state, employer=employer,
        )
        app.refresh_from_db()
        return app

    return make


@pytest.fixture
def issued(make_approved: Any, city_office: Any) -> Any:
    from zhicheng.certificates.operations import issue_certificate

    def make(**kwargs: Any) -> Any:
        app = make_approved(**kwargs)
        return issue_certificate(app, city_office, approval_number="连职称办〔2024〕12号")

    return make
