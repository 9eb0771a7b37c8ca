"""Reads for the city title office's supervision pages (五（二）–（三）).

Every function aggregates in the database (grouped counts, conditional aggregation) and
runs a fixed number of queries whatever the number of plans, applications or meetings.
The population is what the city office supervises: every application of the season that
has left the applicant's hands (not a draft, not withdrawn), as in `reviews.queries`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhicheng.applications.models import Application, Route
from zhicheng.applications.states import State
from zhicheng.catalogue.models import LEVEL_ORDER, Level, Series
from zhicheng.certificates.models import Certificate
from zhicheng.core import clock
from zhicheng.core.models import AuditEvent
from zhicheng.core.parameters import ParameterMissing
from zhicheng.core.workdays import office_calendar
from zhicheng.evaluation.models import Case as EvaluationCase
from zhicheng.evaluation.models import Committee, DataReport, Meeting, MeetingState
from zhicheng.orgs.models import District, EmployerType
from zhicheng.orgs.queries import in_office_cities
from zhicheng.policy.workdays import CalendarDataMissing, WorkdayCalendar
from zhicheng.publicity.models import Kind, Publicity
from zhicheng.reviews.models import CorrectionRequest, CorrectionStatus, ReviewStep
from zhicheng.seasons.models import CommitteePlan, Season

from .params import supervision

# --- the population and its outcome --------------------------------------------------------

OUT_OF_SCOPE = (State.DRAFT, State.WITHDRAWN)
# The states shown, in the order of the procedure (draft and withdrawn are the applicant's).
SHOWN_STATES: tuple[State, ...] = tuple(s for s in State if s not in OUT_OF_SCOPE)
# A meeting (or the province) passed it; later states keep the pass.
PASSED_STATES = (
    State.PASSED, State.RESULT_PUBLICITY, State.APPROVED, State.CERTIFICATE_ISSUED,
)
FAILED_STATES = (State.NOT_PASSED,)
# 初定 and 考核认定 are confirmed without a vote: no part of a pass rate (二（六）、二（十一）).
NO_VOTE_ROUTES = (Route.INITIAL_DETERMINATION, Route.ASSESSMENT_RECOGNITION)
# Waiting for an office to act (the unit, the preliminary reviewer, the committee office).
REVIEW_WAITING = (
    State.SUBMITTED, State.UNIT_REVIEW, State.PRELIMINARY_REVIEW, State.COMMITTEE_RECHECK,
)


@dataclass(frozen=True)
class StateGroup:
    key: str
    label: Any
    states: tuple[State, ...]
    colour: str


STATE_GROUPS: tuple[StateGroup, ...] = (
    StateGroup("unit", _("单位审核与公示"),
               (State.SUBMITTED, State.UNIT_REVIEW, State.UNIT_PUBLICITY), "#6c8ebf"),
    StateGroup("preliminary", _("初审与补正"),
               (State.PRELIMINARY_REVIEW, State.CORRECTION_REQUESTED), "#9673a6"),
    StateGroup("committee", _("复核与评前公示"),
               (State.COMMITTEE_RECHECK, State.PRE_EVALUATION_PUBLICITY), "#d79b00"),
    StateGroup("ready", _("待评审"), (State.READY_FOR_MEETING,), "#b85450"),
    StateGroup("province", _("报省评审"), (State.FORWARDED_TO_PROVINCE,), "#666666"),
    StateGroup("passed", _("通过"), PASSED_STATES, "#2e7d32"),
    StateGroup("failed", _("未通过"), FAILED_STATES, "#c62828"),
    StateGroup("exited", _("不予受理、放弃或撤销"),
               (State.REJECTED, State.ABANDONED, State.REVOKED), "#9e9e9e"),
)


def in_scope(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.exclude(state__in=OUT_OF_SCOPE)


def rate(passed: int, failed: int) -> Decimal | None:
    """Pass rate in percent, one decimal; None when nobody has been decided yet."""
    decided = passed + failed
    if not decided:
        return None
    return (Decimal(100 * passed) / decided).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- seasons --------------------------------------------------------------------------------


@dataclass
class SeasonChoice:
    season: Season | None
    seasons: list[Season]
    previous: Season | None = None


def choose_season(code: str = "", user: Any = None) -> SeasonChoice:
    """The season asked for (by code), else the current one, else the latest, among the
    seasons of the person's city (`user`; docs/seasons.md, 多城市); and the season of the year
    before it for year-on-year figures. Two queries."""
    seasons = list(Season.objects.filter(
        in_office_cities(user, "owner") if user is not None else Q()).order_by("-year", "code"))
    chosen = next((s for s in seasons if code and s.code == code), None)
    if chosen is None:
        chosen = next((s for s in seasons if s.is_current), seasons[0] if seasons else None)
    previous = None
    if chosen is not None:
        earlier = [s for s in seasons if s.year < chosen.year]
        previous = earlier[0] if earlier else None
    return SeasonChoice(chosen, seasons, previous)


# --- the dashboard --------------------------------------------------------------------------


@dataclass
class MeetingInfo:
    meeting: Meeting
    report: DataReport | None
    report_status: str  # "" | "waiting" | "sent" | "late" | "overdue"


@dataclass
class PlanRow:
    plan: CommitteePlan
    window_open: bool
    opens_month: int | None
    counts: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    total: int = 0
    passed: int = 0
    failed: int = 0
    corrections_overdue: int = 0
    publicity_overdue: int = 0
    reviews_overdue: int | None = 0
    meetings: list[MeetingInfo] = field(default_factory=list)

    @property
    def pass_rate(self) -> Decimal | None:
        return rate(self.passed, self.failed)

    @property
    def reports_awaiting(self) -> int:
        return sum(1 for m in self.meetings if m.meeting.state == MeetingState.SUBMITTED)

    @property
    def data_late(self) -> int:
        return sum(1 for m in self.meetings if m.report_status == "late")

    @property
    def data_overdue(self) -> int:
        return sum(1 for m in self.meetings if m.report_status == "overdue")

    @property
    def overdue_total(self) -> int:
        return (self.corrections_overdue + self.publicity_overdue + (self.reviews_overdue or 0)
                + self.data_overdue + self.data_late)

    @property
    def group_list(self) -> list[tuple[StateGroup, int]]:
        return [(g, self.groups.get(g.key, 0)) for g in STATE_GROUPS]


@dataclass
class Dashboard:
    season: Season
    today: dt.date
    rows: list[PlanRow]
    review_overdue_workdays: int | None
    review_cutoff: dt.date | None
    calendar_problem: str = ""
    calendar_warning: str = ""  # this or next year's working-day calendar is missing
    # Every meeting of the season once: a committee may serve several plans, so the rows'
    # meeting lists overlap and must not be summed for the city's totals.
    meetings: list[MeetingInfo] = field(default_factory=list)

    @property
    def active_rows(self) -> list[PlanRow]:
        return [r for r in self.rows if r.total or r.meetings]

    def _sum(self, attr: str) -> int:
        return sum(getattr(r, attr) or 0 for r in self.rows)

    @property
    def totals(self) -> dict[str, Any]:
        passed, failed = self._sum("passed"), self._sum("failed")
        return {
            "total": self._sum("total"), "passed": passed, "failed": failed,
            "pass_rate": rate(passed, failed),
            "corrections_overdue": self._sum("corrections_overdue"),
            "publicity_overdue": self._sum("publicity_overdue"),
            "reviews_overdue": self._sum("reviews_overdue"),
            "reports_awaiting": sum(
                1 for m in self.meetings if m.meeting.state == MeetingState.SUBMITTED),
            "data_late": sum(1 for m in self.meetings if m.report_status == "late"),
            "data_overdue": sum(1 for m in self.meetings if m.report_status == "overdue"),
            "open_windows": sum(1 for r in self.rows if r.window_open),
            "groups": {g.key: sum(r.groups.get(g.key, 0) for r in self.rows)
                       for g in STATE_GROUPS},
        }


# The State Council publishes the next year's arrangement in October–December; from three
# months before the new year the dashboard reminds the office to enter it.
CALENDAR_WARNING_DAYS = 92


def calendar_warning(calendar: WorkdayCalendar, today: dt.date) -> str:
    """A warning when this year's calendar is missing, or next year's is within
    CALENDAR_WARNING_DAYS (every due date that runs into that year would be refused)."""
    if not calendar.has_year(today.year):
        return str(_("工作日历没有%(year)s年（本年）的数据：跨入该年的补正、公示和报送期限"
                     "都无法计算。请在“工作日历”中录入国务院办公厅公布的%(year)s年放假安排。")
                   % {"year": today.year})
    year = today.year + 1
    days = (dt.date(year, 1, 1) - today).days
    if days <= CALENDAR_WARNING_DAYS and not calendar.has_year(year):
        return str(_("工作日历还没有%(year)s年的数据（%(days)s天后进入%(year)s年）：届时跨年的"
                     "补正、公示和报送期限将无法计算。请在国务院办公厅公布%(year)s年放假安排后，"
                     "在“工作日历”中录入。") % {"year": year, "days": days})
    return ""


def workdays_before(calendar: WorkdayCalendar, today: dt.date, count: int) -> dt.date:
    """The first day D such that D + `count` working days is on or after `today`: anything
    that entered a stage before D has waited more than `count` working days."""
    day = today
    while calendar.add_workdays(day - dt.timedelta(days=1), count) >= today:
        day -= dt.timedelta(days=1)
    return day


def _report_status(report: DataReport | None, today: dt.date) -> str:
    if report is None:
        return ""
    if report.sent_on is not None:
        return "late" if report.late else "sent"
    return "overdue" if today > report.due_on else "waiting"


def season_meetings(season: Season, today: dt.date) -> tuple[dict[int, list[MeetingInfo]],
                                                                list[MeetingInfo]]:
    """Meetings of the season by plan (through their committee), two queries; and all."""
    meetings = list(
        Meeting.objects.filter(season=season)
        .select_related("committee__office", "data_report")
        .order_by("date", "pk")
    )
    infos = []
    for m in meetings:
        report = getattr(m, "data_report", None)
        infos.append(MeetingInfo(m, report, _report_status(report, today)))
    links = Committee.plans.through.objects.filter(
        committeeplan__season=season
    ).values_list("committee_id", "committeeplan_id")
    plans_of: dict[int, list[int]] = defaultdict(list)
    for committee_id, plan_id in links:
        plans_of[committee_id].append(plan_id)
    by_plan: dict[int, list[MeetingInfo]] = defaultdict(list)
    for info in infos:
        for plan_id in plans_of.get(info.meeting.committee_id, []):
            by_plan[plan_id].append(info)
    return by_plan, infos


def _last_movement() -> Any:
    """When the application last moved: its latest review step, or its submission."""
    last_step = ReviewStep.objects.filter(application=OuterRef("pk")).order_by(
        "-created_at").values("created_at")[:1]
    return Greatest(
        Coalesce(Subquery(last_step), F("submitted_at")),
        Coalesce(F("submitted_at"), Subquery(last_step)),
    )


def _opens_after(plan: CommitteePlan, day: dt.date) -> int | None:
    later = [m for m in plan.acceptance_months if m > day.month]
    return later[0] if later else None


def dashboard(season: Season, today: dt.date | None = None) -> Dashboard:
    today = today or clock.today()
    plans = list(CommitteePlan.objects.filter(season=season).select_related("office")
                 .order_by("row"))
    in_year = today.year == season.year
    # The acceptance window on the season's calendar (CommitteePlan.is_open_on without
    # loading the season again for every plan).
    rows = {p.pk: PlanRow(p, in_year and bool(p.acceptance_mask & (1 << today.month)),
                          _opens_after(p, today) if in_year else None)
            for p in plans}
    apps = in_scope(Application.objects.filter(season=season))

    for plan_id, state, n, no_vote in (
        apps.values_list("plan_id", "state").order_by()
        .annotate(n=Count("pk"), no_vote=Count("pk", filter=Q(route__in=NO_VOTE_ROUTES)))
    ):
        row = rows.get(plan_id)
        if row is None:
            continue
        row.counts[state] = n
        row.total += n
        for g in STATE_GROUPS:
            if state in g.states:
                row.groups[g.key] = row.groups.get(g.key, 0) + n
        if state in PASSED_STATES:
            row.passed += n - no_vote
        elif state in FAILED_STATES:
            row.failed += n - no_vote

    for plan_id, n in (
        CorrectionRequest.objects.filter(
            application__season=season, status=CorrectionStatus.OPEN, due_date__lt=today)
        .values_list("application__plan_id").order_by().annotate(n=Count("application",
                                                                          distinct=True))
    ):
        if plan_id in rows:
            rows[plan_id].corrections_overdue = n

    for plan_id, n in (
        Publicity.objects.filter(
            kind=Kind.UNIT, application__season=season,
            application__state=State.UNIT_PUBLICITY, last_day__lt=today)
        .values_list("application__plan_id").order_by()
        .annotate(n=Count("application", distinct=True))
    ):
        if plan_id in rows:
            rows[plan_id].publicity_overdue = n

    cutoff: dt.date | None = None
    problem = ""
    calendar = office_calendar()
    workdays: int | None = None
    try:
        workdays = int(supervision(season, "review_overdue_workdays"))
        cutoff = workdays_before(calendar, today, workdays)
    except ParameterMissing as exc:
        problem = str(exc)  # the season sets no limit: nothing is counted as overdue
    except CalendarDataMissing as exc:
        problem = str(_("工作日历缺少%(year)s年的数据，无法判断审核是否超期；"
                        "请在管理后台的“工作日历”中补录该年并标记为已发布。")
                      % {"year": exc.year})
    if cutoff is not None:
        cutoff_at = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
        for plan_id, n in (
            apps.filter(state__in=REVIEW_WAITING).annotate(moved=_last_movement())
            .filter(moved__lt=cutoff_at).values_list("plan_id").order_by()
            .annotate(n=Count("pk"))
        ):
            if plan_id in rows:
                rows[plan_id].reviews_overdue = n
    else:
        for row in rows.values():
            row.reviews_overdue = None

    by_plan, all_meetings = season_meetings(season, today)
    for plan_id, infos in by_plan.items():
        if plan_id in rows:
            rows[plan_id].meetings = infos

    return Dashboard(season, today, list(rows.values()), workdays, cutoff, problem,
                     meetings=all_meetings, calendar_warning=calendar_warning(calendar, today))


# --- drill-down: one committee plan -----------------------------------------------------------


def plan_for(season_plan_pk: int) -> CommitteePlan | None:
    return CommitteePlan.objects.select_related("season", "office").filter(
        pk=season_plan_pk).first()


def plan_dossiers(plan: CommitteePlan, state: str = "") -> QuerySet[Application]:
    """The plan's dossiers with what the list shows, nearest deadline first."""
    open_due = CorrectionRequest.objects.filter(
        application=OuterRef("pk"), status=CorrectionStatus.OPEN).values("due_date")[:1]
    # A running publicity, or a unit publicity whose period ended while the dossier still
    # waits in 单位公示中 (the daily task closes the publicity, the unit has not recommended
    # yet): the dashboard counts those as overdue, so the drill-down must show them.
    publicity_end = Publicity.objects.filter(
        Q(closed_at__isnull=True)
        | Q(kind=Kind.UNIT, application__state=State.UNIT_PUBLICITY),
        application=OuterRef("pk"),
    ).order_by("-round", "-pk").values("last_day")[:1]
    qs = in_scope(Application.objects.filter(plan=plan)).select_related(
        "applicant", "employer", "series", "preliminary_reviewer",
    ).annotate(
        due_date=Subquery(open_due), publicity_end=Subquery(publicity_end),
        moved=_last_movement(),
    )
    if state in {s.value for s in SHOWN_STATES}:
        qs = qs.filter(state=state)
    return qs.order_by(
        F("due_date").asc(nulls_last=True), F("publicity_end").asc(nulls_last=True),
        "submitted_at", "pk",
    )


