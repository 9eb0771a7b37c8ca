"""Shared fixtures: the 2024 season loaded once per test database, and the demo accounts."""

from __future__ import annotations

from typing import Any

import pytest

from zhicheng.core.operations import SYSTEM
from zhicheng.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo

SEASON_CODE = "lianyungang-2024"


def ensure_season_loaded() -> None:
    from zhicheng.seasons.loaders import load_catalogue, load_organisations, load_season
    from zhicheng.seasons.models import Season

    if not Season.objects.filter(code=SEASON_CODE).exists():
        load_organisations(SYSTEM)
        load_catalogue(SYSTEM)
        load_season(SYSTEM, SEASON_CODE)
        seed_demo(SYSTEM)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits and one-time-code markers live in the cache; no test inherits another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """A request in English leaves English active in the thread; no test inherits it."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def _no_embedded_ticker(settings: Any) -> None:
    """Pages under test do only their own work; tests of the ticker switch it back on."""
    settings.ZHICHENG_EMBEDDED_TICKER = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        ensure_season_loaded()


@pytest.fixture
def season(db: Any) -> Any:
    from zhicheng.seasons.models import Season

    ensure_season_loaded()  # transactional tests flush the database; reload then
    return Season.objects.get(code=SEASON_CODE)


@pytest.fixture
def demo_users(season: Any) -> dict[str, Any]:
    from zhicheng.accounts.models import User

    names = [a.username for a in DEMO_ACCOUNTS]
    return {u.username: u for u in User.objects.filter(username__in=names)}


@pytest.fixture
def demo_password() -> str:
    return DEMO_PASSWORD
