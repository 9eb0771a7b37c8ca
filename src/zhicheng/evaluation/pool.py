"""Writes of committees, the expert pool, committee members and conflict declarations, each
through `core.operations.operation` (permission, one audit event, one transaction).

The committee office manages its own committees: pool experts of the committee's series
(add, deactivate, reactivate) and members (seat, change role, unseat). The composition rules
are reported, not enforced, while a committee is being put together
(`queries.composition_violations`). An expert declares their own conflicts (with an
applicant or a unit) online; the draw excludes them (`queries.conflicts`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhicheng.core import clock
from zhicheng.core.operations import SYSTEM, NotPermitted, OperationError, StateConflict, operation

from .models import (
    Committee,
    CommitteeMember,
    ConflictDeclaration,
    ConflictKind,
    Expert,
    MemberRole,
)
from .operations import EvaluationError, is_city_office, is_office


def _require_office(actor: Any, committee: Committee) -> None:
    if actor is SYSTEM or is_office(actor, committee):
        return
    raise NotPermitted(f"只有{committee.office}（评委会办事机构）可以管理该评委会的专家与委员。")


def _in_pool(committee: Committee, expert: Expert) -> None:
    if expert.series_id not in set(committee.series.values_list("pk", flat=True)):
        raise NotPermitted("该专家不在本评委会评审系列的专家库中。")


def _check_term(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise EvaluationError("任期届满日期不能早于入库日期。")


def create_committee(
    actor: Any, *, name: str, office: Any, series: list[Any], specialties: list[str],
    levels: list[str], by_specialty: bool, term_start: dt.date, term_end: dt.date,
    plans: list[Any],
) -> Committee:
    """A committee is set up with the city title office's approval (SYSTEM for the demo)."""
    if not (actor is SYSTEM or is_city_office(actor)):
        raise NotPermitted("只有市职称办可以设立评委会。")
    if not name.strip():
        raise EvaluationError("请填写评委会名称。")
    _check_term(term_start, term_end)
    if Committee.objects.filter(name=name.strip()).exists():
        raise StateConflict(f"评委会“{name}”已存在。")
    with operation(actor, "evaluation.committee.create") as op:
        c = Committee.objects.create(
            name=name.strip(), office=office, specialties=specialties, levels=levels,
            by_specialty=by_specialty, term_start=term_start, term_end=term_end,
        )
        c.series.set(series)
        c.plans.set(plans)
        op.obj = c
        op.summary = f"设立评委会：{c}（{office}）"
        op.data = {"office": office.pk, "series": [s.pk for s in series],
                   "plans": [p.pk for p in plans], "levels": levels,
                   "term": [term_start, term_end]}
    return c


def add_expert(
    actor: Any, committee: Committee, *, user: Any, specialty: str, title_level: str,
    unit: Any, term_start: dt.date, term_end: dt.date, series: Any = None,
) -> Expert:
    """Add a person to the pool in one of the committee's series (default: its first)."""
    _require_office(actor, committee)
    allowed = list(committee.series.all())
    series = series or (allowed[0] if allowed else None)
    if series is None or series.pk not in {s.pk for s in allowed}:
        raise EvaluationError("专家的系列须在本评委会的评审范围内。")
    if not specialty.strip():
        raise EvaluationError("请填写专家的专业。")
    _check_term(term_start, term_end)
    if Expert.objects.filter(user=user, series=series, specialty=specialty.strip()).exists():
        raise StateConflict(f"{user}已在{series}（{specialty}）专家库中。")
    with operation(actor, "evaluation.expert.add") as op:
        e = Expert.objects.create(
            user=user, series=series, specialty=specialty.strip(), title_level=title_level,
            unit=unit, term_start=term_start, term_end=term_end,
        )
        op.obj = e
        op.summary = (f"专家入库：{user}（{series}·{specialty}，"
                      f"{e.get_title_level_display()}，{unit}）")
        op.data = {"committee": committee.pk, "user": user.pk, "series": series.pk,
                   "specialty": e.specialty, "level": title_level, "unit": unit.pk,
                   "term": [term_start, term_end]}
    return e


