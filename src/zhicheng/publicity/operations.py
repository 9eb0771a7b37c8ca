"""Every write of the publicity app, each through `core.operations.operation` (one lock, one
permission check, one state check, one audit event, one transaction).

    open_publicity(application, kind, actor, first_day=None) -> Publicity
    file_objection(publicity, *, name, contact, text, ip) -> Objection      (anonymous public)
    resolve_objection(objection, actor, *, resolution, outcome) -> Objection
    close_due_publicities(today=None) -> list[int]                          (SYSTEM, idempotent)
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from zhicheng.accounts.models import User
from zhicheng.applications.models import Application
from zhicheng.applications.notifications import notify
from zhicheng.core import clock
from zhicheng.core.actors import Actor, Outsider, person, person_or_none
from zhicheng.core.operations import (
    SYSTEM,
    NotPermitted,
    OperationError,
    StateConflict,
    operation,
)
from zhicheng.core.parameters import ParameterMissing, parameter
from zhicheng.core.workdays import office_calendar
from zhicheng.orgs.models import Membership, Organisation
from zhicheng.policy.dates import cn_date
from zhicheng.policy.workdays import CalendarDataMissing, WorkdayCalendar

from .models import (
    POSTING_ROLE,
    STATE_FOR_KIND,
    Kind,
    Objection,
    ObjectionState,
    Outcome,
    Publicity,
    parameter_name,
)
from .permissions import is_posting_member
from .signals import publicity_closed
from .validators import clean_objection


class PublicityError(OperationError):
    """A publicity cannot be opened as asked (parameter or calendar missing, bad date…)."""

    code = "publicity_refused"


class CalendarMissing(PublicityError):
    code = "calendar_missing"


class ObjectionRefused(OperationError):
    code = "objection_refused"


class Throttled(ObjectionRefused):
    code = "throttled"


class Public(Outsider):
    """The actor of an anonymous public action (filing an objection): recorded as 公众."""

    def __str__(self) -> str:
        return "公众"


PUBLIC = Public()


# --- the period ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    first_day: dt.date
    last_day: dt.date
    workdays: int
    parameter: str
    clause: str
    text: str

    @property
    def label(self) -> str:
        return f"{cn_date(self.first_day)}至{cn_date(self.last_day)}（{self.workdays}个工作日）"


def period_parameter(season: Any, kind: str) -> tuple[int, str, str]:
    """(working days, clause, text) of a kind of publicity, from the season's parameters."""
    name = parameter_name(kind)
    label = Kind(kind).label
    try:
        found = parameter(season, f"periods.{name}")
    except ParameterMissing:
        raise PublicityError(
            f"年度参数中没有“periods.{name}”（{label}的工作日数及其依据条款），"
            f"不能计算公示期。请在{season}的年度参数中补充后再发布。"
        ) from None
    try:
        workdays = int(found.value)
    except (TypeError, ValueError):
        workdays = 0
    if workdays < 1:
        raise PublicityError(f"年度参数“periods.{name}”应为正整数（工作日数）。")
    return workdays, found.clause, found.text


def publicity_period(
    season: Any, kind: str, first_day: dt.date, calendar: WorkdayCalendar | None = None
) -> Period:
    """The period of a publicity posted on `first_day`: it holds the season's number of
    working days on the official calendar, counting `first_day` if it is a working day."""
    workdays, clause, text = period_parameter(season, kind)
    cal = calendar if calendar is not None else office_calendar()
    try:
        last_day = cal.period_end(first_day, workdays)
    except CalendarDataMissing as exc:
        raise CalendarMissing(str(exc)) from exc
    return Period(first_day, last_day, workdays, parameter_name(kind), clause, text)


def posting_organisation(application: Application, kind: str) -> Organisation:
    """Who posts the publicity: the employer (unit), else the plan's committee office."""
    if kind == Kind.UNIT:
        if application.employer_id is None:
            raise PublicityError("该申报没有用人单位，不能发布单位公示（四（二））。")
        org: Organisation | None = application.employer
    else:
        org = application.plan.office if application.plan_id else None
        if org is None:
            raise PublicityError(
                "该申报所属评审计划没有关联评委会办事机构，不能发布公示；请市职称办先补录。"
            )
    assert org is not None
    return org


def _may_post(actor: Actor, organisation: Organisation, kind: str) -> bool:
    if actor is SYSTEM:
        return True

    if not (getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False)):
        return False
    return Membership.objects.filter(
        user=person(actor), active=True, organisation=organisation, role=POSTING_ROLE[kind]
    ).exists()


def _posters(publicity: Publicity) -> list[Any]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=publicity.organisation_id,
            memberships__role=POSTING_ROLE[publicity.kind],
            memberships__active=True,
        ).distinct()
    )


