"""Fixtures for the evaluation tests: the World of tests/factories/evaluation.py, on
2024-10-08 with a clean cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from tests.factories.evaluation import world  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _clean(settings: Any, tmp_path: Any) -> Any:
    settings.ZHICHENG_TODAY = "2024-10-08"
    settings.ZHICHENG_BALLOT_KEY_DIR = str(tmp_path / "ballot-keys")
    cache.clear()
    yield
    cache.clear()