def plan_state_counts(plan: CommitteePlan) -> list[tuple[State, int]]:
    counts = dict(in_scope(Application.objects.filter(plan=plan)).values_list("state")
                  .order_by().annotate(n=Count("pk")))
    return [(s, counts.get(s.value, 0)) for s in SHOWN_STATES]


# --- drill-down: one dossier's audit trail ---------------------------------------------------


def dossier(pk: int) -> Application | None:
    return in_scope(Application.objects.filter(pk=pk)).select_related(
        "applicant", "employer", "series", "plan__office", "season", "preliminary_reviewer",
    ).first()


def audit_trail(app: Application) -> list[AuditEvent]:
    """Every audit event targeting the application, its publicities, its evaluation cases
    and its certificate, in chain order. Two queries."""
    related = Application.objects.filter(pk=app.pk).values_list(
        "publicities__pk", "evaluation_cases__pk", "certificate__pk")
    publicity_ids: set[str] = set()
    case_ids: set[str] = set()
    certificate_ids: set[str] = set()
    for ids in related:
        for bucket, value in zip((publicity_ids, case_ids, certificate_ids), ids, strict=True):
            if value is not None:
                bucket.add(str(value))
    q = Q(target_type=Application._meta.label_lower, target_id=str(app.pk))
    q |= Q(target_type=Publicity._meta.label_lower, target_id__in=publicity_ids)
    q |= Q(target_type=EvaluationCase._meta.label_lower, target_id__in=case_ids)
    q |= Q(target_type=Certificate._meta.label_lower, target_id__in=certificate_ids)
    return list(AuditEvent.objects.filter(q).select_related("actor").order_by("seq"))


