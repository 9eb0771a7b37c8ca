"""Reads of the evaluation app, scoped to the actor and with their relations loaded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from zhicheng.catalogue.models import LEVEL_ORDER, Level
from zhicheng.core import clock
from zhicheng.orgs.models import Membership
from zhicheng.orgs.models import Role as OrgRole

from . import params
from .models import Committee, CommitteeSeat, DataReport, Expert, Meeting, MemberRole


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def composition_violations(committee: Committee, season: Any = None) -> list[str]:
    """Odd number, minimum sizes (parameters), terms ≤ 3 years, one chair.

    See docs/domain.md §National rules.
    """
    out: list[str] = []
    members = list(committee.members.select_related("expert__user"))
    n = len(members)
    if n % 2 == 0:
        out.append(f"委员人数为{n}人，应为单数。")
    levels = [lv for lv in committee.levels if lv in LEVEL_ORDER]
    if levels:
        top = max(levels, key=LEVEL_ORDER.index)
        sizes = params.evaluation(season, "committee_min_size").get(top)
        if sizes:
            minimum = int(sizes[1] if committee.by_specialty else sizes[0])
            kind = "按专业" if committee.by_specialty else "按系列"
            if n < minimum:
                out.append(f"{Level(top).label}评委会{kind}组建，委员应不少于{minimum}人，现有{n}人。")
    else:
        out.append("未设置评审层级。")
    max_years = int(params.evaluation(season, "committee_max_term_years"))
    if committee.term_end > _years_later(committee.term_start, max_years):
        out.append(f"评委会任期（{committee.term_start}至{committee.term_end}）超过{max_years}年。")
    expert_years = int(params.evaluation(season, "expert_max_term_years"))
    chairs = [m for m in members if m.role == MemberRole.CHAIR]
    if len(chairs) != 1:
        out.append(f"应有且只有一名主任委员（现有{len(chairs)}名）。")
    for m in members:
        e = m.expert
        if e.term_end > _years_later(e.term_start, expert_years):
            out.append(f"专家{e.user}任期（{e.term_start}至{e.term_end}）超过{expert_years}年。")
        if not e.active:
            out.append(f"专家{e.user}已不在有效专家库中。")
        if e.series_id not in {s.pk for s in committee.series.all()}:
            out.append(f"专家{e.user}的系列不在评委会评审范围内。")
    return out


def office_ids(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(
        user=user, active=True, role=OrgRole.COMMITTEE_OFFICE
    ).values_list("organisation_id", flat=True))


def is_city(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and Membership.objects.filter(
        user=user, active=True, role=OrgRole.CITY_OFFICE).exists())


def meetings_for(user: Any) -> QuerySet[Meeting]:
    """Office: its committees' meetings; city office: all; expert: meetings they sit in."""
    qs = Meeting.objects.select_related("committee__office", "season").annotate(
        n_cases=Count("cases", distinct=True))
    if is_city(user):
        return qs
    offices = office_ids(user)
    uid = getattr(user, "pk", None) or 0
    sits = CommitteeSeat.objects.filter(expert__user_id=uid).filter(
        Q(reserve=False) | Q(called_in=True)
    ).filter(meeting__state__in=["drawn", "open", "tallied"]).values("meeting_id")
    return qs.filter(Q(committee__office_id__in=offices) | Q(pk__in=sits)
    ).distinct()


def committees_for(user: Any) -> QuerySet[Committee]:
    qs = Committee.objects.select_related("office").prefetch_related("series")
    if is_city(user):
        return qs
    return qs.filter(office_id__in=office_ids(user))


def pool_for(committee: Committee) -> QuerySet[Expert]:
    return Expert.objects.filter(series__in=committee.series.all()).select_related(
        "user", "unit", "series").order_by("pk")


def data_reports(user: Any) -> QuerySet[DataReport]:
    qs = DataReport.objects.select_related("meeting__committee__office")
    if is_city(user):
        return qs
    return qs.filter(meeting__committee__office_id__in=office_ids(user))


def overdue(report: DataReport, today: dt.date | None = None) -> bool:
    today = today or clock.today()
    return report.sent_on is None and today > report.due_on or report.late


# --- the expert's own page ---------------------------------------------------------------------

PRE_DRAW_STATES = ["draft", "submitted", "returned", "approved"]


def expert_entries(user: Any) -> QuerySet[Expert]:
    """The pool entries of this person (an expert may be in several series or specialties)."""
    if not getattr(user, "is_authenticated", False):
        return Expert.objects.none()
    return Expert.objects.filter(user=user).select_related("series", "unit").order_by("pk")


def drawable_meetings(user: Any) -> list[Meeting]:
    """Meetings this expert may be drawn for: not drawn yet, a committee of one of their
    active entries' series, the meeting date inside the entry's term. Each carries
    `entry` (the pool entry that qualifies) and `committed` (seed hash published: the
    conflicts of this draw are fixed)."""
    entries = [e for e in expert_entries(user) if e.active]
    if not entries:
        return []
    series = {e.series_id for e in entries}
    meetings = list(
        Meeting.objects.filter(state__in=PRE_DRAW_STATES, committee__series__in=series)
        .select_related("committee", "season").prefetch_related("committee__series")
        .distinct().order_by("date", "pk")
    )
    out = []
    for m in meetings:
        committee_series = {s.pk for s in m.committee.series.all()}
        entry = next((e for e in entries if e.series_id in committee_series
                      and e.term_start <= m.date <= e.term_end), None)
        if entry is not None:
            m.entry = entry  # type: ignore[attr-defined]
            m.committed = bool(m.seed_hash)  # type: ignore[attr-defined]
            out.append(m)
    return out


def roster_people(meetings: list[Meeting]) -> dict[int, list[Any]]:
    """Applicants (name, unit) on each meeting's roster: published already in the
    pre-evaluation publicity (四（四）), so an expert may see them to declare a conflict."""
    from zhicheng.applications.models import Application

    ids = {int(r["application"]) for m in meetings for r in (m.roster or [])}
    apps = {a.pk: a for a in Application.objects.filter(pk__in=ids).select_related(
        "applicant", "employer")}
    return {m.pk: [apps[int(r["application"])] for r in (m.roster or [])
                   if int(r["application"]) in apps] for m in meetings}


def declarations_of(user: Any) -> QuerySet[Any]:
    from .models import ConflictDeclaration

    return ConflictDeclaration.objects.filter(expert__user_id=getattr(user, "pk", 0) or 0
                                              ).select_related("applicant", "unit", "expert")


def seats_of(user: Any) -> QuerySet[CommitteeSeat]:
    uid = getattr(user, "pk", None) or 0
    return CommitteeSeat.objects.filter(expert__user_id=uid).filter(
        Q(reserve=False) | Q(called_in=True)).select_related("meeting__committee").order_by(
        "-meeting__date")
