"""Who may change someone else's sign-in (django-rules): the city title office resets an
official's lost second factor (docs/accounts.md §Two factors for officials)."""

from __future__ import annotations

import rules

from zhicheng.orgs.permissions import is_city_office

RESET_REFUSAL = "只有市职称办可以重置工作人员的双重认证。"

rules.add_perm("accounts.reset_second_factor", is_city_office)
