"""Shared fixtures: the 2024 season loaded once per test database, and the demo accounts."""

from __future__ import annotations

from typing import Any

import pytest

from zhicheng.core.operations import SYSTEM
from zhicheng.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo

SEASON_CODE = "lianyungang-2024"

# Tests hash with MD5: every demo account, factory user and login would otherwise pay for the
# production hasher's 1.5 million PBKDF2 rounds (about a second each). The production setting
# is untouched (zhicheng/settings.py); the deploy checks run it in their own process.
TEST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = TEST_PASSWORD_HASHERS
    # pytest-django runs a test inside a transaction that never commits, so the audit
    # sequencer's after-commit run would never come: chain inside the operation's transaction
    # (the same sequencer, called earlier). tests/core/test_audit_sequencer.py switches the
    # production mode back on and commits for real.
    settings.ZHICHENG_AUDIT_CHAINING = "in_transaction"


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


# --- the PostgreSQL run -----------------------------------------------------------------------
# `make test` runs the suite on SQLite and again on PostgreSQL. A test that uses no database
# gives the same answer on both, so the PostgreSQL run (`--database-tests-only`) leaves it out.
# Modules that start processes or read DATABASE_URL themselves stay in: the process they start
# may use this run's database.
DATABASE_FIXTURES = frozenset({
    "db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
    "live_server",
})
_SPAWNS = ("DATABASE_URL", "subprocess", "postgres", "connection")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only", action="store_true",
        help="deselect the tests that use no database (they ran already in the SQLite run)",
    )


def _needs_database(item: pytest.Item, sources: dict[str, str]) -> bool:
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    if item.get_closest_marker("django_db") is not None:
        return True
    path = str(item.path)
    if path not in sources:
        sources[path] = item.path.read_text(encoding="utf-8")
    return any(word in sources[path] for word in _SPAWNS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--database-tests-only"):
        return
    sources: dict[str, str] = {}
    keep, dropped = [], []
    for item in items:
        (keep if _needs_database(item, sources) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
