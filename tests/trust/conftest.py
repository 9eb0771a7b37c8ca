"""Fixtures: a key directory per test and issued certificates (tests/factories/certificates.py),
the evaluation World (tests/factories/evaluation.py)."""

from tests.factories.certificates import (  # noqa: F401  (fixtures)
    _keys_and_date,
    city_office,
    issued,
    make_approved,
)
from tests.factories.evaluation import world  # noqa: F401  (fixture)
