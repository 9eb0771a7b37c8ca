"""Fixtures: a key directory per test, city office official with TOTP, approved results
(built in tests/factories/certificates.py)."""

from tests.factories.certificates import (  # noqa: F401  (fixtures)
    _keys_and_date,
    city_office,
    issued,
    make_approved,
)