# --- statistics -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Any
    title: Any  # for file names and headings: 按系列 …


AGE_BANDS: tuple[tuple[str, Any], ...] = (
    ("le35", _("35岁及以下")),
    ("36_45", _("36–45岁")),
    ("46_54", _("46–54岁")),
    ("ge55", _("55岁及以上")),
    ("unknown", _("未登记")),
)
DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("series", _("系列"), _("按系列")),
    Dimension("level", _("层级"), _("按层级")),
    Dimension("district", _("县区"), _("按县区")),
    Dimension("unit_type", _("单位性质"), _("按单位性质")),
    Dimension("sex", _("性别"), _("按性别")),
    Dimension("age", _("年龄段"), _("按年龄段")),
)
DIMENSION_BY_KEY = {d.key: d for d in DIMENSIONS}
FREELANCER = "__freelancer"
UNKNOWN = "__unknown"


def age_reference(season: Season) -> dt.date:
    """Ages are counted at the end of the season's year."""
    return dt.date(season.year, 12, 31)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _key_expression(dimension: str, season: Season) -> Any:
    text = CharField()
    if dimension == "series":
        return F("series__code")
    if dimension == "level":
        return F("level")
    if dimension == "district":
        return Case(
            When(freelancer=True, then=Value(FREELANCER)),
            When(employer__district__isnull=True, then=Value(UNKNOWN)),
            default=F("employer__district__code"), output_field=text,
        )
    if dimension == "unit_type":
        return Case(
            When(freelancer=True, then=Value(FREELANCER)),
            When(Q(employer__isnull=True) | Q(employer__employer_type=""), then=Value(UNKNOWN)),
            default=F("employer__employer_type"), output_field=text,
        )
    if dimension == "sex":
        return Case(When(applicant__sex="", then=Value(UNKNOWN)),
                    default=F("applicant__sex"), output_field=text)
    if dimension == "age":
        ref = age_reference(season)
        born = "applicant__birth_date"
        return Case(
            When(**{f"{born}__isnull": True}, then=Value("unknown")),
            When(**{f"{born}__gt": _years_before(ref, 36)}, then=Value("le35")),
            When(**{f"{born}__gt": _years_before(ref, 46)}, then=Value("36_45")),
            When(**{f"{born}__gt": _years_before(ref, 55)}, then=Value("46_54")),
            default=Value("ge55"), output_field=text,
        )
    raise KeyError(dimension)


