"""Writing the integrity archive (五（四）); the city title office only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhicheng.core import clock
from zhicheng.core.actors import Actor, person_or_none
from zhicheng.core.operations import NotPermitted, OperationError, operation
from zhicheng.core.parameters import ParameterMissing, parameter
from zhicheng.orgs.permissions import city_id_of, is_city_office
from zhicheng.orgs.queries import office_city_ids
from zhicheng.seasons.models import Season

from .models import IntegrityRecord, Reason, SubjectKind


def record_years(season: Any = None) -> int:
    """The season parameter `periods.integrity_record_years` (五（四）: 3 years in 2024) of
    the season, else of the current season, through the one accessor (`core.parameters`)."""

    season = season or Season.objects.filter(is_current=True).first()
    if season is None:
        raise ParameterMissing("没有当前评审年度，无法确定诚信档案的记录期（五（四））。")
    return int(parameter(season, "periods.integrity_record_years").value)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _office_city(actor: Actor) -> int | None:
    """The one city the writing office serves, else None (the whole installation)."""
    cities = office_city_ids(actor)
    return next(iter(cities)) if cities and len(cities) == 1 else None


def write_record(
    actor: Actor,
    *,
    subject_kind: str,
    reason: str,
    description: str,
    decision_number: str,
    person: Any = None,
    organisation: Any = None,
    application: Any = None,
    season: Any = None,
    start: dt.date | None = None,
) -> IntegrityRecord:
    """Write one record (in the caller's transaction when there is one). City office only;
    of the application's or the unit's city when it names one (docs/seasons.md, 多城市)."""
    target = application if application is not None else organisation
    if not is_city_office(actor, target):
        raise NotPermitted("只有市职称办可以记入诚信档案，且只能记入本市的申报和单位。")
    if not description.strip() or not decision_number.strip():
        raise OperationError("请填写事实与证据，以及处理决定文号。")
    if subject_kind == SubjectKind.UNIT and organisation is None:
        raise OperationError("单位记录须指定单位。")
    if subject_kind != SubjectKind.UNIT and person is None:
        raise OperationError("个人记录须指定人员。")
    if reason not in Reason.values:
        raise OperationError("失信情形不正确。")
    start = start or clock.today()
    name = (
        organisation.name if subject_kind == SubjectKind.UNIT
        else (getattr(person, "full_name", "") or person.get_username())
    )
    with operation(actor, "integrity.record") as op:
        # read inside the operation: its event keeps the record period it used
        end = add_years(start, record_years(season or getattr(application, "season", None)))
        record = IntegrityRecord.objects.create(
            subject_kind=subject_kind, person=person, organisation=organisation,
            subject_name=name, reason=reason, description=description.strip(),
            decision_number=decision_number.strip(), start=start, end=end,
            application=application, created_by=person_or_none(actor),
            city_id=city_id_of(target) or _office_city(actor),
        )
        op.obj = record
        op.summary = f"记入诚信档案：{name}（{record.get_reason_display()}，{start}至{end}）"
        op.data = {"decision_number": record.decision_number, "end": end.isoformat()}
    return record


def record_cover_up(
    actor: Actor, *, description: str, decision_number: str, organisation: Any = None,
    staff: Any = None, application: Any = None,
) -> IntegrityRecord:
    """A unit or a member of staff who covered up or facilitated fraud (五（四））."""
    if organisation is None and staff is None:
        raise OperationError("请指定单位或工作人员。")
    return write_record(
        actor,
        subject_kind=SubjectKind.UNIT if staff is None else SubjectKind.STAFF,
        reason=Reason.COVER_UP, description=description, decision_number=decision_number,
        person=staff, organisation=organisation if staff is None else None,
        application=application,
    )
