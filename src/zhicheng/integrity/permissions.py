"""Who reads the integrity archive (django-rules): the city title office, in the admin, its
own city's records only (`IntegrityRecordAdmin`, docs/seasons.md, 多城市). Records are
written by `integrity.operations` alone."""

from __future__ import annotations

import rules

from zhicheng.orgs.permissions import is_city_office

rules.add_perm("integrity.view_integrityrecord", is_city_office)
rules.add_perm("integrity", is_city_office)  # lets the admin index show the app