@dataclass
class StatRow:
    key: str
    label: str
    total: int = 0
    passed: int = 0
    failed: int = 0
    previous_total: int | None = None
    previous_passed: int = 0
    previous_failed: int = 0

    @property
    def pass_rate(self) -> Decimal | None:
        return rate(self.passed, self.failed)

    @property
    def previous_pass_rate(self) -> Decimal | None:
        if self.previous_total is None:
            return None
        return rate(self.previous_passed, self.previous_failed)

    @property
    def change(self) -> Decimal | None:
        """Year-on-year change of the number of applications, in percent."""
        if not self.previous_total:
            return None
        return (Decimal(100 * (self.total - self.previous_total)) / self.previous_total
                ).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class StatTable:
    dimension: Dimension
    rows: list[StatRow]
    has_previous: bool

    @property
    def total(self) -> StatRow:
        out = StatRow("__total", str(_("合计")),
                      previous_total=0 if self.has_previous else None)
        for r in self.rows:
            out.total += r.total
            out.passed += r.passed
            out.failed += r.failed
            if self.has_previous:
                out.previous_total = (out.previous_total or 0) + (r.previous_total or 0)
                out.previous_passed += r.previous_passed
                out.previous_failed += r.previous_failed
        return out


@dataclass
class Labels:
    series: dict[str, tuple[int, str]]
    districts: dict[str, tuple[int, str]]


