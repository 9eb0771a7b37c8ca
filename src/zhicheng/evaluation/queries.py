"""Reads of the evaluation app, scoped to the actor and with their relations loaded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from zhicheng.applications.models import Application, Route
from zhicheng.applications.profiles import profile_sections
from zhicheng.applications.queries import current_season
from zhicheng.applications.states import State
from zhicheng.catalogue.models import LEVEL_ORDER, Level
from zhicheng.core import clock
from zhicheng.orgs.models import Membership
from zhicheng.orgs.models import Role as OrgRole
from zhicheng.orgs.permissions import is_city_office
from zhicheng.orgs.queries import in_office_cities
from zhicheng.policy.dates import cn_date

from . import arithmetic, params
from . import draw as pure
from .models import (
    Attendance,
    BallotReceipt,
    Case,
    Committee,
    CommitteeSeat,
    ConflictDeclaration,
    CountedReceipt,
    DataReport,
    Expert,
    Meeting,
    MeetingState,
    MemberRole,
    Sitting,
)

S = MeetingState


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def rules_season(committee: Committee) -> Any:
    """The season whose parameters judge a committee: the newest season of its plans, else
    the current season (None when no season is loaded)."""

    plan = committee.plans.select_related("season").order_by("-season__year").first()
    return plan.season if plan is not None else current_season()


def composition_violations(committee: Committee, season: Any = None) -> list[str]:
    """Odd number, minimum sizes (parameters), terms ≤ 3 years, one chair.

    See docs/domain.md §National rules.
    """
    if season is None:
        season = rules_season(committee)
    if season is None:
        return ["尚无评审年度，无法按年度参数核对评委会组建要求。"]
    try:
        return _composition_violations(committee, season)
    except params.ParameterMissing as exc:
        return [str(exc)]


def _composition_violations(committee: Committee, season: Any) -> list[str]:
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


def committee_name(application: Application, meeting: Meeting | None = None) -> str:
    """The committee's name as the 申报表 and the certificate print it: the committee of the
    meeting that evaluated the application when given, else the committee formed for its plan
    row, else the name the plan row implies (城市 + 专业 + 专业技术资格评审委员会; 考核认定
    for that route, 三（二）)."""
    if meeting is not None:
        return str(meeting.committee.name)
    formed = Committee.objects.filter(plans=application.plan_id).order_by("pk").first()
    if formed is not None:
        return str(formed.name)
    plan, city = application.plan, application.season.city
    if application.route == Route.ASSESSMENT_RECOGNITION:
        return f"{city}职称考核认定（{plan.specialty}）"
    return f"{city}{plan.specialty}专业技术资格评审委员会"


def office_ids(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(
        user=user, active=True, role=OrgRole.COMMITTEE_OFFICE
    ).values_list("organisation_id", flat=True))


def is_city(user: Any) -> bool:
    return bool(is_city_office(user))


def meetings_for(user: Any) -> QuerySet[Meeting]:
    """Office: its committees' meetings; city office: all; expert: meetings they sit in."""
    qs = Meeting.objects.select_related("committee__office", "season", "data_report").annotate(
        n_cases=Count("cases", distinct=True),
        # The list's next step counts the sittings (`next_step`): one subquery, not a query
        # per meeting.
        n_sittings=Subquery(Sitting.objects.filter(meeting=OuterRef("pk")).order_by()
                            .values("meeting").annotate(n=Count("pk")).values("n")[:1]))
    if is_city(user):
        return qs.filter(in_office_cities(user, "season__owner"))
    offices = office_ids(user)
    uid = getattr(user, "pk", None) or 0
    sits = CommitteeSeat.objects.filter(expert__user_id=uid).filter(
        Q(reserve=False) | Q(called_in=True)
    ).filter(meeting__state__in=["drawn", "open", "tallied", "signed", "published", "filed"]
    ).values("meeting_id")  # after the tally too: voters check their receipts, signers land
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
    ids = {int(r["application"]) for m in meetings for r in (m.roster or [])}
    apps = {a.pk: a for a in Application.objects.filter(pk__in=ids).select_related(
        "applicant", "employer")}
    return {m.pk: [apps[int(r["application"])] for r in (m.roster or [])
                   if int(r["application"]) in apps] for m in meetings}


