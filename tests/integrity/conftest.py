"""The certificate fixtures (key directory, city office, approved results) serve here too."""

from tests.factories.certificates import (  # noqa: F401  (fixtures)
    _keys_and_date,
    city_office,
    issued,
    make_approved,
)
from tests.factories.cities import yunhu  # noqa: F401  (fixture)
