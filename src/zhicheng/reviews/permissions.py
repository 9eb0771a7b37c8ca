"""Object permissions for reviews (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from zhicheng.orgs.permissions import is_city_office

from .queries import reviewable


@rules.predicate
def can_view_dossier(user: Any, application: Any) -> bool:
    if application is None:
        return False
    return reviewable(user).filter(pk=application.pk).exists()


SAMPLING_REFUSAL = "只有市职称办可以进行抽查。"

rules.add_perm("reviews.view_dossier", can_view_dossier)
rules.add_perm("reviews.sample", is_city_office)
