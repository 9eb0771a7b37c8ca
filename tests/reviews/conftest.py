"""Fixtures for the review-chain tests (built in tests/factories/reviews.py)."""

from tests.factories.cities import yunhu  # noqa: F401  (fixture)
from tests.factories.reviews import (  # noqa: F401  (fixtures)
    _business_date,
    chain,
    haizhou_reviewer_user,
    make_applicant,
    market_committee,
    official,
    today,
)