def _applicant_name(application: Application) -> str:
    return str(application.applicant)


# --- open ----------------------------------------------------------------------------------


def open_publicity(
    application: Application, kind: str, actor: Actor, first_day: dt.date | None = None
) -> Publicity:
    """Post `application` for public scrutiny (kind: unit / pre_evaluation / result).

    The application must be in the matching state (unit_publicity, pre_evaluation_publicity,
    result_publicity): call this right after firing the transition into it, in the same
    transaction. `first_day` defaults to today; the last day is computed on the office
    calendar from the season parameter `periods.<kind>_publicity_workdays`. Only the posting
    organisation (unit HR / committee office) or SYSTEM may post. The caller tells the
    applicant (its notification may quote `publicity.date_range_full`).
    """
    try:
        kind = Kind(kind)
    except ValueError as exc:
        raise PublicityError(f"未知的公示类型：{kind}") from exc
    today = clock.today()
    first = first_day or today
    if first < today:
        raise PublicityError(f"公示开始日期（{cn_date(first)}）不能早于今天（{cn_date(today)}）。")
    with operation(
        actor,
        "publicity.open",
        target=application,
        allowed_states=[STATE_FOR_KIND[kind]],
    ) as op:
        app: Application = op.obj
        organisation = posting_organisation(app, kind)
        if not _may_post(actor, organisation, kind):
            raise NotPermitted(f"只有{organisation}的相关工作人员可以发布该{kind.label}。")
        running = Publicity.objects.filter(application=app, kind=kind, closed_at__isnull=True)
        current = running.first()
        if current is not None:
            raise StateConflict(
                f"该申报的{kind.label}正在进行（{current.date_range}），不能重复发布。"
            )
        period = publicity_period(app.season, kind, first)
        last_round = Publicity.objects.filter(application=app, kind=kind).aggregate(
            n=Max("round")
        )["n"]
        publicity = Publicity.objects.create(
            application=app,
            kind=kind,
            round=(last_round or 0) + 1,
            organisation=organisation,
            first_day=period.first_day,
            last_day=period.last_day,
            required_workdays=period.workdays,
            parameter=period.parameter,
            clause=period.clause,
            opened_by=person_or_none(actor),
        )
        op.obj = publicity
        op.summary = (
            f"发布{kind.label}：{_applicant_name(app)}，公示期{period.label}"
            f"（{period.clause}）"
        )
        op.data = {
            "application": app.pk,
            "kind": kind.value,
            "round": publicity.round,
            "organisation": organisation.pk,
            "first_day": period.first_day,
            "last_day": period.last_day,
            "workdays": period.workdays,
            "parameter": period.parameter,
            "clause": period.clause,
        }
    return publicity


# --- objections ----------------------------------------------------------------------------


def _throttle() -> tuple[int, int]:
    limit, window = getattr(settings, "ZHICHENG_OBJECTION_THROTTLE", (5, 3600))
    return int(limit), int(window)


def _throttle_key(ip: str | None) -> str:
    return f"publicity:objections:{ip or 'unknown'}"


def _check_throttle(ip: str | None) -> None:
    limit, window = _throttle()
    if int(cache.get(_throttle_key(ip), 0)) >= limit:
        minutes = max(1, window // 60)
        raise Throttled(
            f"提交过于频繁：同一网络地址{minutes}分钟内最多提交{limit}件异议，请稍后再试。"
        )


def _count_filing(ip: str | None) -> None:
    _limit, window = _throttle()
    key = _throttle_key(ip)
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)


def file_objection(
    publicity: Publicity, *, name: str, contact: str, text: str, ip: str | None
) -> Objection:
    """Anyone may object while the period runs (name optional, contact required).

    Raises `django.core.exceptions.ValidationError` (per field, Chinese) for bad input,
    `Throttled` past the per-address limit, `ObjectionRefused` outside the period.
    """
    name, contact, text = clean_objection(name, contact, text)
    _check_throttle(ip)
    today = clock.today()
    with operation(PUBLIC, "publicity.objection.file", target=publicity) as op:
        p: Publicity = op.obj
        if p.closed_at is not None:
            raise ObjectionRefused(f"该公示已结束（公示期{p.date_range}），不再受理异议。")
        if today > p.last_day:
            raise ObjectionRefused(
                f"公示期已于{cn_date(p.last_day)}结束，不再受理异议。"
            )
        if today < p.first_day:
            raise ObjectionRefused(f"公示自{cn_date(p.first_day)}开始，届时方可提出异议。")
        objection = Objection.objects.create(
            publicity=p, name=name, contact=contact, text=text, ip=ip or None
        )
        app = p.application
        label = p.get_kind_display()
        digest = hashlib.sha256(f"{name}\n{contact}\n{text}".encode()).hexdigest()
        op.obj = objection
        op.summary = f"公众对{_applicant_name(app)}的{label}提出异议"
        op.data = {
            "actor": str(PUBLIC),
            "publicity": p.pk,
            "application": app.pk,
            "ip": ip or "",
            "sha256": digest,
        }
        url = reverse("publicity:resolve", args=[objection.pk])
        for user in _posters(p):
            notify(
                user,
                "publicity.objection",
                f"{label}收到异议：{_applicant_name(app)}",
                f"{label}（{p.date_range}）收到一件异议，请核实后书面处理；"
                "异议处理完毕前该申报不能进入下一环节。",
                application=app,
                url=url,
            )
    _count_filing(ip)
    return objection