def declarations_of(user: Any) -> QuerySet[Any]:
    return ConflictDeclaration.objects.filter(expert__user_id=getattr(user, "pk", 0) or 0
                                              ).select_related("applicant", "unit", "expert")


def seats_of(user: Any) -> QuerySet[CommitteeSeat]:
    uid = getattr(user, "pk", None) or 0
    return CommitteeSeat.objects.filter(expert__user_id=uid).filter(
        Q(reserve=False) | Q(called_in=True)).select_related("meeting__committee").order_by(
        "-meeting__date")


# --- meeting reads (moved from operations) --------------------------------------------------


def report_due(meeting: Meeting) -> dt.date:
    """The last day the opening report may be submitted: N calendar days before the meeting
    (五（二）“召开前10日”; N = periods.opening_report_days_before_meeting)."""
    days = params.period(meeting.season, "opening_report_days_before_meeting")
    return meeting.date - dt.timedelta(days=days)


def roster_applications(meeting: Meeting) -> list[Application]:
    return list(
        Application.objects.filter(
            plan__in=meeting.committee.plans.all(), season=meeting.season,
            state=State.READY_FOR_MEETING,
        ).exclude(evaluation_cases__meeting__state__in=[
            S.SUBMITTED, S.APPROVED, S.DRAWN, S.OPEN, S.TALLIED, S.SIGNED,
        ]).exclude(evaluation_cases__meeting=meeting)
        .select_related("applicant", "employer", "series").order_by("pk")
    ) + [c.application for c in meeting.cases.select_related("application__applicant")]


def _former_units(application: Application, since: dt.date) -> set[str]:
    profile = getattr(application.applicant, "applicant_profile", None)
    facts = getattr(profile, "facts", None) or {}
    out: set[str] = set()
    for entry in facts.get("work_history", []) or []:
        end = entry.get("end")
        try:
            ended = dt.date.fromisoformat(str(end)) if end else None
        except ValueError:
            ended = None
        if (ended is None or ended >= since) and entry.get("employer"):
            out.add(str(entry["employer"]))
    return out


def conflicts(meeting: Meeting, pool: list[Expert]) -> list[tuple[Expert, Application | None, str]]:
    """Every conflict between a pool expert and an applicant on the roster, with the reason."""
    years = int(params.evaluation(meeting.season, "former_unit_avoid_years"))
    since = meeting.date.replace(year=meeting.date.year - years)
    declared: dict[tuple[int, int], list[ConflictDeclaration]] = {}
    declared_units: dict[tuple[int, int], list[ConflictDeclaration]] = {}
    for d in ConflictDeclaration.objects.filter(expert__in=pool).select_related("unit"):
        if d.applicant_id is not None:
            declared.setdefault((d.expert_id, d.applicant_id), []).append(d)
        elif d.unit_id is not None:
            declared_units.setdefault((d.expert_id, d.unit_id), []).append(d)
    out: list[tuple[Expert, Application | None, str]] = []
    for case in meeting.cases.select_related("application__applicant", "application__employer"):
        app = case.application
        name = str(app.applicant)
        former = _former_units(app, since)
        for e in pool:
            if e.user_id == app.applicant_id:
                out.append((e, app, "本人为本次评审对象"))
                continue
            if app.employer_id and e.unit_id == app.employer_id:
                out.append((e, app, f"与评审对象{name}同一工作单位（{e.unit}）"))
                continue
            if e.unit.name in former:
                out.append((e, app, f"工作单位为评审对象{name}{years}年内曾任职单位（{e.unit}）"))
                continue
            for d in declared.get((e.pk, app.applicant_id), []):
                out.append((e, app, f"与评审对象{name}存在{d.get_kind_display()}"
                                    + (f"（{d.note}）" if d.note else "")))
                break
            else:
                for d in declared_units.get((e.pk, app.employer_id or 0), []):
                    out.append((e, app, f"与评审对象{name}的工作单位（{d.unit}）存在"
                                        f"{d.get_kind_display()}"
                                        + (f"（{d.note}）" if d.note else "")))
                    break
    return out


def _groups(inputs: dict[str, Any]) -> list[pure.Group]:
    return [pure.Group(g["specialty"], g["level"], int(g["count"]), int(g.get("reserve", 0)))
            for g in inputs["groups"]]