def labels() -> Labels:
    """Names for the codes the tables group by (two queries)."""
    series = {code: (i, name) for i, (code, name) in enumerate(
        Series.objects.order_by("position", "code").values_list("code", "name"))}
    districts = {code: (i, name) for i, (code, name) in enumerate(
        District.objects.order_by("plan_row", "name").values_list("code", "name"))}
    return Labels(series, districts)


def _label(dimension: str, key: str, names: Labels) -> tuple[Any, str]:
    """(sort key, label) of a group."""
    if key == FREELANCER:
        return (9998, ""), str(_("自由职业"))
    if key == UNKNOWN:
        return (9999, ""), str(_("未登记") if dimension == "sex" else _("未注明"))
    if dimension == "series":
        position, name = names.series.get(key, (9000, key))
        return (position, key), name
    if dimension == "level":
        order = LEVEL_ORDER.index(key) if key in LEVEL_ORDER else 99
        return (order, key), str(Level(key).label) if key in LEVEL_ORDER else key
    if dimension == "district":
        position, name = names.districts.get(key, (9000, key))
        return (position, key), name
    if dimension == "unit_type":
        values = list(EmployerType.values)
        return ((values.index(key) if key in values else 99, key),
                str(EmployerType(key).label) if key in values else key)
    if dimension == "sex":
        return (0 if key == "M" else 1, key), str(_("男") if key == "M" else _("女"))
    if dimension == "age":
        keys = [k for k, _label in AGE_BANDS]
        return (keys.index(key) if key in keys else 99, key), str(dict(AGE_BANDS).get(key, key))
    return (0, key), key