def resolve_objection(
    objection: Objection, actor: Actor, *, resolution: str, outcome: str
) -> Objection:
    """The posting organisation answers an objection in writing: upheld or dismissed.

    An upheld objection does not move the application by itself: the posting organisation
    then fires `unit_objection_upheld` / `pre_evaluation_objection_upheld` (reviews app).
    """
    resolution = (resolution or "").strip()
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "请选择处理结论：异议成立或异议不成立。"})
    if not resolution:
        raise ValidationError({"resolution": "请书面填写处理意见（核查情况和结论），不能为空。"})
    with operation(
        actor,
        "publicity.objection.resolve",
        target=objection,
        permission="publicity.resolve_objection",
        allowed_states=[ObjectionState.OPEN],
    ) as op:
        obj: Objection = op.obj
        # Object-scoped even for superusers: only the posting organisation answers.
        if not is_posting_member(actor, obj.publicity):
            raise NotPermitted("只有发布该公示的单位（机构）工作人员可以处理此异议。")
        obj.state = ObjectionState.RESOLVED
        obj.resolution = resolution
        obj.outcome = outcome
        obj.resolved_by = person(actor)
        obj.resolved_at = clock.now()
        obj.save(update_fields=["state", "resolution", "outcome", "resolved_by", "resolved_at"])
        p = obj.publicity
        op.summary = (
            f"处理{p.get_kind_display()}异议#{obj.pk}（{_applicant_name(p.application)}）："
            f"{obj.get_outcome_display()}"
        )
        op.data = {
            "publicity": p.pk,
            "application": p.application_id,
            "outcome": outcome,
            "resolution": resolution,
        }
    return obj


# --- closing by itself ---------------------------------------------------------------------


class _AlreadyClosed(Exception):
    pass


def close_publicity(publicity_id: int) -> bool:
    """Close one publicity whose period has ended (SYSTEM). False if already closed."""
    try:
        with operation(SYSTEM, "publicity.close", target=(Publicity, publicity_id)) as op:
            p: Publicity = op.obj
            if p.closed_at is not None:
                raise _AlreadyClosed  # rolls back: no second audit event
            p.closed_at = clock.now()
            p.save(update_fields=["closed_at"])
            app = p.application
            label = p.get_kind_display()
            total = p.objections.count()
            still_open = p.objections.filter(state=ObjectionState.OPEN).count()
            op.summary = (
                f"{label}期满自动结束：{_applicant_name(app)}（{p.date_range}），"
                f"异议{total}件，未处理{still_open}件"
            )
            op.data = {
                "application": app.pk,
                "kind": p.kind,
                "round": p.round,
                "first_day": p.first_day,
                "last_day": p.last_day,
                "objections": total,
                "open_objections": still_open,
            }
            body = f"{_applicant_name(app)}的{label}（{p.date_range}）已期满结束。"
            if still_open:
                body += f"尚有{still_open}件异议未处理，请书面处理后再推进该申报。"
            elif total:
                body += f"公示期间收到异议{total}件，均已处理。"
            else:
                body += "公示期间未收到异议。"
            for user in _posters(p):
                notify(
                    user,
                    "publicity.closed",
                    f"{label}期满：{_applicant_name(app)}",
                    body,
                    application=app,
                    url=reverse("publicity:objections"),
                )
            transaction.on_commit(
                lambda: publicity_closed.send_robust(sender=Publicity, publicity=p),
                robust=True,
            )
    except _AlreadyClosed:
        return False
    return True


def close_due_publicities(today: dt.date | None = None) -> list[int]:
    """Close every publicity whose last day is before `today` (default: the business date).

    Idempotent: a publicity is closed once, with one audit event (actor SYSTEM); running it
    again, or twice at the same time, closes nothing more. Returns the ids closed now.
    """
    day = today or clock.today()
    due = list(
        Publicity.objects.filter(closed_at__isnull=True, last_day__lt=day)
        .order_by("last_day", "pk")
        .values_list("pk", flat=True)
    )
    return [pk for pk in due if close_publicity(pk)]