def result_for(inputs: dict[str, Any], seed: str) -> pure.DrawResult:
    """The draw over the committed inputs, by pool id. It runs over the meeting's
    pseudonymous codes (what the public record re-runs) and maps them back to pool ids;
    inputs committed before the codes existed draw by pool id as they did then."""
    codes: dict[str, str] = inputs.get("codes") or {}
    if not codes:
        return pure.draw(
            [pure.Candidate(int(c["id"]), c["specialty"], c["level"])
             for c in inputs["candidates"]],
            [int(i) for i in inputs["excluded"]], _groups(inputs), seed)
    back = {code: int(pk) for pk, code in codes.items()}
    coded = pure.draw(
        sorted((pure.Candidate(codes[str(c["id"])], c["specialty"], c["level"])
                for c in inputs["candidates"]), key=lambda c: c.id),
        [codes[str(i)] for i in inputs["excluded"]], _groups(inputs), seed)
    return pure.DrawResult(tuple(
        pure.GroupResult(g.group, tuple(back[c] for c in g.selected),
                         tuple(back[c] for c in g.reserve), g.shortfall)
        for g in coded.groups))


def verify(meeting: Meeting) -> tuple[bool, list[str]]:
    """Re-run the pure draw from the recorded inputs and seed; (same?, differences)."""
    diffs: list[str] = []
    if not meeting.seed or pure.seed_hash(meeting.seed) != meeting.seed_hash:
        diffs.append("种子与抽取前公布的哈希不符")
        return False, diffs
    again = result_for(meeting.draw_inputs, meeting.seed).as_dict()
    for key in ("selected", "reserve"):
        if again[key] != meeting.draw_result.get(key):
            diffs.append(f"{key}: recorded {meeting.draw_result.get(key)} != re-run {again[key]}")
    seated = [s.expert_id for s in meeting.seats.filter(reserve=False).order_by("position")]
    if seated != again["selected"]:
        diffs.append(f"seats: {seated} != re-run {again['selected']}")
    return not diffs, diffs


def sittings_of(meeting: Meeting) -> list[Sitting]:
    """The meeting's sittings (分场会议) in order, with who presides each (and the meeting
    itself, so reading `sitting.meeting` costs no query)."""
    days = list(meeting.sittings.select_related("presiding__expert__user").order_by("number"))
    for d in days:
        d.meeting = meeting
    return days


def first_sitting(meeting: Meeting) -> Sitting | None:
    """Sitting 1: the meeting as its opening report gives it (None only for a meeting
    written outside the operations)."""
    return meeting.sittings.order_by("number").first()


def sitting_of(case: Case) -> Sitting | None:
    """The sitting that votes on the case (unassigned: the meeting's first)."""
    if case.sitting_id is not None:
        return case.sitting
    return first_sitting(case.meeting)


def cases_at(day: Sitting) -> QuerySet[Case]:
    """The cases voted at `day` (an unassigned case belongs to the first sitting)."""
    if day.number == 1:
        return Case.objects.filter(Q(sitting=day)
                                   | Q(sitting__isnull=True, meeting_id=day.meeting_id))
    return Case.objects.filter(sitting=day)


def present_by_sitting(meeting: Meeting) -> dict[int, set[int]]:
    """Sitting id -> the seats present there, for every sitting of the meeting (one query;
    a sitting nobody attended is absent from the dict)."""
    found: dict[int, set[int]] = {}
    for sitting_id, seat_id in Attendance.objects.filter(
            sitting__meeting=meeting).values_list("sitting_id", "seat_id"):
        found.setdefault(sitting_id, set()).add(seat_id)
    return found


def present_ids(at: Sitting | None) -> set[int]:
    if at is None:
        return set()
    return set(Attendance.objects.filter(sitting=at).values_list("seat_id", flat=True))


def sitting(meeting: Meeting, at: Sitting | None = None) -> list[CommitteeSeat]:
    """The seats that sit (drawn, or reserves called in), each with `present` set from the
    attendance of sitting `at` (default: the first sitting)."""
    # With the expert: callers match seats to users (cast_ballot, sign_tally), one query.
    present = present_ids(at if at is not None else first_sitting(meeting))
    seats = [s for s in meeting.seats.select_related("expert") if s.sits]
    for s in seats:
        s.present = s.pk in present
    return seats


def quorum_share(meeting: Meeting) -> tuple[int, int]:
    """The season's quorum (evaluation.panel.quorum, 2/3 by 人社部令第40号)."""
    value, _clause = params.panel(meeting.season, "quorum")
    num, den = (int(v) for v in value)
    return num, den


