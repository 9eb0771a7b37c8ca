"""The application's life: ONE state machine, declared in the two tables below
(rendered into docs/state-machine.md).

`STATES` lists every state with its Chinese label and clause; `TRANSITIONS` lists every
allowed move: its name, the states it may start from, the state it leads to, the role that
may fire it and the guards that must hold. `fire()` is the only function that changes
`Application.state`; it refuses anything that is not in the table, whoever asks (the system
and superusers included), and it refuses a transition whose guards are not implemented yet
(the review chain, the meeting and the certificates register their guards in `GUARDS`).

`zhicheng state_machine --markdown` renders the tables into docs/state-machine.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from zhicheng.core.actors import Actor
from zhicheng.core.operations import SYSTEM, NotPermitted, StateConflict
from zhicheng.orgs.models import Role as OrgRole
from zhicheng.orgs.permissions import has_role_in, is_active_user, is_city_office

if TYPE_CHECKING:
    from .models import Application


class State(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    UNIT_REVIEW = "unit_review", "单位审核中"
    UNIT_PUBLICITY = "unit_publicity", "单位公示中"
    PRELIMINARY_REVIEW = "preliminary_review", "初审中"
    CORRECTION_REQUESTED = "correction_requested", "待补正"
    COMMITTEE_RECHECK = "committee_recheck", "评委会复核中"
    PRE_EVALUATION_PUBLICITY = "pre_evaluation_publicity", "评前公示中"
    READY_FOR_MEETING = "ready_for_meeting", "待评审"
    PASSED = "passed", "评审通过"
    NOT_PASSED = "not_passed", "评审未通过"
    RESULT_PUBLICITY = "result_publicity", "结果公示中"
    APPROVED = "approved", "已核准备案"
    CERTIFICATE_ISSUED = "certificate_issued", "已发证"
    FORWARDED_TO_PROVINCE = "forwarded_to_province", "已报送省高评委"
    WITHDRAWN = "withdrawn", "已撤回"
    REJECTED = "rejected", "不予受理"
    ABANDONED = "abandoned", "视为放弃"
    REVOKED = "revoked", "已撤销"


@dataclass(frozen=True)
class StateInfo:
    state: State
    clause: str
    description: str
    side_exit: bool = False
    final: bool = False

    @property
    def label(self) -> str:
        return str(self.state.label)


STATES: tuple[StateInfo, ...] = (
    StateInfo(State.DRAFT, "四（一）", "申报人在线填报，尚未提交"),
    StateInfo(State.SUBMITTED, "四（一）", "已提交并冻结快照，等待用人单位审核"),
    StateInfo(State.UNIT_REVIEW, "四（二）", "用人单位核对原件、签署意见"),
    StateInfo(State.UNIT_PUBLICITY, "四（二）", "单位公示，不少于5个工作日"),
    StateInfo(State.PRELIMINARY_REVIEW, "四（三）", "县区人社局、主管部门或人才服务中心初审"),
    StateInfo(State.CORRECTION_REQUESTED, "四（三）", "一次性告知需补正的全部内容，逾期视为放弃"),
    StateInfo(State.COMMITTEE_RECHECK, "四（四）", "评委会办事机构复核，市职称办抽查"),
    StateInfo(State.PRE_EVALUATION_PUBLICITY, "四（四）", "评前公示，不少于5个工作日"),
    StateInfo(State.READY_FOR_MEETING, "五（二）", "列入评审会议"),
    StateInfo(State.PASSED, "五（二）", "评审会议表决通过"),
    StateInfo(State.NOT_PASSED, "五（二）", "评审会议表决未通过", final=True),
    StateInfo(State.RESULT_PUBLICITY, "五（二）", "评审结果公示"),
    StateInfo(State.APPROVED, "五（二）", "市职称办核准备案"),
    StateInfo(State.CERTIFICATE_ISSUED, "五（五）", "电子证书已签发", final=True),
    StateInfo(State.FORWARDED_TO_PROVINCE, "四（四）", "高级申报材料报送省级高评委评审"),
    StateInfo(State.WITHDRAWN, "四（一）", "申报人在单位处理前撤回", side_exit=True, final=True),
    StateInfo(
        State.REJECTED, "四（三）", "不符合申报条件或程序，附理由", side_exit=True, final=True
    ),
    StateInfo(State.ABANDONED, "四（三）", "逾期未补正，视为放弃申报", side_exit=True, final=True),
    StateInfo(State.REVOKED, "五（四）", "弄虚作假取得的职称一律撤销", side_exit=True, final=True),
)
STATE_INFO: dict[str, StateInfo] = {s.state.value: s for s in STATES}


class Role(models.TextChoices):
    APPLICANT = "applicant", "申报人"
    UNIT_HR = "unit_hr", "用人单位人事"
    PRELIMINARY_REVIEWER = "preliminary_reviewer", "初审单位"
    COMMITTEE_OFFICE = "committee_office", "评委会办事机构"
    CITY_OFFICE = "city_office", "市职称办"
    SYSTEM = "system", "系统（定时任务）"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[State, ...]
    target: State
    role: Role
    guards: tuple[str, ...] = ()
    clause: str = ""

    def allows_from(self, state: str) -> bool:
        return state in self.sources


_S = State
_R = Role
# Every state an application can be revoked from (fraud, at any time, also after a certificate).
_REVOCABLE = tuple(
    s for s in State if s not in (_S.DRAFT, _S.WITHDRAWN, _S.REVOKED)
)

TRANSITIONS: tuple[Transition, ...] = (
    # --- the applicant's moves: guards in applications/guards.py ----------------------------
    Transition(
        "submit", "提交申报", (_S.DRAFT,), _S.SUBMITTED, _R.APPLICANT,
        ("employer_recorded", "no_failing_finding", "needs_review_explained",
         "commitment_accepted", "materials_present"),
        "四（一）、五（四）",
    ),
    Transition(
        "withdraw", "撤回申报", (_S.DRAFT, _S.SUBMITTED), _S.WITHDRAWN, _R.APPLICANT,
        ("unit_not_acted",), "四（一）",
    ),
    # --- the review chain and after: guards registered by the apps that run them -----------
    Transition(
        "unit_start_review", "单位开始审核", (_S.SUBMITTED,), _S.UNIT_REVIEW, _R.UNIT_HR,
        ("in_unit_jurisdiction",), "四（二）",
    ),
    Transition(
        "unit_return", "单位退回修改", (_S.UNIT_REVIEW,), _S.DRAFT, _R.UNIT_HR,
        ("in_unit_jurisdiction", "reasons_given"), "四（二）",
    ),
    Transition(
        "unit_approve", "单位审核通过并公示", (_S.UNIT_REVIEW,), _S.UNIT_PUBLICITY, _R.UNIT_HR,
        ("in_unit_jurisdiction", "originals_checked", "opinion_written"), "四（二）",
    ),
    Transition(
        "unit_recommend", "公示期满，单位推荐", (_S.UNIT_PUBLICITY,), _S.PRELIMINARY_REVIEW,
        _R.UNIT_HR,
        ("in_unit_jurisdiction", "publicity_closed", "objections_resolved"), "四（二）",
    ),
    Transition(
        "unit_objection_upheld", "异议成立，单位不予推荐", (_S.UNIT_PUBLICITY,), _S.REJECTED,
        _R.UNIT_HR, ("in_unit_jurisdiction", "reasons_given"), "四（二）",
    ),
    Transition(
        "request_corrections", "一次性告知补正", (_S.PRELIMINARY_REVIEW,),
        _S.CORRECTION_REQUESTED, _R.PRELIMINARY_REVIEWER,
        ("in_reviewer_jurisdiction", "items_listed", "due_date_set"), "四（三）",
    ),
    Transition(
        "resubmit_corrections", "补正后重新提交", (_S.CORRECTION_REQUESTED,),
        _S.PRELIMINARY_REVIEW, _R.APPLICANT, ("before_due_date", "only_listed_items_changed"),
        "四（三）",
    ),
    Transition(
        "expire_corrections", "逾期未补正，视为放弃", (_S.CORRECTION_REQUESTED,), _S.ABANDONED,
        _R.SYSTEM, ("correction_overdue",), "四（三）",
    ),
    Transition(
        "preliminary_reject", "初审不予通过", (_S.PRELIMINARY_REVIEW,), _S.REJECTED,
        _R.PRELIMINARY_REVIEWER, ("in_reviewer_jurisdiction", "reasons_given"), "四（三）",
    ),
    Transition(
        "preliminary_approve", "初审通过，报送评委会", (_S.PRELIMINARY_REVIEW,),
        _S.COMMITTEE_RECHECK, _R.PRELIMINARY_REVIEWER, ("in_reviewer_jurisdiction",), "四（三）",
    ),
    Transition(
        "committee_return", "复核退回（按原渠道）", (_S.COMMITTEE_RECHECK,),
        _S.PRELIMINARY_REVIEW, _R.COMMITTEE_OFFICE, ("in_committee_scope", "reasons_given"),
        "四（四）",
    ),
    Transition(
        "committee_refuse", "超出受理范围或程序不符，不予受理", (_S.COMMITTEE_RECHECK,),
        _S.REJECTED, _R.COMMITTEE_OFFICE, ("in_committee_scope", "reasons_given"), "四（四）",
    ),
    Transition(
        "committee_accept", "复核通过，评前公示", (_S.COMMITTEE_RECHECK,),
        _S.PRE_EVALUATION_PUBLICITY, _R.COMMITTEE_OFFICE,
        ("in_committee_scope", "evaluated_in_city"), "四（四）",
    ),
    Transition(
        "forward_to_province", "报送省级高评委", (_S.COMMITTEE_RECHECK,),
        _S.FORWARDED_TO_PROVINCE, _R.COMMITTEE_OFFICE,
        ("in_committee_scope", "senior_provincial", "city_office_reviewed"), "四（四）",
    ),
    Transition(
        "pre_evaluation_objection_upheld", "评前公示异议成立", (_S.PRE_EVALUATION_PUBLICITY,),
        _S.REJECTED, _R.COMMITTEE_OFFICE, ("in_committee_scope", "reasons_given"), "四（四）",
    ),
    Transition(
        "close_pre_evaluation_publicity", "评前公示期满", (_S.PRE_EVALUATION_PUBLICITY,),
        _S.READY_FOR_MEETING, _R.SYSTEM, ("publicity_closed", "objections_resolved"), "四（四）",
    ),
    Transition(
        "record_pass", "表决通过", (_S.READY_FOR_MEETING,), _S.PASSED, _R.COMMITTEE_OFFICE,
        ("in_committee_scope", "quorum_present", "two_thirds_yes"), "五（二）",
    ),
    Transition(
        "record_fail", "表决未通过", (_S.READY_FOR_MEETING,), _S.NOT_PASSED, _R.COMMITTEE_OFFICE,
        ("in_committee_scope", "quorum_present"), "五（二）",
    ),
    Transition(
        "record_provincial_pass", "省高评委评审通过", (_S.FORWARDED_TO_PROVINCE,), _S.PASSED,
        _R.COMMITTEE_OFFICE, ("in_committee_scope", "provincial_result_received"), "四（四）",
    ),
    Transition(
        "record_provincial_fail", "省高评委评审未通过", (_S.FORWARDED_TO_PROVINCE,),
        _S.NOT_PASSED, _R.COMMITTEE_OFFICE, ("in_committee_scope", "provincial_result_received"),
        "四（四）",
    ),
    Transition(
        "publish_result", "评审结果公示", (_S.PASSED,), _S.RESULT_PUBLICITY, _R.COMMITTEE_OFFICE,
        ("in_committee_scope",), "五（二）",
    ),
    Transition(
        "approve_result", "核准备案", (_S.RESULT_PUBLICITY,), _S.APPROVED, _R.CITY_OFFICE,
        ("publicity_closed", "objections_resolved"), "五（二）",
    ),
    # Shorter paths (二（六）、二（十一）): the city office confirms 初定 and 考核认定
    # after the preliminary review or the committee re-check, without a meeting.
    Transition(
        "confirm_special_route", "初定/考核认定核准",
        (_S.PRELIMINARY_REVIEW, _S.COMMITTEE_RECHECK), _S.APPROVED, _R.CITY_OFFICE,
        ("special_route", "in_initial_determination_round"), "二（六）、二（十一）、三（一）",
    ),
    Transition(
        "issue_certificate", "签发电子证书", (_S.APPROVED,), _S.CERTIFICATE_ISSUED,
        _R.CITY_OFFICE, ("certificate_signed",), "五（五）",
    ),
    Transition(
        "revoke", "撤销（弄虚作假）", _REVOCABLE, _S.REVOKED, _R.CITY_OFFICE,
        ("fraud_established", "reasons_given"), "五（四）",
    ),
)
TRANSITION_BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.allows_from(state)]


def transition_between(source: str, target: str) -> Transition | None:
    for t in TRANSITIONS:
        if t.allows_from(source) and t.target == target:
            return t
    return None


def state_label(state: str) -> str:
    info = STATE_INFO.get(state)
    return info.label if info else state


# --- roles ---------------------------------------------------------------------------------


def actor_has_role(actor: Actor, role: Role, application: Application) -> bool:
    """Does `actor` hold `role` for this application (object-scoped)? The same role
    predicates as every permission (`orgs.permissions`), applied to the application's
    employer, preliminary reviewer and committee office."""
    if role == Role.SYSTEM:
        return actor is SYSTEM
    if actor is SYSTEM or not is_active_user(actor):
        return False
    if role == Role.APPLICANT:
        return bool(application.applicant_id == actor.pk)
    if role == Role.UNIT_HR:
        return has_role_in(actor, OrgRole.UNIT_HR, application.employer_id)
    if role == Role.PRELIMINARY_REVIEWER:
        return has_role_in(actor, OrgRole.PRELIMINARY_REVIEWER,
                           application.preliminary_reviewer_id)
    if role == Role.COMMITTEE_OFFICE:
        office_id = application.plan.office_id if application.plan_id else None
        return has_role_in(actor, OrgRole.COMMITTEE_OFFICE, office_id)
    if role == Role.CITY_OFFICE:
        return bool(is_city_office(actor))
    return False


# --- guards --------------------------------------------------------------------------------
# A guard returns None when it holds, or the Chinese reason it does not. Guards of the
# applicant's transitions are registered by `applications.guards`; the review chain, the meeting
# and the certificates register the others.



@dataclass(frozen=True, kw_only=True)
class GuardContext:
    """What the operation was asked to do, handed by `fire()` to the guards of the transition.

    The guards read their inputs here rather than from attributes set on the application."""

    decision: Any = None  # the eligibility decision the submit operation computed
    reasons: str = ""  # reasons the applicant is told (returns, refusals, revocation)
    items: Sequence[Mapping[str, Any]] = ()  # the correction items requested
    due_date: dt.date | None = None  # the correction due date
    changes: Any = None  # the diff of a resubmitted correction
    document_number: str = ""  # the provincial committee's result
    evidence: str = ""  # facts and evidence of a fraud revocation
    decision_number: str = ""  # the revocation's decision document number


NO_CONTEXT = GuardContext()

Guard = Callable[["Application", Any, GuardContext], "str | None"]
GUARDS: dict[str, Guard] = {}


def guard(name: str) -> Callable[[Guard], Guard]:
    def register(func: Guard) -> Guard:
        GUARDS[name] = func
        return func

    return register


class TransitionRefused(StateConflict):
    """The state machine does not allow this move (not in the table, or a guard fails)."""


def check(
    application: Application, name: str, actor: Actor, context: GuardContext = NO_CONTEXT
) -> Transition:
    """Raise unless `actor` may fire transition `name` on `application` now."""
    t = TRANSITION_BY_NAME.get(name)
    if t is None:
        raise TransitionRefused(f"状态机中没有“{name}”这一步骤，任何人都不能执行。")
    if not t.allows_from(application.state):
        raise TransitionRefused(
            f"当前状态“{state_label(application.state)}”下不能执行“{t.label}”"
            "（状态机不允许），可能已被他人处理，请刷新后查看。"
        )
    if not actor_has_role(actor, t.role, application):
        raise NotPermitted(f"“{t.label}”只能由{t.role.label}执行（或申报不在您的管辖范围内）。")
    for guard_name in t.guards:
        func = GUARDS.get(guard_name)
        if func is None:
            raise TransitionRefused(f"“{t.label}”尚未开放（条件“{guard_name}”尚未实现）。")
        reason = func(application, actor, context)
        if reason:
            raise TransitionRefused(reason)
    return t


def fire(
    application: Application, name: str, actor: Actor, context: GuardContext = NO_CONTEXT,
    *, fields: Sequence[str] = (),
) -> Transition:
    """Check and apply transition `name`. Call inside an operation holding the row lock.
    `context` carries what the operation was asked to do, for the transition's guards;
    `fields`: other columns the operation changed, saved with the state in the same UPDATE
    (one statement instead of a second save)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("fire() must run inside an operation (transaction with a row lock)")
    t = check(application, name, actor, context)
    application.state = t.target
    application.save(update_fields=["state", "updated_at", *fields])
    return t


