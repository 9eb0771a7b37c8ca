"""Every write of the evaluation meeting, each through `core.operations.operation` (lock,
permission, state, one audit event, one transaction). Application states change only
through `applications.states.fire`.

Opening report: create_meeting → submit_opening_report → decide_opening_report.
Draw: commit_draw (seed hash shown) → override_exclusion* → run_draw (seed revealed).
Sittings (分场会议): add_sitting, change_sitting, assign_cases (sitting 1 is the meeting's own
date, place and presiding; attendance and quorum are per sitting).
Meeting: name_presiding, record_attendance, call_in_reserve, open_meeting, recuse, note_defence,
open_ballot → cast_ballot* → close_ballot (tally), assign_tally_roles, decide_ceiling,
sign_tally → record_results (record_pass/record_fail) → publish_results (结果公示)
→ file_results (核准/备案, approve_result) → send_data_report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from zhicheng.applications.models import Application
from zhicheng.applications.notifications import notify
from zhicheng.applications.states import State, fire
from zhicheng.catalogue.models import LEVEL_ORDER, Level
from zhicheng.core import clock
from zhicheng.core.actors import Actor, person
from zhicheng.core.holidays import refuse_outside_calendar
from zhicheng.core.operations import (
    SYSTEM,
    NotPermitted,
    OperationError,
    StateConflict,
    operation,
    require_permission,
)
from zhicheng.core.workdays import office_calendar
from zhicheng.orgs.models import Membership
from zhicheng.orgs.models import Role as OrgRole
from zhicheng.orgs.permissions import is_city_office, remembered_roles
from zhicheng.policy.dates import cn_date
from zhicheng.policy.workdays import CalendarDataMissing
from zhicheng.publicity.operations import open_publicity
from zhicheng.sanctions.checks import ensure_may_evaluate
from zhicheng.seasons.models import CommitteePlan

from . import arithmetic, params
from . import draw as pure
from .exports import data_report_payload
from .models import (
    Attendance,
    Ballot,
    BallotReceipt,
    Case,
    Choice,
    Committee,
    CommitteeMember,
    CommitteeSeat,
    ConflictDeclaration,
    ConflictKind,
    CountedReceipt,
    DataReport,
    DossierAccess,
    Exclusion,
    Expert,
    Meeting,
    MeetingState,
    MemberRole,
    Recusal,
    SealedBallot,
    Sitting,
)
from .permissions import (
    CITY_REFUSAL,
    office_refusal,
    pool_refusal,
    runs_the_committee,
    scheduling_refusal,
)
from .queries import (
    cases_at,
    ceiling_report,
    conflicts,
    first_sitting,
    live_voters,
    quorum,
    quorum_refusal,
    report_due,
    result_for,
    roster_applications,
    sitting,
    sitting_of,
    sitting_started,
    sittings_of,
    voters,
)

S = MeetingState


class EvaluationError(OperationError):
    code = "evaluation_refused"


# --- who may act -----------------------------------------------------------------------------


def is_office(actor: Actor, committee: Committee) -> bool:
    """Is `actor` in the committee's office? (The predicate behind evaluation.run_meeting.)"""
    return bool(runs_the_committee(actor, committee))


def _require_state(meeting: Meeting, *states: str) -> None:
    if meeting.state not in states:
        raise StateConflict(
            f"会议当前状态为“{meeting.get_state_display()}”，不能执行此操作，请刷新后查看。"
        )


# --- the opening report (开评报告) --------------------------------------------------------


def _clean_spec(draw_spec: list[dict[str, Any]]) -> list[dict[str, Any]]:
    spec = []
    for g in draw_spec:
        count, reserve = int(g.get("count", 0)), int(g.get("reserve", 0))
        if count < 1 or reserve < 0 or not g.get("specialty") or not g.get("level"):
            raise EvaluationError("抽取方案每组须写明专业、层级、抽取人数（≥1）和备选人数（≥0）。")
        spec.append({"specialty": str(g["specialty"]), "level": str(g["level"]),
                     "count": count, "reserve": reserve})
    if not spec:
        raise EvaluationError("请填写抽取方案（按专业和层级抽取的评委人数）。")
    return spec


def _check_panel(committee: Committee, season: Any, spec: list[dict[str, Any]]) -> None:
    """The draw plan obeys the season's panel rules (docs/evaluation.md §Panel rules): at
    least the minimum drawn experts for the committee's highest level and kind, an odd
    number, the minimum reserves; each refusal names its clause."""
    drawn = sum(g["count"] for g in spec)
    reserves = sum(g["reserve"] for g in spec)
    levels = [lv for lv in committee.levels if lv in LEVEL_ORDER]
    minimum, clause = params.panel(season, "min_drawn")
    if minimum and levels:
        top = max(levels, key=LEVEL_ORDER.index)
        sizes = minimum.get(top)
        if sizes:
            need = int(sizes[1] if committee.by_specialty else sizes[0])
            kind = "按专业" if committee.by_specialty else "按系列"
            if drawn < need:
                raise EvaluationError(
                    f"{Level(top).label}评委会（{kind}组建）每次评审会议至少抽取{need}名评审专家"
                    f"（{clause}），抽取方案为{drawn}人。")
    odd, clause = params.panel(season, "odd")
    if odd and drawn % 2 == 0:
        raise EvaluationError(f"评审专家人数应为单数（{clause}），抽取方案为{drawn}人。")
    min_reserve, clause = params.panel(season, "min_reserve")
    if min_reserve and reserves < int(min_reserve):
        raise EvaluationError(
            f"每次抽取至少须有{int(min_reserve)}名备选专家（{clause}），抽取方案为{reserves}人。")


def _check_meeting_date(season: Any, date: dt.date) -> None:
    if date.year != season.year:
        raise EvaluationError(f"评审会议须在{season.year}年度内召开（所填日期为{cn_date(date)}）。")
    if date > season.evaluation_deadline:
        raise EvaluationError(
            f"评审会议须于{cn_date(season.evaluation_deadline)}前完成（所填日期为{cn_date(date)}）。"
        )


