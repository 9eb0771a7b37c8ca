from __future__ import annotations

from typing import Any

import pytest

from tests.factories.reviews import (  # noqa: F401  (fixtures of the navigation tests)
    chain,
    make_applicant,
    market_committee,
    official,
)


@pytest.fixture(autouse=True)
def demo_date(settings: Any) -> None:
    """The portal tests run on the demo's business date (inside the 2024 season)."""
    settings.ZHICHENG_TODAY = "2024-07-15"
