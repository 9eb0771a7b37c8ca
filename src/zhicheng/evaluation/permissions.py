"""Who may act on a committee and its meetings (django-rules): the committee's office
(评委会办事机构) runs its pool, members and meetings; the city title office approves opening
reports and files results (五（二）、四（四）)."""

from __future__ import annotations

from typing import Any

import rules

from zhicheng.core.actors import Actor
from zhicheng.orgs.models import Role
from zhicheng.orgs.permissions import has_role_in, is_city_office


def committee_of(obj: Any) -> Any:
    """The committee an evaluation object belongs to (a committee, its member, a meeting, or
    a meeting's seat, case or exclusion)."""
    if obj is None:
        return None
    if hasattr(obj, "office_id") and hasattr(obj, "meetings"):
        return obj
    if hasattr(obj, "committee_id"):
        return obj.committee
    meeting = getattr(obj, "meeting", None)
    return meeting.committee if meeting is not None else None


@rules.predicate
def runs_the_committee(actor: Actor, obj: Any) -> bool:
    committee = committee_of(obj)
    return committee is not None and has_role_in(actor, Role.COMMITTEE_OFFICE, committee.office_id)


def office_refusal(obj: Any) -> str:
    return f"只有{committee_of(obj).office}（评委会办事机构）可以执行此操作。"


def pool_refusal(obj: Any) -> str:
    return f"只有{committee_of(obj).office}（评委会办事机构）可以管理该评委会的专家与委员。"


def scheduling_refusal(obj: Any) -> str:
    return f"只有{committee_of(obj).office}（评委会办事机构）可以安排该评委会的会议。"


CITY_REFUSAL = "只有市职称办可以执行此操作。"

rules.add_perm("evaluation.run_meeting", runs_the_committee)
rules.add_perm("evaluation.manage_committee", runs_the_committee)
rules.add_perm("evaluation.supervise_meeting", is_city_office)
