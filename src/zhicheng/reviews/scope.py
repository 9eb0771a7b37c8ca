"""Review scope and deadlines: plain data and working-day arithmetic (no writes, no permissions).

- A committee's scope: the series in its plan, and the levels it evaluates in the city or
  forwards to the province. The attachment does not print levels; they are inferred from the
  plan's name (L confidence, docs/domain.md §Plan table defects) as defaults of
  `CommitteeSetting`, which the city office edits: "（高级）" → the committee evaluates 副高级
  and forwards 正高级; "（含高级）" → it evaluates everything up to 副高级; otherwise it
  evaluates 员级–中级 and the senior levels go to the province (四（四）:
  高级申报材料……报送省级高评委会评审).
- The correction due date: N working days after the request, N from the season parameter
  `periods.correction_workdays` (四（三）; the notice sets no number, the 2024 package says 10).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from zhicheng.catalogue.models import Level
from zhicheng.core.holidays import refuse_outside_calendar
from zhicheng.core.parameters import ParameterMissing, parameter
from zhicheng.core.workdays import office_calendar
from zhicheng.policy.workdays import CalendarDataMissing

JUNIOR = [Level.ENTRY.value, Level.ASSISTANT.value, Level.INTERMEDIATE.value]
SENIOR = [Level.ASSOCIATE_SENIOR.value, Level.FULL_SENIOR.value]


def default_scope(specialty: str) -> tuple[list[str], list[str], str]:
    """(city levels, provincial levels, note) inferred from a plan's printed name."""
    if "含高级" in specialty:
        return (
            [*JUNIOR, Level.ASSOCIATE_SENIOR.value], [Level.FULL_SENIOR.value],
            "计划表名称含“含高级”：本市评审至副高级，正高级报省（推断，可修改）",
        )
    if "高级" in specialty:
        return (
            [Level.ASSOCIATE_SENIOR.value], [Level.FULL_SENIOR.value],
            "计划表名称为“（高级）”：本市评审副高级，正高级报省（推断，可修改）",
        )
    return (
        list(JUNIOR), list(SENIOR),
        "计划表名称未含高级：本市评审中级及以下，高级报省高评委（四（四），推断，可修改）",
    )


def correction_workdays(season: Any) -> int:
    """Working days for a correction (the one accessor, `core.parameters`); a season value that
    is not a positive whole number is refused naming the parameter."""

    value = parameter(season, "periods.correction_workdays").value
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise ParameterMissing(
        f"年度参数“periods.correction_workdays”应为正整数（工作日数），请在{season}的年度参数中更正。")


def default_due_date(season: Any, today: dt.date) -> dt.date:
    """The correction due date; a year without calendar data refuses clearly, naming it."""
    try:
        return office_calendar().add_workdays(today, correction_workdays(season))
    except CalendarDataMissing as exc:
        raise refuse_outside_calendar(exc, "补正期限") from exc


REMINDER_WORKDAYS = 2  # deadline reminders 2 working days before the due date


def reminder_due(due_date: dt.date, today: dt.date, calendar: Any) -> bool:
    """True from the working day 2 working days before the due date until the due date."""
    if today > due_date:
        return False
    return bool(calendar.add_workdays(today, REMINDER_WORKDAYS) >= due_date)


# --- what a worklist row says about its deadline ------------------------------------------------

# The notice sets no time limit for a unit, a preliminary reviewer or a committee office to act
# on a dossier (supervision.params): the review due date is the system's setting, said so.
REVIEW_LIMIT_CLAUSE = ""
CORRECTION_CLAUSE = "四（三）"
PUBLICITY_CLAUSE = {"unit_publicity": "四（二）", "pre_evaluation_publicity": "四（四）"}
# A publicity whose last day has passed waits for the next move, and the row says so.
PUBLICITY_ENDED_LABEL = {
    "unit_publicity": "公示期满，待单位推荐",
    "pre_evaluation_publicity": "评前公示期满，待列入评审",
}
REVIEWING_STATES = frozenset({"submitted", "unit_review", "preliminary_review",
                              "committee_recheck"})


@dataclass(frozen=True)
class Deadline:
    """One worklist row's deadline: what it is, the date, the clause, working days left."""

    what: str
    due: dt.date | None
    clause: str
    workdays_left: int | None  # negative: working days overdue
    stage_label: str
    ended: bool = False  # a publicity past its last day: nothing is late, the next move is due

    @property
    def overdue(self) -> bool:
        return not self.ended and self.workdays_left is not None and self.workdays_left < 0

    @property
    def workdays_overdue(self) -> int:
        left = self.workdays_left
        return -left if left is not None and left < 0 else 0

    @property
    def due_today(self) -> bool:
        return self.workdays_left == 0


def workdays_left(calendar: Any, today: dt.date, due: dt.date) -> int:
    """Working days after today up to the due day (0 on the due day; negative when past)."""
    if due >= today:
        return calendar.count_workdays(today + dt.timedelta(days=1), due) if due > today else 0
    # Past the due day is late even on a weekend: at least one working day.
    return -max(1, calendar.count_workdays(due + dt.timedelta(days=1), today))


def worklist_deadline(
    *,
    state: str,
    state_label: str,
    correction_due: dt.date | None,
    publicity_end: dt.date | None,
    received: dt.date | None,
    today: dt.date,
    calendar: Any,
    review_workdays: int | None,
) -> Deadline:
    try:
        if correction_due is not None:
            return Deadline("补正期限", correction_due, CORRECTION_CLAUSE,
                            workdays_left(calendar, today, correction_due), state_label)
        if publicity_end is not None and state in PUBLICITY_CLAUSE:
            ended = publicity_end < today
            label = PUBLICITY_ENDED_LABEL[state] if ended else state_label
            return Deadline("公示截止", publicity_end, PUBLICITY_CLAUSE[state],
                            workdays_left(calendar, today, publicity_end), label, ended=ended)
        if received is not None and state in REVIEWING_STATES and review_workdays:
            due = calendar.add_workdays(received, review_workdays)
            return Deadline("审核期限", due, REVIEW_LIMIT_CLAUSE,
                            workdays_left(calendar, today, due), state_label)
    except CalendarDataMissing:
        pass  # no calendar for that year: the date is not known, nothing is made up
    return Deadline("", None, "", None, state_label)