def set_expert_active(actor: Any, committee: Committee, expert: Expert, active: bool) -> Expert:
    """Deactivate (or reactivate) a pool expert: an inactive expert is never drawn."""
    _require_office(actor, committee)
    _in_pool(committee, expert)
    with operation(actor, "evaluation.expert.activate" if active else
                   "evaluation.expert.deactivate", target=expert) as op:
        e: Expert = op.obj
        if e.active == active:
            raise StateConflict("该专家已是此状态，请刷新后查看。")
        e.active = active
        e.save(update_fields=["active"])
        op.summary = f"{'恢复' if active else '停用'}专家：{e}"
        op.data = {"committee": committee.pk, "active": active}
    return e


def seat_member(actor: Any, committee: Committee, expert: Expert, role: str) -> CommitteeMember:
    _require_office(actor, committee)
    _in_pool(committee, expert)
    if role not in MemberRole.values:
        raise EvaluationError("职务不正确。")
    if not expert.active:
        raise EvaluationError("已停用的专家不能担任委员。")
    with operation(actor, "evaluation.member.seat", target=committee) as op:
        if CommitteeMember.objects.filter(committee=committee, expert=expert).exists():
            raise StateConflict(f"{expert.user}已是本评委会委员。")
        member = CommitteeMember.objects.create(committee=committee, expert=expert, role=role)
        op.summary = f"聘任委员：{expert.user}（{member.get_role_display()}）"
        op.data = {"expert": expert.pk, "role": role}
    return member


def set_member_role(actor: Any, member: CommitteeMember, role: str) -> CommitteeMember:
    _require_office(actor, member.committee)
    if role not in MemberRole.values:
        raise EvaluationError("职务不正确。")
    with operation(actor, "evaluation.member.role", target=member) as op:
        m: CommitteeMember = op.obj
        before = m.get_role_display()
        m.role = role
        m.save(update_fields=["role"])
        op.summary = f"调整委员职务：{m.expert.user}，{before} → {m.get_role_display()}"
        op.data = {"committee": m.committee_id, "expert": m.expert_id, "role": role}
    return m


def unseat_member(actor: Any, member: CommitteeMember) -> None:
    _require_office(actor, member.committee)
    with operation(actor, "evaluation.member.unseat", target=member.committee) as op:
        locked = CommitteeMember.objects.select_for_update(no_key=True).filter(pk=member.pk).first()
        if locked is None:
            raise StateConflict("该委员已被解聘，请刷新后查看。")
        op.summary = f"解聘委员：{locked.expert.user}（{locked.get_role_display()}）"
        op.data = {"expert": locked.expert_id, "role": locked.role}
        locked.delete()


def declare_conflict(
    actor: Any, expert: Expert, *, kind: str, note: str, applicant: Any = None, unit: Any = None,
) -> ConflictDeclaration:
    """The expert declares a conflict with an applicant or a unit (the office may record one
    for them). Draws committed from now on exclude the expert from those applicants."""
    if not (expert.user_id == getattr(actor, "pk", None) or actor is SYSTEM):
        raise NotPermitted("只能由专家本人申报利害关系。")
    if kind not in ConflictKind.values:
        raise EvaluationError("请选择利害关系类型。")
    if (applicant is None) == (unit is None):
        raise EvaluationError("请选择一位申报人或一个单位。")
    if not note.strip():
        raise EvaluationError("请写明利害关系的具体情况。")
    if len(note.strip()) > 200:
        raise EvaluationError("说明不能超过200字。")
    with operation(actor, "evaluation.conflict.declare", target=expert) as op:
        exists = ConflictDeclaration.objects.filter(
            expert=expert, applicant=applicant, unit=unit, kind=kind).exists()
        if exists:
            raise StateConflict("您已申报过该利害关系。")
        d = ConflictDeclaration.objects.create(
            expert=expert, applicant=applicant, unit=unit, kind=kind, note=note.strip(),
            declared_on=clock.today(),
        )
        op.summary = (f"申报利害关系：{expert.user}与"
                      f"{'申报人' + str(applicant) if applicant else '单位' + str(unit)}，"
                      f"{d.get_kind_display()}")
        op.data = {"declaration": d.pk, "applicant": getattr(applicant, "pk", None),
                   "unit": getattr(unit, "pk", None), "kind": kind, "note": d.note}
    return d


__all__ = ["OperationError", "add_expert", "create_committee", "declare_conflict",
           "seat_member", "set_expert_active", "set_member_role", "unseat_member"]
