"""Who may follow a job and download its result: its owner, and anyone its kind allows on the
same scope (the same permission: another office of the same city), unless the result is the
owner's own (their worklist)."""

from __future__ import annotations

from typing import Any

import rules

from .registry import kind_of


@rules.predicate
def may_follow_job(user: Any, job: Any) -> bool:
    if job is None or not getattr(user, "is_authenticated", False):
        return False
    if job.owner_id == user.pk:
        return True
    kind = kind_of(job.kind)
    return bool(kind and not kind.owner_only and kind.allowed(user, job.scope))


rules.add_perm("jobs.view_job", may_follow_job)