def quorum(meeting: Meeting, at: Sitting | None = None) -> tuple[bool, int, int]:
    """(holds, present, committee size) at sitting `at` (default: the first): the drawn
    committee is the selected seats; each sitting needs its own quorum (人社部令第40号
    第二十四条)."""
    seats = sitting(meeting, at)
    size = sum(1 for s in seats if not s.reserve)
    present = sum(1 for s in seats if s.present)
    return arithmetic.quorum_holds(present, size, quorum_share(meeting)), present, size


def sitting_started(at: Sitting, today: dt.date | None = None,
                    cases: list[Case] | None = None) -> bool:
    """Has the sitting begun? Once the meeting is open and the sitting's day has come, or
    once one of its votes has opened (then its date, place and presiding are history).
    `cases`: the sitting's cases when the caller has them already (no query)."""
    state = at.meeting.state
    if state in (S.TALLIED, S.SIGNED, S.PUBLISHED, S.FILED):
        return True
    if state == S.OPEN and (today or clock.today()) >= at.date:
        return True
    if cases is not None:
        return any(c.ballot_open or c.ballot_closed for c in cases)
    return cases_at(at).filter(Q(ballot_open=True) | Q(ballot_closed=True)).exists()


def quorum_needed(meeting: Meeting, size: int) -> int:
    return arithmetic.quorum_needed(size, quorum_share(meeting))


def quorum_refusal(meeting: Meeting, present: int, size: int) -> str:
    num, den = share = quorum_share(meeting)
    words = "三分之二" if share == (2, 3) else f"{num}/{den}"
    return (f"出席评委{present}人，不足抽取评委{size}人的{words}"
            f"（至少{arithmetic.quorum_needed(size, share)}人）")


def live_voters(case: Case) -> list[CommitteeSeat]:
    """Experts sitting and present at the case's sitting who have not recused from this
    case, as of now."""
    recused = set(case.recusals.values_list("seat_id", flat=True))
    return [s for s in sitting(case.meeting, sitting_of(case))
            if s.present and s.pk not in recused]


def voters(case: Case) -> list[CommitteeSeat]:
    """The experts who may vote on this case: once its vote has opened, the eligible voters
    frozen then (`Case.eligible_seats`); before, the live attendance minus recusals."""
    if case.ballot_open or case.ballot_closed:
        frozen = set(case.eligible_seats or [])
        return [s for s in case.meeting.seats.select_related("expert__user").order_by(
            "reserve", "position") if s.pk in frozen]
    return live_voters(case)


def ballot_progress(case: Case) -> dict[str, Any]:
    """应投 / 已投 / 未投 of an open or closed vote, with the seats that have not voted
    (participation only: who voted, never what)."""
    return progress_of(case.meeting, [case])[case.pk]


def progress_of(meeting: Meeting, cases: list[Case]) -> dict[int, dict[str, Any]]:
    """`ballot_progress` of every case whose vote has opened, in two queries."""
    seats = {s.pk: s for s in meeting.seats.select_related("expert__user")}
    started = [c for c in cases if c.ballot_open or c.ballot_closed]
    voted: dict[int, set[int]] = {c.pk: set() for c in started}
    for case_id, seat_id in BallotReceipt.objects.filter(case__in=started).values_list(
            "case_id", "seat_id"):
        voted[case_id].add(seat_id)
    out: dict[int, dict[str, Any]] = {}
    for c in started:
        eligible = [seats[i] for i in sorted(c.eligible_seats or [],
                                             key=lambda i: (seats[i].reserve, seats[i].position))
                    if i in seats]
        reasons = {int(k): v for k, v in (c.missing_reasons or {}).items()}
        missing = []
        for seat in eligible:
            if seat.pk not in voted[c.pk]:
                missing.append({"pk": seat.pk, "position": seat.position,
                                "expert": seat.expert, "missing_reason": reasons.get(seat.pk, "")})
        out[c.pk] = {"eligible": len(eligible), "voted": len(eligible) - len(missing),
                     "missing": missing}
    return out


def ballot_counted(case: Case, code: str) -> bool:
    """Was the ballot with this receipt code counted? (Inclusion only: nothing stored links
    a code to a choice.)"""
    return CountedReceipt.objects.filter(case=case, code=code.strip().upper()).exists()