def move_to(
    application: Application, target: str, actor: Actor, context: GuardContext = NO_CONTEXT
) -> Transition:
    """Fire the transition leading from the current state to `target`, if the table has one."""
    t = transition_between(application.state, target)
    if t is None:
        raise TransitionRefused(
            f"状态机不允许从“{state_label(application.state)}”直接变为“{state_label(target)}”。"
        )
    return fire(application, t.name, actor, context)


# --- rendering -----------------------------------------------------------------------------


def render_markdown() -> str:
    lines = [
        "# The application's state machine",
        "",
        "Generated from `src/zhicheng/applications/states.py` by "
        "`zhicheng state_machine --markdown`; do not edit by hand (a test checks it is current).",
        "",
        "Only `states.fire()` changes an application's state; it refuses any transition that is",
        "not in the table below, whoever asks, and any transition one of whose guards is not",
        "registered in `states.GUARDS` (the applications app registers the guards of `submit` and",
        "`withdraw` in `applications/guards.py`; the apps that run the later steps register the",
        "others).",
        "",
        "## States",
        "",
        "| state | label | clause | meaning | kind |",
        "|---|---|---|---|---|",
    ]
    for s in STATES:
        kind = "side exit" if s.side_exit else ("final" if s.final else "")
        if s.side_exit and s.final:
            kind = "side exit, final"
        lines.append(f"| `{s.state.value}` | {s.label} | {s.clause} | {s.description} | {kind} |")
    lines += [
        "",
        "## Transitions",
        "",
        "| transition | label | from | to | role | guards | clause |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in TRANSITIONS:
        sources = ", ".join(f"`{s.value}`" for s in t.sources)
        guards = ", ".join(f"`{g}`" for g in t.guards) or "–"
        lines.append(
            f"| `{t.name}` | {t.label} | {sources} | `{t.target.value}` | {t.role.label} "
            f"| {guards} | {t.clause} |"
        )
    lines += ["", "## Diagram", "", "```mermaid", "stateDiagram-v2"]
    for t in TRANSITIONS:
        if t.name == "revoke":
            continue
        for source in t.sources:
            lines.append(f"    {source.value} --> {t.target.value}: {t.name}")
    lines.append("    note right of revoked: revoke — from every state but draft/withdrawn")
    lines += ["```", ""]
    return "\n".join(lines)
