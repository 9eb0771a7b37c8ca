"""The certificate fixtures (key directory, city office, approved results) serve here too."""

from tests.certificates.conftest import (  # noqa: F401
    _keys_and_date,
    city_office,
    issued,
    make_approved,
)