def counted_codes(cases: list[Case]) -> dict[int, list[str]]:
    """Each counted case's receipt codes, in code order, for the meeting's experts to check
    theirs is there (no choices)."""
    out: dict[int, list[str]] = {c.pk: [] for c in cases}
    for case_id, code in CountedReceipt.objects.filter(case__in=cases).order_by(
            "case_id", "code").values_list("case_id", "code"):
        out[case_id].append(code)
    return out


def ceiling_report(meeting: Meeting) -> dict[str, Any]:
    cases = list(meeting.cases.all())
    ceiling = arithmetic.pass_ceiling(meeting.pass_rate, len(cases))
    passed = sum(1 for c in cases if c.passed)
    return {"ceiling": ceiling, "passed": passed, "roster": len(cases),
            "exceeded": ceiling is not None and passed > ceiling}


DRAW_RECORD_FORMAT = "zhicheng-expert-draw/2"
LEGACY_DRAW_RECORD_FORMAT = "zhicheng-expert-draw/1"
# The one reason class an exclusion is published under: the reason itself names an applicant
# or a unit, so the public record says only that the expert stood aside (docs/trust.md).
EXCLUSION_CLASS = "conflict"


def draw_record(meeting: Meeting) -> dict[str, Any]:
    """The meeting's public draw record (docs/trust.md §Expert draw): from the commit the
    seed hash, the plan, the pool and the exclusions by the meeting's pseudonymous codes;
    after the draw also the seed and the result, enough for `tools/verify/expert_draw.py`
    to re-run it without the project's code. No name, unit or pool id. (A meeting committed
    before the codes existed gives its old record by pool id, for the office only.)"""
    inputs = meeting.draw_inputs or {}
    codes: dict[str, str] = inputs.get("codes") or {}
    drawn = bool(meeting.draw_result)
    if not codes:
        return _legacy_record(meeting, inputs, drawn)

    def code(pk: Any) -> str:
        return codes[str(pk)]

    excluded = sorted(code(i) for i in inputs.get("excluded", []))
    stood_aside = sorted({code(i) for i in meeting.exclusions.values_list("expert_id", flat=True)
                          if str(i) in codes})
    result = None
    if drawn:
        result = {"groups": [{"selected": [code(i) for i in g["selected"]],
                              "reserve": [code(i) for i in g["reserve"]]}
                             for g in meeting.draw_result.get("groups", [])]}
    return {
        "format": DRAW_RECORD_FORMAT,
        "meeting": meeting.pk,
        "committee": meeting.committee.name,
        "date": meeting.date.isoformat(),
        "seed_hash": meeting.seed_hash,
        "candidates": sorted(({"id": code(c["id"]), "specialty": c["specialty"],
                               "level": c["level"]} for c in inputs.get("candidates", [])),
                             key=lambda c: c["id"]),
        "excluded": excluded,
        "exclusions": [{"id": c, "reason": EXCLUSION_CLASS, "overridden": c not in excluded}
                       for c in stood_aside],
        "groups": [{"specialty": g["specialty"], "level": g["level"], "count": int(g["count"]),
                    "reserve": int(g.get("reserve", 0))} for g in inputs.get("groups", [])],
        "seed": meeting.seed if drawn else None,
        "result": result,
    }


def _legacy_record(meeting: Meeting, inputs: dict[str, Any], drawn: bool) -> dict[str, Any]:
    result = None
    if drawn:
        result = {"groups": [{"selected": g["selected"], "reserve": g["reserve"]}
                             for g in meeting.draw_result.get("groups", [])]}
    return {
        "format": LEGACY_DRAW_RECORD_FORMAT,
        "meeting": meeting.pk,
        "seed_hash": meeting.seed_hash,
        "candidates": inputs.get("candidates", []),
        "excluded": inputs.get("excluded", []),
        "groups": inputs.get("groups", meeting.draw_spec),
        "seed": meeting.seed if drawn else None,
        "result": result,
    }


def public_draws() -> QuerySet[Meeting]:
    """Every meeting whose draw is committed with pseudonymous codes, newest first: the
    public list of draw records (no login)."""
    return (Meeting.objects.exclude(seed_hash="").filter(draw_inputs__has_key="codes")
            .select_related("committee").order_by("-date", "-pk"))