def stat_table(dimension: str, season: Season, previous: Season | None,
               names: Labels) -> StatTable:
    """One dimension for the season (and the year before, in the same query)."""
    seasons = [season] + ([previous] if previous else [])
    rows: dict[str, StatRow] = {}
    order: dict[str, Any] = {}
    # Each season groups by its own age reference, so the age expression differs per season.
    for s in seasons:
        qs = (
            in_scope(Application.objects.filter(season=s))
            .annotate(key=_key_expression(dimension, s))
            .values_list("key").order_by()
            .annotate(
                total=Count("pk"),
                passed=Count("pk", filter=Q(state__in=PASSED_STATES)
                             & ~Q(route__in=NO_VOTE_ROUTES)),
                failed=Count("pk", filter=Q(state__in=FAILED_STATES)
                             & ~Q(route__in=NO_VOTE_ROUTES)),
            )
        )
        for key, total, passed, failed in qs:
            key = key or UNKNOWN
            if key not in rows:
                sort, label = _label(dimension, key, names)
                order[key] = sort
                rows[key] = StatRow(key, label, previous_total=0 if previous else None)
            row = rows[key]
            if s is season:
                row.total += total
                row.passed += passed
                row.failed += failed
            else:
                row.previous_total = (row.previous_total or 0) + total
                row.previous_passed += passed
                row.previous_failed += failed
    ordered = sorted(rows.values(), key=lambda r: order[r.key])
    return StatTable(DIMENSION_BY_KEY[dimension], ordered, previous is not None)


