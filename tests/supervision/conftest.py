"""Fixtures for the supervision tests: a small season built row by row. Applications are
placed directly in the state a test needs (test setup only: in the product only
states.fire() changes a state); `chain` (from the review tests) drives a real one through
the operations where the audit trail matters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories.reviews import (  # noqa: F401  (fixtures reused)
    chain,
    make_applicant,
    market_committee,
    official,
)
from tests.factories.supervision import build  # noqa: F401  (fixture)

TODAY = "2024-07-15"


@pytest.fixture(autouse=True)
def _business_date(settings: Any, tmp_path: Any) -> None:
    settings.ZHICHENG_TODAY = TODAY
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def city(demo_users: Any) -> Any:
    return demo_users["city_office"]


@pytest.fixture
def city_client(client: Any, city: Any) -> Any:
    client.force_login(city)
    return client
from tests.factories.cities import yunhu  # noqa: F401, E402  (fixture)