def public_draw(pk: int) -> Meeting | None:
    return public_draws().filter(pk=pk).first()


def pool_code_of(meeting: Meeting) -> dict[int, str]:
    """The meeting's pseudonymous code of each pool id (office side: beside the names)."""
    return {int(pk): c for pk, c in ((meeting.draw_inputs or {}).get("codes") or {}).items()}


def presiding_choices(meeting: Meeting) -> list[Any]:
    """The committee's members who may preside (the season's evaluation.panel.presiding_roles)."""
    roles, _clause = params.panel(meeting.season, "presiding_roles")
    return list(meeting.committee.members.filter(role__in=list(roles or []), expert__active=True)
                .select_related("expert__user").order_by("role", "pk"))


def results_recorded(cases: list[Case]) -> dict[str, int] | None:
    """After 登记表决结果: how many passed and failed (None while nothing is recorded)."""
    states = dict(Application.objects.filter(pk__in=[c.application_id for c in cases])
                  .values_list("pk", "state"))
    if not states or any(st == State.READY_FOR_MEETING for st in states.values()):
        return None
    passed = sum(1 for c in cases if c.passed and not c.held_back)
    return {"passed": passed, "failed": len(cases) - passed}


# --- the expert's case page ------------------------------------------------------------------


def _latest_submission(case: Case) -> Any:
    return case.application.submissions.order_by("-number").first()


def case_materials(case: Case) -> dict[int, dict[str, Any]]:
    """The materials of the case's latest submission, by id."""
    sub = _latest_submission(case)
    return {int(mt["id"]): mt for mt in (sub.snapshot.get("materials", []) if sub else [])}


def case_dossier(case: Case) -> dict[str, Any]:
    """What an expert evaluates (docs/evaluation.md §What experts evaluate): the submitted
    profile section by section, the eligibility decision with its findings, the review
    chain's opinions, the materials; in a constant number of queries."""

    app = Application.objects.select_related("applicant", "employer", "series").get(
        pk=case.application_id)
    sub = _latest_submission(case)
    snapshot = sub.snapshot if sub else {}
    return {"app": app, "submission": sub, "sections": profile_sections(snapshot),
            "decision": snapshot.get("decision") or {},
            "materials": list(snapshot.get("materials", [])),
            "opinions": list(app.review_steps.select_related("organisation").order_by("pk"))}


def audit_targets_of_meeting(meeting_id: int) -> Q:
    """The audit events filed under a meeting's cases and seats (votes, recusals, dossier
    openings, call-ins), for the audit search by meeting."""
    cases = [str(i) for i in Case.objects.filter(meeting_id=meeting_id).values_list(
        "pk", flat=True)]
    seats = [str(i) for i in CommitteeSeat.objects.filter(meeting_id=meeting_id).values_list(
        "pk", flat=True)]
    return (Q(target_type="evaluation.case", target_id__in=cases)
            | Q(target_type="evaluation.committeeseat", target_id__in=seats))


def next_step(meeting: Meeting) -> str:
    """The meeting's next step and its deadline, for the meeting list."""

    st = meeting.state
    if st in (S.DRAFT, S.RETURNED):
        return f"报送开评报告，最迟{cn_date(report_due(meeting))}"
    if st == S.SUBMITTED:
        return "市职称办审批开评报告"
    if st == S.APPROVED:
        return f"公布种子哈希并抽取评委（会议{cn_date(meeting.date)}前）"
    if st == S.DRAWN:
        count = getattr(meeting, "n_sittings", None)
        if count is None:  # a meeting not read through `meetings_for`
            count = meeting.sittings.count()
        if count > 1:
            return f"召开评审会议：{cn_date(meeting.date)}起，共{count}场"
        return f"召开评审会议：{cn_date(meeting.date)}"
    if st in (S.OPEN, S.TALLIED):
        return "表决、计票并由计票人和监票人签字"
    if st == S.SIGNED:
        return "登记表决结果并发布结果公示"
    report = getattr(meeting, "data_report", None)
    if st == S.PUBLISHED:
        if report is not None and report.sent_on is None:
            return f"报送评审数据，最迟{cn_date(report.due_on)}；市职称办核准备案"
        return "市职称办核准备案"
    if report is not None and report.sent_on is None:
        return f"报送评审数据，最迟{cn_date(report.due_on)}"
    return "—"