def _check_sitting_date(meeting: Meeting, date: dt.date, *, number: int) -> None:
    """A sitting's day: inside the season (`_check_meeting_date`), a working day on the
    office calendar (`core.workdays`: the national holidays and make-up working days), not
    past, and sitting 1 stays the first day (the opening report's deadline counts from it)."""
    _check_meeting_date(meeting.season, date)
    today = clock.today()
    if date < today:
        raise EvaluationError(f"分场会议日期{cn_date(date)}已过（今天是{cn_date(today)}）。")
    try:
        workday = office_calendar().is_workday(date)
    except CalendarDataMissing as exc:
        raise refuse_outside_calendar(exc, "会议日期是否为工作日") from exc
    if not workday:
        raise EvaluationError(
            f"{cn_date(date)}不是工作日（按国家法定节假日安排），评审会议须安排在工作日。")
    others = [s for s in meeting.sittings.all() if s.number != number]
    if number == 1:
        later = [s for s in others if s.date < date]
        if later:
            raise EvaluationError(
                f"第1场是开评报告所报的会议日期，不能晚于第{later[0].number}场"
                f"（{cn_date(later[0].date)}）。")
    else:
        first = next((s for s in others if s.number == 1), None)
        if first is not None and date < first.date:
            raise EvaluationError(
                f"分场会议不能早于第1场（开评报告所报的会议日期{cn_date(first.date)}）。")


def create_meeting(
    actor: Actor, committee: Committee, season: Any, *, date: dt.date, place: str,
    draw_spec: list[dict[str, Any]], pass_rate: Decimal | None = None,
) -> Meeting:
    require_permission(actor, "evaluation.run_meeting", committee, scheduling_refusal)
    ensure_may_evaluate(committee)  # 五（三）: suspended or withdrawn committees do not evaluate
    _check_meeting_date(season, date)
    spec = _clean_spec(draw_spec)
    _check_panel(committee, season, spec)
    with operation(actor, "evaluation.meeting.create") as op:
        meeting = Meeting.objects.create(
            committee=committee, season=season, date=date, place=place.strip(),
            draw_spec=spec, pass_rate=pass_rate,
        )
        Sitting.objects.create(meeting=meeting, number=1, date=date, place=meeting.place)
        op.obj = meeting
        op.summary = f"拟定评审会议：{meeting}"
        op.data = {"date": date, "place": place, "draw_spec": spec,
                   "pass_rate": str(pass_rate) if pass_rate is not None else None}
    return meeting


