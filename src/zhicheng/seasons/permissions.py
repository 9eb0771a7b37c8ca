"""Who runs a season's lifecycle (load a package, publish, correct, re-decide): the city
title office, through `seasons.operations`."""

from __future__ import annotations

import rules

from zhicheng.orgs.permissions import is_city_office

rules.add_perm("seasons.manage_season", is_city_office)
rules.add_perm("seasons.view_seasonversion", is_city_office)
