"""Fixtures: the evaluation tests' World (a 市工信局 committee over plan row 49 with an expert
pool) on 2024-10-08 with a key directory; the meeting builders are in
tests/factories/sanctions.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from tests.factories.cities import yunhu  # noqa: F401  (fixture)
from tests.factories.evaluation import world  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _clean(settings: Any, tmp_path: Any) -> Any:
    from zhicheng.certificates import keys

    settings.ZHICHENG_TODAY = "2024-10-08"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ZHICHENG_KEY_DIR = str(tmp_path / "keys")
    keys.generate()
    cache.clear()
    yield
    cache.clear()
