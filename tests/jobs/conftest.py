"""Fixtures: a key directory per test, the city office official, approved results and
issued certificates (tests/factories/certificates.py)."""

from tests.factories.certificates import (  # noqa: F401  (fixtures)
    _keys_and_date,
    city_office,
    issued,
    make_approved,
)