def update_meeting(
    meeting: Meeting, actor: Actor, *, date: dt.date, place: str,
    draw_spec: list[dict[str, Any]], pass_rate: Decimal | None,
) -> Meeting:
    with operation(actor, "evaluation.meeting.update", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        _require_state(m, S.DRAFT, S.RETURNED)
        _check_meeting_date(m.season, date)
        spec = _clean_spec(draw_spec)
        _check_panel(m.committee, m.season, spec)
        later = m.sittings.filter(number__gt=1, date__lt=date).order_by("number").first()
        if later is not None:
            raise EvaluationError(
                f"会议日期（第1场）不能晚于第{later.number}场（{cn_date(later.date)}）。")
        m.date, m.place, m.draw_spec, m.pass_rate = date, place.strip(), spec, pass_rate
        m.save()
        _mirror_first_sitting(m)
        op.summary = f"修改开评报告：{m}"
        op.data = {"date": date, "place": place, "draw_spec": m.draw_spec}
    return m


def delete_meeting(meeting: Meeting, actor: Actor) -> Committee:
    """Delete an opening report not yet approved (a draft, or one returned or refused as
    late): its roster goes with it; the applications stay ready for another meeting."""
    with operation(actor, "evaluation.meeting.delete", target=meeting.committee,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m = Meeting.objects.select_for_update(no_key=True).filter(pk=meeting.pk).first()
        if m is None:
            raise StateConflict("该开评报告已删除，请刷新后查看。")
        _require_state(m, S.DRAFT, S.RETURNED)
        op.summary = f"删除开评报告：{m}"
        op.data = {"meeting": m.pk, "date": m.date, "roster": [c.application_id
                                                               for c in m.cases.all()]}
        m.cases.all().delete()
        m.delete()
    return meeting.committee


def submit_opening_report(meeting: Meeting, actor: Actor) -> Meeting:
    today = clock.today()
    with operation(actor, "evaluation.report.submit", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        ensure_may_evaluate(m.committee)
        _require_state(m, S.DRAFT, S.RETURNED)
        _check_meeting_date(m.season, m.date)
        _check_panel(m.committee, m.season, m.draw_spec)
        due = report_due(m)
        days = params.period(m.season, "opening_report_days_before_meeting")
        if today > due:
            raise EvaluationError(
                f"开评报告须在评审会议召开前{days}日报送（五（二））：会议日期{cn_date(m.date)}，"
                f"最迟报送日期{cn_date(due)}，今天是{cn_date(today)}，已逾期。请改期后再报送。"
            )
        apps = roster_applications(m)
        if not apps:
            raise EvaluationError("该评委会的评审计划下没有待评审的申报，花名册为空。")
        first = first_sitting(m)
        for a in apps:  # voted at the first sitting until the office moves them
            Case.objects.get_or_create(meeting=m, application=a, defaults={"sitting": first})
        m.roster = [
            {"application": a.pk, "name": str(a.applicant), "employer": str(a.employer or ""),
             "series": str(a.series), "specialty": a.specialty, "level": a.level}
            for a in apps
        ]
        m.report_submitted_on = today
        m.report_reasons = ""
        m.state = S.SUBMITTED
        m.save()
        _notify_city(m, len(apps))
        op.summary = f"报送开评报告：{m}，评审对象{len(apps)}人，抽取评委{m.seats_drawn}人"
        op.data = {"roster": [a.pk for a in apps], "due": due, "date": m.date}
    return m


def _notify_city(m: Meeting, roster: int) -> None:
    """The city office learns that an opening report waits for its approval (五（二））."""


    url = reverse("evaluation:meeting", args=[m.pk])
    for member in Membership.objects.filter(role=OrgRole.CITY_OFFICE, active=True
                                            ).select_related("user"):
        notify(member.user, "evaluation.report_waiting", f"开评报告待审批：{m.committee}",
               f"{m.committee.office}报送了{cn_date(m.date)}在{m.place}召开的评审会议的开评报告"
               f"（评审对象{roster}人，抽取评委{m.seats_drawn}人），请审批。", url=url)


def _notify_drawn(m: Meeting) -> None:
    """Every drawn expert (and reserve) learns the meeting, place, time and until when to
    declare a conflict (the day before the meeting; at the meeting: recusal on the case page)."""

    url = reverse("evaluation:expert")
    deadline = m.date - dt.timedelta(days=1)
    days = sittings_of(m)
    when = (f"评审会议：{cn_date(m.date)}，地点：{m.place}。" if len(days) < 2 else
            "评审会议分" + str(len(days)) + "场："
            + "；".join(f"第{d.number}场{cn_date(d.date)}，{d.place}" for d in days) + "。")
    for seat in m.seats.select_related("expert__user"):
        role = "备选评审专家" if seat.reserve else "评审专家"
        notify(seat.expert.user, "evaluation.drawn", f"您被抽取为{m.committee}{role}",
               f"{when}"
               f"如与评审对象存在利害关系，请于{cn_date(deadline)}前在“我的评审”中申报；"
               "会议期间也可在评审材料页申请回避。评委名单不得外传。", url=url)


def decide_opening_report(meeting: Meeting, actor: Actor, *, approve: bool,
                          reasons: str = "") -> Meeting:
    with operation(actor, "evaluation.report.decide", target=meeting,
            permission="evaluation.supervise_meeting", refusal=CITY_REFUSAL) as op:
        m: Meeting = op.obj
        _require_state(m, S.SUBMITTED)
        if not approve and not reasons.strip():
            raise EvaluationError("退回开评报告须写明理由。")
        m.state = S.APPROVED if approve else S.RETURNED
        m.report_reasons = "" if approve else reasons.strip()
        m.report_decided_on = clock.today()
        m.save()
        op.summary = f"{'批准' if approve else '退回'}开评报告：{m}"
        op.data = {"approve": approve, "reasons": m.report_reasons}
    return m


# --- conflicts and the draw ---------------------------------------------------------------


def _pool(meeting: Meeting) -> list[Expert]:
    committee = meeting.committee
    return list(
        Expert.objects.filter(
            active=True, series__in=committee.series.all(),
            term_start__lte=meeting.date, term_end__gte=meeting.date,
        ).select_related("unit", "user").order_by("pk")
    )


def _excluded(meeting: Meeting) -> list[int]:
    return sorted({x.expert_id for x in meeting.exclusions.filter(overridden=False)})


def _inputs(meeting: Meeting, pool: list[Expert]) -> dict[str, Any]:
    """The draw's inputs as fixed at the commit: the pool (pool ids, office side), each
    expert's pseudonymous code of this meeting (published), the exclusions and the plan."""
    return {
        "candidates": [{"id": e.pk, "specialty": e.specialty, "level": e.title_level}
                       for e in pool],
        "codes": {str(pk): code for pk, code in pure.pool_codes([e.pk for e in pool]).items()},
        "excluded": _excluded(meeting),
        "groups": meeting.draw_spec,
    }


def _refreshed(meeting: Meeting) -> dict[str, Any]:
    """The committed inputs with the exclusions as they stand (an override reinstates an
    expert); the pool and its codes stay those published at the commit."""
    return {**(meeting.draw_inputs or {}), "excluded": _excluded(meeting)}


def commit_draw(meeting: Meeting, actor: Actor) -> Meeting:
    """Record the conflicts and the seed's hash BEFORE the draw (the seed stays hidden)."""
    with operation(actor, "evaluation.draw.commit", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        ensure_may_evaluate(m.committee)
        _require_state(m, S.APPROVED)
        if m.seed_hash:
            raise StateConflict("本次抽取的种子哈希已公布，不能重新生成。")
        pool = _pool(m)
        m.exclusions.all().delete()
        for expert, app, reason in conflicts(m, pool):
            Exclusion.objects.create(meeting=m, expert=expert, application=app, reason=reason)
        seed = pure.new_seed()
        m.seed = seed
        m.seed_hash = pure.seed_hash(seed)
        m.draw_inputs = _inputs(m, pool)
        m.save()
        op.summary = f"公布抽取种子哈希：{m.seed_hash}；回避{m.exclusions.count()}项"
        op.data = {"seed_hash": m.seed_hash, "excluded": m.draw_inputs["excluded"],
                   "exclusions": [[x.expert_id, x.application_id, x.reason]
                                  for x in m.exclusions.all()]}
    return m


def override_exclusion(exclusion: Exclusion, actor: Actor, reason: str) -> Exclusion:
    with operation(actor, "evaluation.draw.override", target=exclusion,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        x: Exclusion = op.obj
        m = x.meeting
        _require_state(m, S.APPROVED)
        if not reason.strip():
            raise EvaluationError("撤销回避须写明理由。")
        x.overridden = True
        x.override_reason = reason.strip()
        x.save()
        Meeting.objects.filter(pk=m.pk).update(draw_inputs=_refreshed(m))
        op.summary = f"撤销抽取前回避：专家{x.expert_id}（{x.reason}），理由：{x.override_reason}"
        op.data = {"expert": x.expert_id, "reason": x.reason, "override": x.override_reason}
    return x


def run_draw(meeting: Meeting, actor: Actor) -> Meeting:
    """Draw with the committed seed, create the seats, reveal the seed."""
    with operation(actor, "evaluation.draw.run", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        ensure_may_evaluate(m.committee)
        _require_state(m, S.APPROVED)
        if not m.seed_hash:
            raise StateConflict("请先公布种子哈希（抽取前），再进行抽取。")
        m.draw_inputs = _refreshed(m)
        result = result_for(m.draw_inputs, m.seed)
        if result.shortfall:
            raise EvaluationError(
                f"可抽取的专家不足：缺{result.shortfall}人。请补充专家库或调整抽取方案。"
            )
        position = 0
        for g in result.groups:
            for i in g.selected:
                position += 1
                CommitteeSeat.objects.create(meeting=m, expert_id=i, position=position)
            for i in g.reserve:
                position += 1
                CommitteeSeat.objects.create(meeting=m, expert_id=i, position=position,
                                             reserve=True)
        m.draw_result = result.as_dict()
        m.state = S.DRAWN
        m.save()
        _notify_drawn(m)
        op.summary = (f"抽取评委：{len(result.selected)}人，备选{len(result.reserve)}人；"
                      f"种子{m.seed}")
        op.data = {"seed_hash": m.seed_hash, "seed": m.seed, "result": m.draw_result,
                   "inputs": m.draw_inputs}
    return m


# --- the meeting -----------------------------------------------------------------------------


def record_attendance(meeting: Meeting, actor: Actor, present_seat_ids: list[Any],
                      at: Sitting | None = None) -> Meeting:
    """Who is present at sitting `at` (default: the first sitting); the other sittings'
    attendance is untouched."""
    with operation(actor, "evaluation.attendance", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        _require_state(m, S.DRAWN, S.OPEN)
        day = _own_sitting(m, at)
        voting = cases_at(day).filter(ballot_open=True).select_related(
            "application__applicant").first()
        if voting is not None:
            # The eligible voters of an open vote are frozen; changing attendance now would
            # only mislead (the vote's denominator would not follow it).
            raise StateConflict(
                f"评审对象{voting.application.applicant}正在表决，出席登记已冻结；"
                "请先结束该表决，再登记出席。"
            )
        ids = {int(i) for i in present_seat_ids}
        Attendance.objects.filter(sitting=day).delete()
        Attendance.objects.bulk_create([Attendance(sitting=day, seat=seat)
                                        for seat in m.seats.all() if seat.pk in ids and seat.sits])
        holds, present, size = quorum(m, day)
        op.summary = (f"登记出席{_sitting_label(m, day)}：{present}/{size}人，"
                      f"{'达到' if holds else '未达到'}法定人数")
        op.data = {"sitting": day.number, "present": sorted(ids), "quorum": holds}
    return m


def _own_sitting(m: Meeting, at: Sitting | None) -> Sitting:
    """`at` if it is a sitting of `m` (default: the first), refused otherwise."""
    day = first_sitting(m) if at is None else m.sittings.filter(pk=at.pk).first()
    if day is None:
        raise EvaluationError("该场次不是本次会议的分场会议。")
    return day


def _sitting_label(m: Meeting, day: Sitting) -> str:
    """“（第2场）” when the meeting has several sittings, nothing for a one-day meeting."""
    return f"（第{day.number}场）" if m.sittings.count() > 1 else ""


def call_in_reserve(seat: CommitteeSeat, actor: Actor, reason: str = "") -> CommitteeSeat:
    """A reserve takes an absent expert's place (the drawn committee's size is unchanged),
    before the meeting's first vote, with the reason on record (page, audit, minutes)."""
    with operation(actor, "evaluation.reserve", target=seat,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        s: CommitteeSeat = op.obj
        _require_state(s.meeting, S.DRAWN, S.OPEN)
        if not s.reserve or s.called_in:
            raise StateConflict("该专家不是待递补的备选专家。")
        if s.meeting.cases.filter(Q(ballot_open=True) | Q(ballot_closed=True)).exists():
            raise StateConflict("本次会议已开始表决，不能再递补备选专家（递补须在首次表决前）。")
        absent = [x for x in sitting(s.meeting) if not x.reserve and not x.present]
        called = s.meeting.seats.filter(reserve=True, called_in=True).count()
        if called >= len(absent):
            raise EvaluationError("没有缺席的抽取评委，不需要备选专家递补。")
        if not reason.strip():
            raise EvaluationError("请写明递补理由（如：第3位评委因病缺席）。")
        s.called_in = True
        s.call_in_reason = reason.strip()[:200]
        s.save(update_fields=["called_in", "call_in_reason"])
        op.summary = f"备选专家递补：第{s.position}位 {s.expert.user}，理由：{s.call_in_reason}"
        op.data = {"seat": s.pk, "reason": s.call_in_reason}
    return s


def _presiding_roles(meeting: Meeting) -> tuple[list[str], str]:
    roles, clause = params.panel(meeting.season, "presiding_roles")
    return [str(r) for r in roles or []], clause


def name_presiding(meeting: Meeting, actor: Actor, member: CommitteeMember) -> Meeting:
    """Name who presides the meeting: the committee's chair or a vice-chair (评审会议由主任委员
    或者副主任委员主持, 人社部令第40号; the season's evaluation.panel.presiding_roles)."""
    with operation(actor, "evaluation.meeting.presiding", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        _require_state(m, S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED, S.DRAWN)
        _check_presiding(m, member)
        m.presiding = member
        m.save(update_fields=["presiding"])
        _mirror_first_sitting(m)
        op.summary = f"会议主持人：{member.expert.user}（{member.get_role_display()}）"
        op.data = {"member": member.pk, "role": member.role}
    return m


def _check_presiding(m: Meeting, member: CommitteeMember) -> None:
    roles, clause = _presiding_roles(m)
    if member.committee_id != m.committee_id:
        raise EvaluationError("主持人须为本评委会的委员。")
    if member.role not in roles:
        names = "或".join(str(MemberRole(r).label) for r in roles if r in MemberRole.values)
        raise EvaluationError(
            f"评审会议由{names}主持（{clause}），{member.expert.user}是"
            f"{member.get_role_display()}。")
    if not member.expert.active:
        raise EvaluationError("已停用的专家不能主持评审会议。")


def _mirror_first_sitting(m: Meeting) -> None:
    """Sitting 1 is the meeting's own date, place and presiding: written with them."""
    Sitting.objects.update_or_create(meeting=m, number=1, defaults={
        "date": m.date, "place": m.place, "presiding": m.presiding})


# --- sittings (分场会议) ------------------------------------------------------------------
# A meeting too large for one day is voted over several sittings on working days, each with
# its own place, presiding chair or vice-chair and attendance; quorum is judged per sitting.

SITTING_STATES = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED, S.DRAWN, S.OPEN)


def _clean_place(place: str) -> str:
    clean = " ".join(place.split())
    if not clean:
        raise EvaluationError("请填写会议地点。")
    if len(clean) > 200:
        raise EvaluationError("会议地点不能超过200个字符。")
    return clean


def add_sitting(meeting: Meeting, actor: Actor, *, date: dt.date, place: str,
                presiding: CommitteeMember | None = None) -> Sitting:
    """Another sitting of the meeting (numbered after the last), on a working day not before
    today nor before sitting 1; its cases are moved to it with `assign_cases`."""
    with operation(actor, "evaluation.sitting.add", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        _require_state(m, *SITTING_STATES)
        clean = _clean_place(place)
        number = max((s.number for s in m.sittings.all()), default=0) + 1
        _check_sitting_date(m, date, number=number)
        if presiding is not None:
            _check_presiding(m, presiding)
        day = Sitting.objects.create(meeting=m, number=number, date=date, place=clean,
                                     presiding=presiding)
        op.summary = (f"增设分场会议：第{number}场，{cn_date(date)}，{clean}"
                      + (f"，主持人{presiding.expert.user}" if presiding else ""))
        op.data = {"sitting": number, "date": date, "place": clean,
                   "presiding": getattr(presiding, "pk", None)}
    return day


def change_sitting(day: Sitting, actor: Actor, *, date: dt.date, place: str,
                   presiding: CommitteeMember | None) -> Sitting:
    """Change a sitting's date, place or presiding before it starts (`sitting_started`).
    Sitting 1 is the opening report's: its date moves only while the report is a draft or
    returned, its presiding as `name_presiding` allows; the meeting's fields follow it."""
    with operation(actor, "evaluation.sitting.change", target=day.meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        _require_state(m, *SITTING_STATES)
        d = _own_sitting(m, day)
        if sitting_started(d):
            raise StateConflict(f"第{d.number}场已经开始，不能再修改日期、地点或主持人。")
        clean = _clean_place(place)
        if date != d.date:
            if d.number == 1 and m.state not in (S.DRAFT, S.RETURNED):
                raise EvaluationError(
                    "第1场是开评报告所报的会议日期，开评报告报送后不能改期（可增设分场会议）。")
            _check_sitting_date(m, date, number=d.number)
        if presiding is not None and presiding.pk != d.presiding_id:
            _check_presiding(m, presiding)
        if d.number == 1 and presiding is None and d.presiding_id is not None:
            raise EvaluationError("第1场的主持人只能更换，不能取消。")
        before = {"date": d.date, "place": d.place, "presiding": d.presiding_id}
        d.date, d.place, d.presiding = date, clean, presiding
        d.save(update_fields=["date", "place", "presiding"])
        if d.number == 1:
            m.date, m.place, m.presiding = date, clean, presiding
            m.save(update_fields=["date", "place", "presiding"])
        op.obj = d
        op.summary = (f"修改分场会议：第{d.number}场，{cn_date(date)}，{clean}"
                      + (f"，主持人{presiding.expert.user}" if presiding else ""))
        op.data = {"meeting": m.pk, "sitting": d.number, "before": before,
                   "after": {"date": date, "place": clean,
                             "presiding": getattr(presiding, "pk", None)}}
    return d


def assign_cases(meeting: Meeting, actor: Actor, case_ids: list[Any], to: Sitting) -> int:
    """Move these cases to sitting `to` (a batch, all or nothing): refused when one of them
    has its vote opened (its voters are frozen from its sitting's attendance) or when the
    sitting's day has passed. Returns how many moved."""
    with operation(actor, "evaluation.sitting.assign", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        _require_state(m, *SITTING_STATES)
        d = _own_sitting(m, to)
        ids = {int(i) for i in case_ids}
        if not ids:
            raise EvaluationError("请选择要调整场次的评审对象。")
        cases = list(m.cases.filter(pk__in=ids).select_related("application__applicant")
                     .order_by("pk"))
        if len(cases) != len(ids):
            raise EvaluationError("所选评审对象不在本次会议的花名册中。")
        started = [c for c in cases if c.ballot_open or c.ballot_closed]
        if started:
            raise StateConflict(
                f"评审对象{'、'.join(str(c.application.applicant) for c in started)}"
                "已开始表决，不能调整场次（应投评委已按其场次的出席冻结）。")
        today = clock.today()
        if d.date < today:
            raise EvaluationError(f"第{d.number}场（{cn_date(d.date)}）已过，不能再安排评审对象。")
        before = {c.pk: getattr(sitting_of(c), "number", None) for c in cases}
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(sitting=d)
        op.summary = f"调整场次：{len(cases)}名评审对象安排在第{d.number}场（{cn_date(d.date)}）"
        op.data = {"sitting": d.number, "cases": sorted(ids),
                   "from": {str(k): v for k, v in before.items()}}
    return len(cases)


def open_meeting(meeting: Meeting, actor: Actor) -> Meeting:
    with operation(actor, "evaluation.meeting.open", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        ensure_may_evaluate(m.committee)
        if m.state in (S.DRAFT, S.SUBMITTED, S.RETURNED):
            raise StateConflict("开评报告尚未经市职称办批准，会议不能召开。")
        _require_state(m, S.DRAWN)
        today = clock.today()
        if today < m.date:
            raise EvaluationError(
                f"会议日期为{cn_date(m.date)}，今天是{cn_date(today)}，尚未到会议日期，不能开始评审。"
            )
        if today > m.season.evaluation_deadline:
            raise EvaluationError(f"评审须于{cn_date(m.season.evaluation_deadline)}前完成。")
        if m.presiding_id is None:
            _roles, clause = _presiding_roles(m)
            raise EvaluationError(
                f"评审会议由主任委员或者副主任委员主持（{clause}）：请先指定本次会议的主持人"
                "（评委会尚无主任委员、副主任委员的，先在评委会页面聘任）。")
        m.state = S.OPEN
        m.save(update_fields=["state"])
        op.summary = f"评审会议开始：{m}"
    return m


def recuse(case: Case, seat: CommitteeSeat, actor: Actor, reason: str) -> Recusal:
    """The expert leaves this case's vote and its denominator (ordered by the office, or
    declared by the expert themself)."""
    with operation(actor, "evaluation.recuse", target=case) as op:
        c: Case = op.obj
        m = c.meeting
        if not (is_office(actor, m.committee) or seat.expert.user_id == getattr(actor, "pk", 0)):
            raise NotPermitted("只有办事机构或专家本人可以登记回避。")
        _require_state(m, S.DRAWN, S.OPEN)
        if seat.meeting_id != m.pk:
            raise EvaluationError("该专家不是本次会议的评委。")
        if c.ballot_open or c.ballot_closed:
            raise StateConflict("该评审对象已开始投票，不能再登记回避。")
        if not reason.strip():
            raise EvaluationError("请写明回避理由。")
        r, _ = Recusal.objects.get_or_create(case=c, seat=seat, defaults={"reason": reason})
        op.summary = f"回避：评审对象{c.application_id}，第{seat.position}位评委"
        op.data = {"case": c.pk, "seat": seat.pk, "reason": reason}
    return r


def note_defence(case: Case, actor: Actor, text: str) -> Case:
    with operation(actor, "evaluation.defence", target=case,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        c: Case = op.obj
        _require_state(c.meeting, S.OPEN)
        c.defence_note = text.strip()
        c.save(update_fields=["defence_note"])
        op.summary = f"答辩记录：评审对象{c.application_id}"
    return c


def open_ballot(case: Case, actor: Actor) -> Case:
    with operation(actor, "evaluation.ballot.open", target=case,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        c: Case = op.obj
        m = c.meeting
        _require_state(m, S.OPEN)
        day = sitting_of(c)
        today = clock.today()
        if day is not None and today != day.date:
            raise EvaluationError(
                f"评审对象{c.application.applicant}安排在第{day.number}场"
                f"（{cn_date(day.date)}）表决，今天是{cn_date(today)}，不能开始表决。")
        if day is not None and day.presiding_id is None:
            raise EvaluationError(
                f"第{day.number}场尚未指定主持人（评审会议由主任委员或者副主任委员主持）。")
        holds, present, size = quorum(m, day)
        if not holds:
            raise EvaluationError(f"{quorum_refusal(m, present, size)}，不能表决。")
        if c.ballot_open or c.ballot_closed:
            raise StateConflict("该评审对象的投票已开始或已结束。")
        eligible = live_voters(c)
        if not eligible:
            raise EvaluationError("没有可以参加表决的评委。")
        # Freeze the eligible voters: attendance and recusals recorded later do not move
        # this case's denominator (and nobody else may vote on it).
        c.eligible_seats = [s.pk for s in eligible]
        _new_tally_key(c)
        c.ballot_open = True
        c.save(update_fields=["ballot_open", "eligible_seats"])
        op.summary = f"开始表决：评审对象{c.application_id}，应投{len(eligible)}人"
        op.data = {"eligible_seats": c.eligible_seats,
                   "sitting": getattr(day, "number", None)}
    return c


# --- the sealed ballot box ------------------------------------------------------------------
# A cast ballot is sealed with the case's tally key, a Fernet key in a file under
# ZHICHENG_BALLOT_KEY_DIR (never in the database, never in a backup), created when the vote
# opens and deleted once it is counted: after that no database copy, WAL segment or backup can
# link a receipt to a choice, even with every secret of the server (docs/evaluation.md).

_SEALED_WIDTH = 8  # the longest choice ("disagree"): every sealed ballot has the same length


def _key_path(case: Case) -> Path:
    return Path(settings.ZHICHENG_BALLOT_KEY_DIR) / f"case-{case.pk}.key"


def _new_tally_key(case: Case) -> None:
    path = _key_path(case)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(Fernet.generate_key())


def _tally_key(case: Case) -> Fernet:
    try:
        return Fernet(_key_path(case).read_bytes())
    except (FileNotFoundError, ValueError):
        raise EvaluationError(
            "本评审对象的计票密钥不存在，已投选票无法开启，请联系市职称办处理。") from None


def _shred_tally_key(case: Case) -> None:
    """After the count is committed: the sealed ballots left in old row versions, the WAL and
    backups can then never be opened."""
    path = _key_path(case)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


def _seal(case: Case, choice: str, code: str) -> bytes:
    return _tally_key(case).encrypt(f"{choice:<{_SEALED_WIDTH}}|{code}".encode())


def _unseal(box: Fernet, sealed: bytes | memoryview) -> tuple[str, str]:
    try:
        choice, code = box.decrypt(bytes(sealed)).decode().split("|")
    except (InvalidToken, ValueError):
        raise EvaluationError(
            "有选票无法开启（密钥不符），不能计票，请联系市职称办核查。") from None
    return choice.strip(), code


def cast_ballot(case: Case, actor: Actor, choice: str) -> str:
    """One ballot per eligible expert (frozen when the vote opened); in person only (no
    proxy), only while the ballot is open (no late ballot). Writes WHO voted (the receipt)
    and the ballot sealed with the tally key; returns the receipt code (shown once to the
    voter; it proves inclusion after the count, never the choice)."""
    if choice not in Choice.values:
        raise EvaluationError("请选择同意、不同意或弃权。")
    with operation(actor, "evaluation.ballot.cast", target=case) as op:
        c: Case = op.obj
        if c.ballot_closed:
            raise StateConflict("该评审对象的投票已结束，不接受迟到的投票。")
        if not c.ballot_open:
            raise StateConflict("该评审对象的投票尚未开始。")
        seat = next((s for s in voters(c) if s.expert.user_id == getattr(actor, "pk", 0)), None)
        if seat is None:
            raise NotPermitted("只有出席并未回避的本次评委本人可以投票（不得委托投票）。")
        if BallotReceipt.objects.filter(case=c, seat=seat).exists():
            raise StateConflict("您已就该评审对象投过票。")
        code = secrets.token_hex(8).upper()
        sealed = _seal(c, choice, code)
        BallotReceipt.objects.create(case=c, seat=seat)
        SealedBallot.objects.create(case=c, sealed=sealed)
        op.summary = f"评委已投票：评审对象{c.application_id}"
        op.data = {"case": c.pk}  # never the choice nor the receipt code
    return code


def _count_sealed(case: Case) -> dict[str, int]:
    """Open the sealed ballots, write the ballots (ordered by choice) and the counted receipt
    codes (ordered by code) in this one transaction, drop the sealed ones, shred the key."""
    box = _tally_key(case)
    opened = [_unseal(box, s) for s in
              SealedBallot.objects.filter(case=case).values_list("sealed", flat=True)]
    SealedBallot.objects.filter(case=case).delete()
    Ballot.objects.bulk_create([Ballot(case=case, choice=ch) for ch, _code in sorted(opened)])
    CountedReceipt.objects.bulk_create(
        [CountedReceipt(case=case, code=code) for code in sorted(code for _ch, code in opened)])
    _shred_tally_key(case)
    counts = dict.fromkeys(Choice.values, 0)
    for ch, _code in opened:
        counts[ch] += 1
    return counts


def _seat_name(seat: CommitteeSeat) -> str:
    return f"第{seat.position}位 {seat.expert.user}"


def close_ballot(case: Case, actor: Actor, missing_reasons: dict[int, str] | None = None
                 ) -> Case:
    """Close the vote and count it on the voters frozen when it opened: passes iff
    3·同意 ≥ 2·应投 (人社部令第40号 第二十四条; `arithmetic.passes`). While ballots are
    missing the close is refused, unless the office records, for each expert who has not
    voted, why (left the meeting …): that expert counts as 未投票, in the denominator."""
    with operation(actor, "evaluation.ballot.close", target=case,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        c: Case = op.obj
        m = c.meeting
        if not c.ballot_open:
            raise StateConflict("该评审对象的投票没有在进行。")
        eligible = voters(c)
        eligible_ids = {s.pk for s in eligible}
        voted = set(c.receipts.values_list("seat_id", flat=True))
        if not voted <= eligible_ids:  # only possible by writing to the database directly
            raise EvaluationError(
                "存在不在应投评委名单中的投票记录，不能计票，请联系市职称办核查。")
        given = {int(k): str(v).strip() for k, v in (missing_reasons or {}).items()}
        missing = [s for s in eligible if s.pk not in voted]
        unexplained = [s for s in missing if not given.get(s.pk)]
        if unexplained:
            raise EvaluationError(
                f"应投{len(eligible)}人，已投{len(voted)}人，未投{len(missing)}人"
                f"（{'、'.join(_seat_name(s) for s in unexplained)}）：请等待其投票，"
                "或逐一登记未投票原因（如中途离会）后再结束表决。"
            )
        if SealedBallot.objects.filter(case=c).count() != len(voted):
            raise EvaluationError("选票张数与投票回执数不一致，不能计票，请联系市职称办核查。")
        counts = _count_sealed(c)
        attending = len(eligible)
        c.agree, c.disagree, c.abstain = (counts["agree"], counts["disagree"], counts["abstain"])
        c.attending = attending
        c.not_voted = len(missing)
        c.missing_reasons = {str(s.pk): given[s.pk] for s in missing}
        c.passed = arithmetic.passes(c.agree, attending)
        c.ballot_open, c.ballot_closed = False, True
        c.save()
        if not m.cases.filter(ballot_closed=False).exclude(pk=c.pk).exists():
            Meeting.objects.filter(pk=m.pk).update(state=S.TALLIED)
        op.summary = (f"计票：评审对象{c.application_id}，同意{c.agree}、不同意{c.disagree}、"
                      f"弃权{c.abstain}、未投票{c.not_voted}，应投{attending}人，"
                      f"{'通过' if c.passed else '未通过'}")
        op.data = {"agree": c.agree, "disagree": c.disagree, "abstain": c.abstain,
                   "not_voted": c.not_voted, "missing_reasons": c.missing_reasons,
                   "attending": attending, "passed": c.passed}
    return c


def decide_ceiling(meeting: Meeting, actor: Actor, *, held_back: list[int], reason: str) -> Meeting:
    """More passed than the pass rate allows: the office decides, in writing, which (if any)
    are held back; nothing is dropped silently."""
    with operation(actor, "evaluation.ceiling", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        _require_state(m, S.TALLIED)
        if not reason.strip():
            raise EvaluationError("请写明处理决定及理由。")
        ids = {int(i) for i in held_back}
        for c in m.cases.all():
            c.held_back = c.pk in ids and bool(c.passed)
            c.save(update_fields=["held_back"])
        m.ceiling_decision = reason.strip()
        m.save(update_fields=["ceiling_decision"])
        op.summary = f"超出通过率的处理决定：{m.ceiling_decision}"
        op.data = {"held_back": sorted(ids), "report": ceiling_report(m)}
    return m


def assign_tally_roles(meeting: Meeting, actor: Actor, counter: CommitteeSeat,
                       scrutineer: CommitteeSeat) -> Meeting:
    with operation(actor, "evaluation.tally.roles", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        _require_state(m, S.DRAWN, S.OPEN, S.TALLIED)
        if counter.pk == scrutineer.pk or counter.expert.user_id == scrutineer.expert.user_id:
            raise EvaluationError("计票人与监票人须为两位不同的评委。")
        if counter.meeting_id != m.pk or scrutineer.meeting_id != m.pk:
            raise EvaluationError("计票人、监票人须为本次会议的评委。")
        m.counter, m.scrutineer = counter, scrutineer
        m.counter_signed = m.scrutineer_signed = False
        m.save()
        op.summary = f"指定计票人第{counter.position}位、监票人第{scrutineer.position}位评委"
    return m


def sign_tally(meeting: Meeting, actor: Actor) -> Meeting:
    with operation(actor, "evaluation.tally.sign", target=meeting) as op:
        m: Meeting = op.obj
        _require_state(m, S.TALLIED)
        uid = getattr(actor, "pk", 0)
        if m.counter and m.counter.expert.user_id == uid:
            m.counter_signed, role = True, "计票人"
        elif m.scrutineer and m.scrutineer.expert.user_id == uid:
            m.scrutineer_signed, role = True, "监票人"
        else:
            raise NotPermitted("只有本次会议指定的计票人或监票人可以签字确认。")
        report = ceiling_report(m)
        if m.counter_signed and m.scrutineer_signed:
            if report["exceeded"] and not m.ceiling_decision:
                raise EvaluationError(
                    f"通过{report['passed']}人，超过通过率上限{report['ceiling']}人，"
                    "须由办事机构先作出处理决定。"
                )
            m.state = S.SIGNED
        m.save()
        op.summary = f"{role}签字确认计票结果"
    return m


def record_results(meeting: Meeting, actor: Actor) -> Meeting:
    """Fire record_pass / record_fail per applicant (the state machine's guards re-check the
    quorum and the 2/3 rule). O(cases): the applications are locked and loaded in one query,
    the quorum is computed once and the guards read it with each case from memory
    (`guards.results_batch`), so the per-case cost is the state machine's own checks and one
    UPDATE (bench/bench_record_results.py)."""
    from .guards import results_batch  # cycle: guards imports this module

    with operation(actor, "evaluation.results.record", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        _require_state(m, S.SIGNED)
        cases = list(m.cases.defer("eligible_seats", "missing_reasons"))
        for c in cases:
            c.meeting = m
        apps = list(Application.objects.select_for_update(no_key=True).filter(
            pk__in=[c.application_id for c in cases], state=State.READY_FOR_MEETING,
        ).order_by("pk"))
        plans = {p.pk: p for p in CommitteePlan.objects.filter(
            pk__in={a.plan_id for a in apps}).only("id", "office_id")}
        for app in apps:  # the role checks read only the plan's office
            if app.plan_id in plans:
                app.plan = plans[app.plan_id]
        by_app = {c.application_id: c for c in cases}
        out = {}
        quorums = {d.pk: quorum(m, d) for d in sittings_of(m)}
        with results_batch(m, cases, quorums), remembered_roles():
            for app in apps:
                c = by_app[app.pk]
                name = "record_pass" if c.passed and not c.held_back else "record_fail"
                fire(app, name, actor)
                out[app.pk] = name
        passed = sum(v == "record_pass" for v in out.values())
        op.summary = f"登记表决结果：通过{passed}人，未通过{len(out) - passed}人"
        op.data = {"results": out}
    return m


def publish_results(meeting: Meeting, actor: Actor) -> Meeting:
    """结果公示 for every passed applicant (publicity app), everyone notified; the data
    report falls due N working days after (periods.data_report_workdays_after_results)."""
    today = clock.today()
    with operation(actor, "evaluation.results.publish", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        _require_state(m, S.SIGNED)
        days = params.period(m.season, "data_report_workdays_after_results")
        try:  # before anything changes: a year without calendar data refuses, naming it
            due = office_calendar().add_workdays(today, days)
        except CalendarDataMissing as exc:
            raise refuse_outside_calendar(exc, "评审数据报送期限") from exc
        for c in m.cases.select_related("application"):
            app = Application.objects.select_for_update(no_key=True).get(pk=c.application_id)
            if app.state == State.READY_FOR_MEETING:
                raise StateConflict("请先登记表决结果。")
            if app.state == State.PASSED:
                fire(app, "publish_result", actor)
                p = open_publicity(app, "result", actor)
                notify(app.applicant, "evaluation.result", "评审结果：通过（公示中）",
                       f"您的申报经{m.committee}评审通过，结果公示期{p.date_range_full}。",
                       application=app)
            elif app.state == State.NOT_PASSED:
                notify(app.applicant, "evaluation.result", "评审结果：未通过",
                       f"您的申报经{m.committee}评审，未获通过。", application=app)
        DataReport.objects.update_or_create(meeting=m, defaults={"due_on": due})
        m.results_published_on = today
        m.state = S.PUBLISHED
        m.save()
        op.summary = f"公布评审结果：{m}；评审数据报送期限{cn_date(due)}"
        op.data = {"data_report_due": due}
    return m


def file_results(meeting: Meeting, actor: Actor, *, approval_number: str) -> Meeting:
    """核准/备案 by the city office under its document number (`approval_number`, printed on
    every certificate of the meeting): approve_result for every applicant in result publicity
    (guards: publicity closed, objections resolved)."""
    number = " ".join(approval_number.split())
    with operation(actor, "evaluation.results.file", target=meeting,
            permission="evaluation.supervise_meeting", refusal=CITY_REFUSAL) as op:
        m: Meeting = op.obj
        _require_state(m, S.PUBLISHED)
        if not number:
            raise EvaluationError("请填写核准备案文号（如“××职称办〔2024〕12号”），证书将载明。")
        if len(number) > 80:
            raise EvaluationError("核准备案文号不能超过80个字符。")
        filed = []
        for c in m.cases.select_related("application"):
            app = Application.objects.select_for_update(no_key=True).get(pk=c.application_id)
            if app.state == State.RESULT_PUBLICITY:
                fire(app, "approve_result", actor)
                filed.append(app.pk)
                notify(app.applicant, "evaluation.filed", "评审结果已核准备案",
                       f"您经{m.committee}评审通过的结果已由市职称办核准备案。", application=app)
        m.state = S.FILED
        m.approval_number = number
        m.save(update_fields=["state", "approval_number"])
        op.summary = f"核准备案：{m}，{len(filed)}人（{number}）"
        op.data = {"filed": filed, "approval_number": number}
    return m


def send_data_report(meeting: Meeting, actor: Actor) -> DataReport:
    today = clock.today()
    with operation(actor, "evaluation.data_report.send", target=meeting,
            permission="evaluation.run_meeting", refusal=office_refusal) as op:
        m: Meeting = op.obj
        _require_state(m, S.PUBLISHED, S.FILED)
        report = DataReport.objects.select_for_update(no_key=True).get(meeting=m)
        if report.sent_on:
            raise StateConflict("评审数据已报送。")
        payload = data_report_payload(m)
        report.payload = payload
        report.sha256 = hashlib.sha256(
            json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        ).hexdigest()
        report.sent_on = today
        report.save()
        op.obj = report
        op.summary = (f"报送评审数据：{m}（期限{cn_date(report.due_on)}"
                      f"{'，逾期' if report.late else ''}）")
        op.data = {"sha256": report.sha256, "due": report.due_on, "late": report.late}
    return report


def log_dossier_access(case: Case, actor: Actor, material: str = "") -> CommitteeSeat:
    """An expert opens a case (or one of its materials) during the meeting: only a drawn,
    sitting expert who has not recused from the case, only while the meeting is open;
    every opening is audited (who, which case, which material) and logged."""
    with operation(actor, "evaluation.dossier.open", target=case) as op:
        c: Case = op.obj
        m = c.meeting
        if m.state != S.OPEN:
            raise NotPermitted("评委只能在评审会议期间查阅评审材料。")
        seat = next((s for s in sitting(m) if s.expert.user_id == getattr(actor, "pk", 0)),
                    None)
        if seat is None:
            raise NotPermitted("您不是本次会议的评委。")
        if c.recusals.filter(seat=seat).exists():
            raise NotPermitted("您已回避该评审对象，不能查阅其评审材料。")
        DossierAccess.objects.create(case=c, user=person(actor))
        op.summary = (f"评委查阅评审材料：评审对象{c.application_id}"
                      + (f"，材料《{material}》" if material else ""))
        op.data = {"case": c.pk, "seat": seat.pk, "material": material}
    return seat


# --- committees, the expert pool, members, conflict declarations ---------------------------
# The committee office manages its own committees: pool experts of the committee's series
# (add, deactivate, reactivate) and members (seat, change role, unseat). The composition rules
# are reported, not enforced, while a committee is being put together
# (`queries.composition_violations`). An expert declares their own conflicts (with an
# applicant or a unit) online; the draw excludes them (`queries.conflicts`).


def _in_pool(committee: Committee, expert: Expert) -> None:
    if expert.series_id not in set(committee.series.values_list("pk", flat=True)):
        raise NotPermitted("该专家不在本评委会评审系列的专家库中。")


def _check_term(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise EvaluationError("任期届满日期不能早于入库日期。")


def create_committee(
    actor: Actor, *, name: str, office: Any, series: list[Any], specialties: list[str],
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
    actor: Actor, committee: Committee, *, user: Any, specialty: str, title_level: str,
    unit: Any, term_start: dt.date, term_end: dt.date, series: Any = None,
) -> Expert:
    """Add a person to the pool in one of the committee's series (default: its first)."""
    require_permission(actor, "evaluation.manage_committee", committee, pool_refusal)
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


def set_expert_active(actor: Actor, committee: Committee, expert: Expert, active: bool) -> Expert:
    """Deactivate (or reactivate) a pool expert: an inactive expert is never drawn."""
    require_permission(actor, "evaluation.manage_committee", committee, pool_refusal)
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


def seat_member(actor: Actor, committee: Committee, expert: Expert, role: str) -> CommitteeMember:
    require_permission(actor, "evaluation.manage_committee", committee, pool_refusal)
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


def set_member_role(actor: Actor, member: CommitteeMember, role: str) -> CommitteeMember:
    require_permission(actor, "evaluation.manage_committee", member.committee, pool_refusal)
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


def unseat_member(actor: Actor, member: CommitteeMember) -> None:
    require_permission(actor, "evaluation.manage_committee", member.committee, pool_refusal)
    with operation(actor, "evaluation.member.unseat", target=member.committee) as op:
        locked = CommitteeMember.objects.select_for_update(no_key=True).filter(pk=member.pk).first()
        if locked is None:
            raise StateConflict("该委员已被解聘，请刷新后查看。")
        op.summary = f"解聘委员：{locked.expert.user}（{locked.get_role_display()}）"
        op.data = {"expert": locked.expert_id, "role": locked.role}
        locked.delete()


def declare_conflict(
    actor: Actor, expert: Expert, *, kind: str, note: str, applicant: Any = None, unit: Any = None,
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
