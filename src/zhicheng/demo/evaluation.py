"""The demo season for `make run` (`zhicheng evaluation_demo`, after `seed_demo`), written
only through the real operations, each step on the business date it would have happened
on (`core.clock.pinned`; every date change is an audit event `demo.clock.pin`):

1. A 7-member intermediate committee of 市场监督局 over plan 41 (质量工程, the plan the
   demo applicant applies to) and a pool of 9 fictional experts (the account `expert`
   林教授 among them, one expert at the applicants' employer so the draw shows a conflict).
2. Meeting 1, held completely: five applicants (`demo_applicant_1`…`5`) apply in May, pass
   the unit review and publicity, the preliminary review, the committee re-check and the
   pre-evaluation publicity; the opening report (5 June) is approved, the draw committed
   and run, the meeting held on 19 June (attendance, one recusal, secret ballots, tally
   signed), results published 20 June, the data report sent, the results filed 28 June.
   Four pass; `certificate issue-approved` then certifies them and `certificate_demo`
   revokes `demo_applicant_3`'s certificate.
3. Meeting 2, for the browser: three applicants (`demo_applicant_6`…`8`) ready for the
   meeting by 9 July, and a draft opening report for 26 July that the demo accounts carry
   through themselves (the demo clock moves the date on).

Idempotent: each step runs only when its object is not yet in the state it produces, so a
second run (or a run after a failure) finishes the story without duplicating anything."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile

from zhicheng.accounts.identity import IdType, validate_resident_id
from zhicheng.accounts.models import User
from zhicheng.applications import operations as aops
from zhicheng.applications.models import ApplicantProfile, Application
from zhicheng.applications.profiles import validate_facts
from zhicheng.applications.states import State
from zhicheng.catalogue.models import Series
from zhicheng.core import clock
from zhicheng.core.actors import Actor
from zhicheng.core.operations import SYSTEM, operation
from zhicheng.demo.accounts import DEMO_PASSWORD
from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_FACTS, DEMO_PLAN_ROW, DEMO_SPECIALTY
from zhicheng.documents.placeholder import one_page_pdf
from zhicheng.evaluation import operations as ops
from zhicheng.evaluation import queries
from zhicheng.evaluation.models import (
    Committee,
    CommitteeMember,
    DataReport,
    Expert,
    Meeting,
    MeetingState,
    MemberRole,
)
from zhicheng.orgs.models import Membership, Organisation, Role
from zhicheng.publicity.operations import close_due_publicities
from zhicheng.reviews import operations as rops
from zhicheng.seasons.models import CommitteePlan, Season

D = dt.date
DEMO_COMMITTEE = "连云港市质量工程专业中级职称评审委员会（演示）"
DEMO_OFFICE = "市场监督局"
EXPERT_UNIT = "连云港港湾新材料科技有限公司"
TERM = (D(2023, 1, 1), D(2025, 12, 31))
# username (None = the demo account `expert`), name, unit, role on the committee
DEMO_EXPERTS: list[tuple[str | None, str, str, str | None]] = [
    (None, "林教授", EXPERT_UNIT, MemberRole.CHAIR),
    ("demo_expert_1", "秦高工", "连云港市第一人民医院（演示）", MemberRole.VICE_CHAIR),
    ("demo_expert_2", "尤高工", "连云港市云台山文化发展促进会", MemberRole.MEMBER),
    ("demo_expert_3", "许高工", EXPERT_UNIT, MemberRole.MEMBER),
    ("demo_expert_4", "何高工", DEMO_EMPLOYER, MemberRole.MEMBER),  # same unit: excluded
    ("demo_expert_5", "吕高工", "连云港市第一人民医院（演示）", MemberRole.MEMBER),
    ("demo_expert_6", "施高工", "连云港市云台山文化发展促进会", MemberRole.MEMBER),
    ("demo_expert_7", "张高工", EXPERT_UNIT, None),
    ("demo_expert_8", "孔高工", "连云港市第一人民医院（演示）", None),
]
EXPERT_LEVEL = "associate_senior"

# Meeting 1 (held, filed) and meeting 2 (draft opening report, for the browser).
STORY_1 = [("demo_applicant_1", "赵一鸣"), ("demo_applicant_2", "钱晓峰"),
           ("demo_applicant_3", "孙立新"), ("demo_applicant_4", "周文斌"),
           ("demo_applicant_5", "吴海燕")]
STORY_2 = [("demo_applicant_6", "郑国栋"), ("demo_applicant_7", "王春华"),
           ("demo_applicant_8", "冯子豪")]
FAILS = "demo_applicant_5"  # most experts vote against
REVOKED = "demo_applicant_3"  # certificate revoked for fraud after issue
REVOCATION_EVIDENCE = "经核查，其代表性论文系他人代写，申报材料弄虚作假（演示数据）。"
REVOCATION_DECISION = "连职称办〔2024〕31号（演示）"

# Business dates of meeting 1 (May–June) and of the applications of meeting 2 (June–July).
DAYS_1 = {"submit": D(2024, 5, 20), "unit": D(2024, 5, 21), "recommend": D(2024, 5, 28),
          "ready": D(2024, 6, 4), "report": D(2024, 6, 5), "approve": D(2024, 6, 6),
          "commit": D(2024, 6, 7), "draw": D(2024, 6, 12), "meeting": D(2024, 6, 19),
          "publish": D(2024, 6, 20), "data": D(2024, 6, 21), "close": D(2024, 6, 27),
          "file": D(2024, 6, 28)}
DAYS_2 = {"submit": D(2024, 6, 24), "unit": D(2024, 6, 25), "recommend": D(2024, 7, 2),
          "ready": D(2024, 7, 9), "draft": D(2024, 7, 15)}


@dataclass(frozen=True)
class MeetingPlan:
    date: dt.date
    place: str
    pass_rate: Decimal
    count: int  # experts to draw
    reserve: int


MEETING_1 = MeetingPlan(DAYS_1["meeting"], "市场监督局五楼会议室（演示）", Decimal("80"), 5, 2)
MEETING_2 = MeetingPlan(D(2024, 7, 26), "市场监督局五楼会议室（演示）", Decimal("100"), 7, 1)
_ID_SERIALS = {f"demo_applicant_{i}": 700 + i for i in range(1, 9)}


@dataclass
class Story:
    committee: Committee
    meeting_1: Meeting | None = None
    meeting_2: Meeting | None = None
    notes: list[str] = field(default_factory=list)


@contextlib.contextmanager
def on_day(day: dt.date) -> Iterator[dt.date]:
    """Run the block on business date `day`, and say so in the audit chain first."""
    with clock.pinned(day):
        with operation(SYSTEM, "demo.clock.pin") as op:
            # The events' own times follow the business date too (clock.now()).
            op.summary = f"演示数据：以下操作按业务日期{day.isoformat()}执行"
            op.data = {"business_date": day}
        yield day


# --- people ----------------------------------------------------------------------------------


def _resident_id(serial: int) -> str:
    body = f"3207061990{1 + serial % 12:02d}{1 + serial % 28:02d}{serial % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _demo_users(actor: Actor, people: list[tuple[str, str]], *, with_profile: bool) -> list[Any]:
    """The fictional applicants (with the demo applicant's profile) or experts; the demo
    password; left as they are when they exist. Accounts are made in one audited step:
    sign-up is not an operation of this system."""
    existing = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in people])}
    missing = [p for p in people if p[0] not in existing
               or not existing[p[0]].password or not existing[p[0]].has_usable_password()
               or with_profile and not ApplicantProfile.objects.filter(
                   user=existing[p[0]]).exists()]
    if missing:
        with operation(actor, "demo.accounts") as op:
            employer = Organisation.objects.get(name=DEMO_EMPLOYER)
            for username, name in missing:
                user = existing.get(username) or User(
                    username=username, full_name=name, email=f"{username}@demo.invalid")
                if not user.password or not user.has_usable_password():
                    user.set_password(DEMO_PASSWORD)
                if with_profile and not user.id_number:
                    user.id_type, user.id_number = IdType.RESIDENT, _resident_id(
                        _ID_SERIALS.get(username, 799))
                    user.phone = f"1380000{_ID_SERIALS.get(username, 799):04d}"
                    user.birth_date, user.sex = validate_resident_id(user.id_number)
                user.save()
                existing[username] = user
                EmailAddress.objects.get_or_create(
                    user=user, email=user.email, defaults={"verified": True, "primary": True})
                if with_profile and not ApplicantProfile.objects.filter(user=user).exists():
                    ApplicantProfile.objects.create(
                        user=user, employer=employer, facts=validate_facts(DEMO_FACTS),
                        schema_version=DEMO_FACTS["schema_version"])
            op.summary = f"演示数据：账户{len(missing)}个（{'申报人' if with_profile else '专家'}）"
            op.data = {"usernames": [p[0] for p in missing]}
    return [existing[p[0]] for p in people]


# --- committee and pool ----------------------------------------------------------------------


def seed_committee(actor: Actor = SYSTEM) -> Committee:
    season = Season.objects.filter(is_current=True).first() or Season.objects.latest("year")
    plan = CommitteePlan.objects.get(season=season, row=DEMO_PLAN_ROW)
    engineering = Series.objects.get(code="engineering")
    committee = Committee.objects.filter(name=DEMO_COMMITTEE).first()
    if committee is None:
        committee = ops.create_committee(
            actor, name=DEMO_COMMITTEE, office=Organisation.objects.get(short_name=DEMO_OFFICE),
            series=[engineering], specialties=[DEMO_SPECIALTY], levels=["intermediate"],
            by_specialty=True, term_start=TERM[0], term_end=TERM[1], plans=[plan],
        )
    users = _demo_users(actor, [(u, n) for u, n, _, _ in DEMO_EXPERTS if u], with_profile=False)
    by_name = dict(zip([u for u, *_ in DEMO_EXPERTS if u], users, strict=True))
    seated = set(CommitteeMember.objects.filter(committee=committee)
                 .values_list("expert_id", flat=True))
    for username, _name, unit_name, role in DEMO_EXPERTS:
        user = by_name[username] if username else User.objects.get(username="expert")
        expert = Expert.objects.filter(user=user, series=engineering,
                                       specialty=DEMO_SPECIALTY).first()
        if expert is None:
            expert = ops.add_expert(
                actor, committee, user=user, specialty=DEMO_SPECIALTY, title_level=EXPERT_LEVEL,
                unit=Organisation.objects.get(name=unit_name), term_start=TERM[0],
                term_end=TERM[1], series=engineering)
        if role and expert.pk not in seated:
            ops.seat_member(actor, committee, expert, role)
    return committee


# --- applications through the review chain -------------------------------------------------


def _pdf(text: str) -> Any:
    return SimpleUploadedFile("material.pdf", one_page_pdf(text), content_type="application/pdf")


def _role_user(org_id: Any, role: str) -> Any:
    m = Membership.objects.filter(organisation_id=org_id, role=role, active=True).select_related(
        "user").order_by("pk").first()
    if m is None:
        raise ops.EvaluationError(f"演示数据缺少机构{org_id}的{role}账户，请先运行 seed_demo。")
    return m.user


def _applications(users: list[Any], days: dict[str, dt.date]) -> list[Any]:
    """Bring each applicant's application to ready_for_meeting, step by step on its date;
    each step only for the applications still before it."""
    def current() -> dict[int, Any]:
        return {a.applicant_id: a for a in Application.objects.filter(applicant__in=users)
                .exclude(state=State.WITHDRAWN).select_related("plan", "employer")}

    def in_state(*states: str) -> list[Any]:
        return [a for a in current().values() if a.state in states]

    if len(current()) < len(users):
        with on_day(days["submit"]):
            plan = CommitteePlan.objects.get(season__is_current=True, row=DEMO_PLAN_ROW)
            series = Series.objects.get(code="engineering")
            for user in users:
                app = current().get(user.pk) or aops.start_application(
                    user, season=plan.season, plan=plan, series_id=series.pk,
                    specialty=DEMO_SPECIALTY, level="intermediate", route="normal")
                if app.state != State.DRAFT:
                    continue
                if not app.materials.exists():
                    for title, kind in (("助理工程师证书", "title"), ("劳动合同", "contract")):
                        aops.add_material(app, user, _pdf(f"{title} {user.full_name}"),
                                          kind=kind, title=title,
                                          document_date=D(2019, 6, 30))
                aops.accept_commitment(app, user, ip="127.0.0.1")
                aops.submit_application(app, user, token=f"demo-{app.pk}")
    todo = in_state(State.SUBMITTED, State.UNIT_REVIEW)
    if todo:
        with on_day(days["unit"]):
            for app in todo:
                hr = _role_user(app.employer_id, "unit_hr")
                if app.state == State.SUBMITTED:
                    rops.unit_start_review(app, hr)
                rops.record_dossier_view(app, hr)
                sub = app.submissions.order_by("-number").first()
                rops.save_unit_check(app, hr, checked_ids=[
                    int(m["id"]) for m in sub.snapshot.get("materials", [])],
                    opinion="经核对原件，情况属实，同意推荐。")
                rops.unit_approve(Application.objects.get(pk=app.pk), hr)
    todo = in_state(State.UNIT_PUBLICITY, State.PRELIMINARY_REVIEW, State.COMMITTEE_RECHECK)
    if todo:
        with on_day(days["recommend"]):
            close_due_publicities()
            for app in todo:
                app = Application.objects.get(pk=app.pk)
                if app.state == State.UNIT_PUBLICITY:
                    rops.unit_recommend(app, _role_user(app.employer_id, "unit_hr"))
                    app.refresh_from_db()
                if app.state == State.PRELIMINARY_REVIEW:
                    reviewer = _role_user(app.preliminary_reviewer_id, "preliminary_reviewer")
                    rops.record_dossier_view(app, reviewer)
                    rops.preliminary_approve(app, reviewer)
                    app.refresh_from_db()
                office = _role_user(app.plan.office_id, "committee_office")
                rops.record_dossier_view(app, office)
                rops.committee_accept(app, office)
    if in_state(State.PRE_EVALUATION_PUBLICITY):
        with on_day(days["ready"]):
            close_due_publicities()  # closing moves them to ready_for_meeting (reviews app)
            for app in in_state(State.PRE_EVALUATION_PUBLICITY):
                rops.close_pre_evaluation(app)
    by_user = current()
    return [by_user[u.pk] for u in users if u.pk in by_user]


# --- meeting 1: held completely ----------------------------------------------------------------


def _spec(m: MeetingPlan) -> list[dict[str, Any]]:
    return [{"specialty": DEMO_SPECIALTY, "level": EXPERT_LEVEL, "count": m.count,
             "reserve": m.reserve}]


def _office(committee: Committee) -> Any:
    return _role_user(committee.office_id, "committee_office")


def _city() -> Any:
    m = Membership.objects.filter(role=Role.CITY_OFFICE, active=True).select_related(
        "user").order_by("pk").first()
    if m is None:
        raise ops.EvaluationError("演示数据缺少市职称办账户，请先运行 seed_demo。")
    return m.user


def _choices(username: str, n: int) -> list[str]:
    if username == FAILS:  # 1 agree of n: fails the 2/3 rule
        return ["agree"] + ["disagree"] * (n - 2) + ["abstain"]
    return ["agree"] * n


def hold_meeting_1(committee: Committee, season: Any, *,
                  days: dict[str, dt.date] | None = None,
                  plan: MeetingPlan | None = None) -> Meeting:
    """Meeting 1 held completely and filed, each step on its date (`days`, `plan`: the
    2024 story by default; a later season's tests pass their own dates)."""
    days = days or DAYS_1
    plan = plan or MEETING_1
    S = MeetingState
    office, city = _office(committee), _city()
    m = Meeting.objects.filter(committee=committee, date=plan.date).first()
    if m is None:
        with on_day(days["report"]):
            m = ops.create_meeting(office, committee, season, date=plan.date,
                                   place=plan.place, draw_spec=_spec(plan),
                                   pass_rate=plan.pass_rate)
            m = ops.submit_opening_report(m, office)
    if m.state == S.DRAFT:
        with on_day(days["report"]):
            m = ops.submit_opening_report(m, office)
    if m.state == S.SUBMITTED:
        with on_day(days["approve"]):
            m = ops.decide_opening_report(m, city, approve=True)
    if m.state == S.APPROVED and not m.seed_hash:
        with on_day(days["commit"]):
            m = ops.commit_draw(m, office)
    if m.state == S.APPROVED:
        with on_day(days["draw"]):
            m = ops.run_draw(m, office)
    if m.state in (S.DRAWN, S.OPEN):
        with on_day(days["meeting"]):
            _vote(m, office)
    m.refresh_from_db()
    if m.state == S.TALLIED:
        with on_day(days["meeting"]):
            seats = [s for s in queries.sitting(m) if s.present]
            if m.counter_id is None:
                m = ops.assign_tally_roles(m, office, seats[0], seats[1])
            for seat in (m.counter, m.scrutineer):
                m.refresh_from_db()
                if m.state == S.TALLIED and seat is not None:
                    m = ops.sign_tally(m, seat.expert.user)
    if m.state == S.SIGNED:

        if any(c.application.state == State.READY_FOR_MEETING
               for c in m.cases.select_related("application")):
            with on_day(days["meeting"]):
                m = ops.record_results(m, office)
        with on_day(days["publish"]):
            m = ops.publish_results(m, office)
    report = DataReport.objects.filter(meeting=m).first()
    if report is not None and report.sent_on is None:
        with on_day(days["data"]):
            ops.send_data_report(m, office)
    m.refresh_from_db()
    if m.state == S.PUBLISHED:

        with on_day(days["close"]):
            close_due_publicities()
        with on_day(days["file"]):
            m = ops.file_results(
                m, city, approval_number=f"{season.city}职称办〔{season.year}〕{m.pk}号")
    return m


def _vote(m: Meeting, office: Any) -> None:
    """Attendance (every drawn expert), the meeting opens, one recusal, every case voted."""
    S = MeetingState
    if m.state == S.DRAWN:
        if m.presiding_id is None:  # 主任委员主持 (人社部令第40号)
            chair = CommitteeMember.objects.filter(committee=m.committee,
                                                   role=MemberRole.CHAIR).first()
            if chair is not None:
                m = ops.name_presiding(m, office, chair)
        ops.record_attendance(m, office, [s.pk for s in m.seats.filter(reserve=False)])
        m = ops.open_meeting(m, office)
    cases = list(m.cases.select_related("application__applicant").order_by("pk"))
    recusing = cases[1] if len(cases) > 1 else None
    if recusing is not None and not (recusing.ballot_open or recusing.ballot_closed) and \
            not recusing.recusals.exists():
        seat = [s for s in queries.sitting(m) if s.present][-1]
        ops.recuse(recusing, seat, seat.expert.user, "曾与该评审对象合作开展检测项目（演示）")
    for case in cases:
        case.refresh_from_db()
        if case.ballot_closed:
            continue
        if not case.ballot_open:
            ops.note_defence(case, office, "答辩陈述清楚，回答问题准确（演示）")
            case = ops.open_ballot(case, office)
        voters = queries.voters(case)
        voted = set(case.receipts.values_list("seat_id", flat=True))
        choices = _choices(case.application.applicant.username, len(voters))
        for seat, choice in zip(voters, choices, strict=True):
            if seat.pk not in voted:
                ops.cast_ballot(case, seat.expert.user, choice)
        ops.close_ballot(case, office)


# --- meeting 2: a draft opening report for the browser -------------------------------------


def draft_meeting_2(committee: Committee, season: Any) -> Meeting:
    m = Meeting.objects.filter(committee=committee, date=MEETING_2.date).first()
    if m is None:
        with on_day(DAYS_2["draft"]):
            m = ops.create_meeting(_office(committee), committee, season,
                                   date=MEETING_2.date, place=MEETING_2.place,
                                   draw_spec=_spec(MEETING_2), pass_rate=MEETING_2.pass_rate)
    return m


def seed_demo_evaluation(actor: Actor = SYSTEM) -> Committee:
    """The committee and the pool only (kept for callers of the first version)."""
    return seed_committee(actor)


def seed_demo_season(actor: Actor = SYSTEM) -> Story:
    committee = seed_committee(actor)
    season = Season.objects.filter(is_current=True).first() or Season.objects.latest("year")
    story = Story(committee=committee)
    users_1 = _demo_users(actor, STORY_1, with_profile=True)
    existing_1 = Meeting.objects.filter(committee=committee, date=MEETING_1.date).first()
    if existing_1 is None or existing_1.state != MeetingState.FILED:
        _applications(users_1, DAYS_1)  # the cases the meeting's draw picks up
        story.meeting_1 = hold_meeting_1(committee, season)
    else:
        story.meeting_1 = existing_1
    users_2 = _demo_users(actor, STORY_2, with_profile=True)
    if not Meeting.objects.filter(committee=committee, date=MEETING_2.date).exists():
        _applications(users_2, DAYS_2)
    story.meeting_2 = draft_meeting_2(committee, season)
    return story