def statistics(season: Season, previous: Season | None) -> list[StatTable]:
    names = labels()
    return [stat_table(d.key, season, previous, names) for d in DIMENSIONS]


# --- the evaluation data reports, aggregated for the city ------------------------------------


@dataclass
class ReportRow:
    info: MeetingInfo
    roster: int = 0
    passed: int = 0
    not_passed: int = 0
    held_back: int = 0
    experts_drawn: int = 0
    experts_present: int = 0

    @property
    def pass_rate(self) -> Decimal | None:
        return rate(self.passed, self.not_passed)


@dataclass
class CityReport:
    rows: list[ReportRow]
    by_series: list[StatRow]
    by_level: list[StatRow]

    @property
    def series_total(self) -> StatRow:
        return _sum_rows(self.by_series, str(_("合计（已报送）")))

    @property
    def level_total(self) -> StatRow:
        return _sum_rows(self.by_level, str(_("合计（已报送）")))

    @property
    def sent(self) -> list[ReportRow]:
        return [r for r in self.rows if r.info.report and r.info.report.sent_on]

    @property
    def totals(self) -> ReportRow | None:
        if not self.rows:
            return None
        out = ReportRow(MeetingInfo(self.rows[0].info.meeting, None, ""))
        for r in self.sent:
            out.roster += r.roster
            out.passed += r.passed
            out.not_passed += r.not_passed
            out.held_back += r.held_back
            out.experts_drawn += r.experts_drawn
            out.experts_present += r.experts_present
        return out


def _sum_rows(rows: list[StatRow], label: str) -> StatRow:
    out = StatRow("__total", label)
    for r in rows:
        out.total += r.total
        out.passed += r.passed
        out.failed += r.failed
    return out


def city_data_report(season: Season, today: dt.date | None = None,
                     names: Labels | None = None) -> CityReport:
    """Each meeting's data report (docs/data-report.md) and their sum for the city: only
    reports sent count in the figures; the others are listed with their status."""
    today = today or clock.today()
    names = names or labels()
    _by_plan, infos = season_meetings(season, today)
    rows: list[ReportRow] = []
    series: dict[str, StatRow] = {}
    levels: dict[str, StatRow] = {}
    for info in infos:
        if info.report is None:
            continue
        row = ReportRow(info)
        payload = info.report.payload or {}
        if info.report.sent_on and payload:
            summary = payload.get("summary", {})
            meeting = payload.get("meeting", {})
            row.roster = int(summary.get("roster", 0))
            row.passed = int(summary.get("passed", 0))
            row.not_passed = int(summary.get("not_passed", 0))
            row.experts_drawn = int(meeting.get("experts_drawn", 0))
            row.experts_present = int(meeting.get("experts_present", 0))
            for a in _applicants(payload):
                row.held_back += bool(a.get("held_back_by_pass_rate"))
                passed = a.get("result") == "passed"
                for table, key, dimension in ((series, str(a.get("series", "")), "series"),
                                              (levels, str(a.get("level", "")), "level")):
                    if key not in table:
                        table[key] = StatRow(key, _label(dimension, key, names)[1])
                    table[key].total += 1
                    table[key].passed += passed
                    table[key].failed += not passed
        rows.append(row)

    def ordered(table: dict[str, StatRow], dimension: str) -> list[StatRow]:
        return sorted(table.values(), key=lambda r: _label(dimension, r.key, names)[0])

    return CityReport(rows, ordered(series, "series"), ordered(levels, "level"))


def _applicants(payload: dict[str, Any]) -> Iterable[dict[str, Any]]:
    items = payload.get("applicants", [])
    return [a for a in items if isinstance(a, dict)] if isinstance(items, list) else []
