"""Who may decide on a committee office's conduct (django-rules): the city title office
alone (五（三））."""

from __future__ import annotations

import rules

from zhicheng.orgs.permissions import is_city_office

REFUSAL = ("只有市职称办可以对评委会办事机构作出处理决定（五（三）），"
           "且只能处理本市的评委会办事机构。")

rules.add_perm("sanctions.decide", is_city_office)
