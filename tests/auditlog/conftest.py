"""The second city's season (tests/factories/cities.py) for the 多城市 audit tests."""

from tests.factories.cities import yunhu  # noqa: F401  (fixture)
