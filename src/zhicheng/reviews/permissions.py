"""Object permissions for reviews (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from .queries import reviewable


@rules.predicate
def can_view_dossier(user: Any, application: Any) -> bool:
    if application is None:
        return False
    return reviewable(user).filter(pk=application.pk).exists()


rules.add_perm("reviews.view_dossier", can_view_dossier)
