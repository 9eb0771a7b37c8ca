"""The draw with conflicts, commit-reveal and `zhicheng draw verify`; attendance, quorum,
recusal; the secret ballot; tally, sign-off, pass-rate ceiling; results, filing, records."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from zhicheng.applications.models import Notification
from zhicheng.applications.states import State
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import NotPermitted, StateConflict
from zhicheng.evaluation import draw as pure
from zhicheng.evaluation import operations as ops
from zhicheng.evaluation import queries
from zhicheng.evaluation.models import (
    ConflictDeclaration,
    ConflictKind,
    DossierAccess,
    MeetingState,
)

pytestmark = pytest.mark.django_db


def test_conflicts_are_excluded_before_the_draw_with_reasons(world) -> None:
    same_unit = world.expert("同单位", unit=world.employer)
    former = world.expert("原单位", unit=world.other)
    kin = world.expert("亲属")
    himself_user = world.user("自己")
    himself = world.expert("自己", user=himself_user)
    world.pool(8)
    wrong_level = world.expert("中级专家", level="intermediate")
    wrong_specialty = world.expert("电气专家", specialty="电气")
    a = world.application("申报甲", work_history=[
        {"start": "2019-01-01", "end": "2023-06-30", "employer": world.other.name},
        {"start": "2023-07-01", "employer": world.employer.name},
    ])
    world.application("申报乙", user=himself_user)
    ConflictDeclaration.objects.create(expert=kin, applicant=a.applicant,
                                       kind=ConflictKind.KINSHIP, note="配偶")
    m = world.approved(count=5, reserve=2)
    ops.commit_draw(m, world.office)
    m.refresh_from_db()
    reasons = {x.expert_id: x.reason for x in m.exclusions.all()}
    assert "同一工作单位" in reasons[same_unit.pk]
    assert "3年内曾任职单位" in reasons[former.pk]
    assert "亲属关系（配偶）" in reasons[kin.pk]
    assert "本人为本次评审对象" in reasons[himself.pk]
    assert m.seed_hash == pure.seed_hash(m.seed) and len(m.seed_hash) == 64
    commit = AuditEvent.objects.filter(action="evaluation.draw.commit").latest("pk")
    assert m.seed_hash in commit.summary and m.seed not in str(commit.data)  # hidden until drawn
    ops.run_draw(m, world.office)
    m.refresh_from_db()
    drawn = set(m.seats.values_list("expert_id", flat=True))
    assert len(drawn) == 7 and not drawn & {same_unit.pk, former.pk, kin.pk, himself.pk,
                                            wrong_level.pk, wrong_specialty.pk}
    assert m.state == MeetingState.DRAWN
    assert m.seed in AuditEvent.objects.filter(action="evaluation.draw.run").latest("pk").summary


def test_a_former_unit_beyond_the_avoid_years_is_no_conflict(world) -> None:
    former = world.expert("老单位", unit=world.other)
    world.pool(7)
    world.application(work_history=[
        {"start": "2010-01-01", "end": "2020-06-30", "employer": world.other.name}])
    m = world.approved()
    ops.commit_draw(m, world.office)
    assert not m.exclusions.filter(expert=former).exists()


def test_an_override_needs_a_reason_and_is_audited(world) -> None:
    same_unit = world.expert("同单位", unit=world.employer)
    world.pool(4)
    world.application()
    m = world.approved(count=5, reserve=0)
    ops.commit_draw(m, world.office)
    with pytest.raises(ops.EvaluationError, match="专家不足"):
        ops.run_draw(m, world.office)
    x = m.exclusions.get(expert=same_unit)
    with pytest.raises(ops.EvaluationError, match="理由"):
        ops.override_exclusion(x, world.office, " ")
    ops.override_exclusion(x, world.office, "本专业专家不足，经市职称办同意")
    ev = AuditEvent.objects.filter(action="evaluation.draw.override").latest("pk")
    assert "经市职称办同意" in ev.summary
    ops.run_draw(m, world.office)
    assert m.seats.filter(expert=same_unit).exists()


def test_draw_verify_command_reruns_to_the_same_experts(world) -> None:
    world.pool(12)
    world.application()
    m = world.drawn(count=5, reserve=2)
    out = io.StringIO()
    call_command("draw", "verify", str(m.pk), stdout=out)
    text = out.getvalue()
    first = m.seats.filter(reserve=False).order_by("position").first().expert
    # Names and Chinese, not ids and English: the first seated expert is named in the listing.
    assert "入选专家：" in text and first.user.full_name in text
    assert "一致：重新抽取得到的就是记录中的专家" in text and "selected" not in text
    ok, diffs = queries.verify(m)
    assert ok and not diffs
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("draw", "verify", str(m.pk), "--seed", "not-the-seed", stdout=io.StringIO(),
                     stderr=err)
    assert exc.value.code == 1 and "不一致：" in err.getvalue()
    # tampering with a seat is found
    seat = m.seats.filter(reserve=False).first()
    seat.expert = world.expert("顶替者")
    seat.save()
    with pytest.raises(SystemExit):
        call_command("draw", "verify", str(m.pk), stdout=io.StringIO(), stderr=io.StringIO())


def test_no_vote_without_quorum_and_reserves_fill_in(world) -> None:
    world.pool(9)
    world.application()
    m = world.opened(present=3, count=5, reserve=2)  # 3/5 < 2/3
    case = m.cases.get()
    with pytest.raises(ops.EvaluationError, match="不足抽取评委5人的三分之二（至少4人）"):
        ops.open_ballot(case, world.office)
    reserve = m.seats.filter(reserve=True).first()
    ops.call_in_reserve(reserve, world.office, "第4、5位评委缺席")
    present = [s.pk for s in queries.sitting(m) if s.present] + [reserve.pk]
    ops.record_attendance(m, world.office, present)
    assert queries.quorum(m) == (True, 4, 5)
    ops.open_ballot(case, world.office)


def test_recusal_leaves_the_vote_and_the_denominator(world) -> None:
    world.pool(8)
    app = world.application()
    m = world.opened(count=5, reserve=0)
    case = m.cases.get()
    seats = list(m.seats.all())
    ops.recuse(case, seats[0], world.office, "曾指导其论文")
    ops.recuse(case, seats[1], seats[1].expert.user, "本人申报回避")
    assert [s.pk for s in queries.voters(case)] == [s.pk for s in seats[2:]]
    ops.open_ballot(case, world.office)
    with pytest.raises(NotPermitted):
        ops.cast_ballot(case, seats[0].expert.user, "agree")
    ops.cast_ballot(case, seats[2].expert.user, "agree")
    ops.cast_ballot(case, seats[3].expert.user, "agree")
    ops.cast_ballot(case, seats[4].expert.user, "abstain")
    ops.close_ballot(case, world.office)
    case.refresh_from_db()
    # 2 agree of 3 attending (abstention counts): passes; had the recused counted, 2/5 fails
    assert (case.agree, case.abstain, case.attending, case.passed) == (2, 1, 3, True)
    assert app.pk == case.application_id


def test_ballot_rules_no_proxy_no_double_no_late(world) -> None:
    world.pool(6)
    world.application()
    m = world.opened(count=5, reserve=0)
    case = m.cases.get()
    voter = m.seats.first().expert.user
    with pytest.raises(StateConflict, match="尚未开始"):
        ops.cast_ballot(case, voter, "agree")
    ops.open_ballot(case, world.office)
    with pytest.raises(NotPermitted, match="不得委托"):
        ops.cast_ballot(case, world.office, "agree")
    outsider = world.expert("库内未抽中").user
    with pytest.raises(NotPermitted):
        ops.cast_ballot(case, outsider, "agree")
    code = ops.cast_ballot(case, voter, "disagree")
    with pytest.raises(StateConflict, match="已就该评审对象投过票"):
        ops.cast_ballot(case, voter, "agree")
    with pytest.raises(ops.EvaluationError, match="应投5人，已投1人，未投4人"):
        ops.close_ballot(case, world.office)
    ops.close_ballot(case, world.office, {s.pk: "中途离会" for s in m.seats.all()[1:]})
    with pytest.raises(StateConflict, match="迟到"):
        ops.cast_ballot(case, m.seats.all()[1].expert.user, "agree")
    assert queries.ballot_counted(case, code)


def _to_tally(world, votes, *, pass_rate=None, n=5):
    world.pool(n + 2)
    apps = [world.application(f"申报{i}") for i in range(len(votes))]
    m = world.opened(count=n, reserve=0, pass_rate=pass_rate)
    world.vote_all(m, {a.pk: v for a, v in zip(apps, votes, strict=True)})
    assert m.state == MeetingState.TALLIED
    seats = list(m.seats.all())
    ops.assign_tally_roles(m, world.office, seats[0], seats[1])
    return m, apps, seats


def test_sign_off_by_two_different_members_then_results_publish_file(world) -> None:
    yes = ["agree"] * 4 + ["disagree"]
    no = ["agree"] * 3 + ["disagree"] * 2  # 3/5 < 2/3
    m, (a, b), seats = _to_tally(world, [yes, no])
    with pytest.raises(ops.EvaluationError, match="两位不同"):
        ops.assign_tally_roles(m, world.office, seats[0], seats[0])
    with pytest.raises(NotPermitted):
        ops.sign_tally(m, seats[2].expert.user)
    ops.sign_tally(m, seats[0].expert.user)
    m.refresh_from_db()
    assert m.state == MeetingState.TALLIED
    with pytest.raises(StateConflict):
        ops.record_results(m, world.office)
    ops.sign_tally(m, seats[1].expert.user)
    m.refresh_from_db()
    assert m.state == MeetingState.SIGNED
    ops.record_results(m, world.office)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.state, b.state) == (State.PASSED, State.NOT_PASSED)
    world.today("2024-10-28")
    ops.publish_results(m, world.office)
    a.refresh_from_db()
    m.refresh_from_db()
    assert a.state == State.RESULT_PUBLICITY and m.state == MeetingState.PUBLISHED
    assert a.publicities.get(kind="result").required_workdays == 5
    assert Notification.objects.filter(user=b.applicant, title__contains="未通过").exists()
    # data report: 10 working days after 2024-10-28 -> 2024-11-11
    assert m.data_report.due_on == dt.date(2024, 11, 11)
    with pytest.raises(Exception, match="尚未期满"):
        ops.file_results(m, world.city, approval_number="测试〔2024〕1号")
    from zhicheng.publicity.operations import close_due_publicities

    close_due_publicities(dt.date(2024, 11, 4))
    world.today("2024-11-04")
    with pytest.raises(NotPermitted):
        ops.file_results(m, world.office, approval_number="测试〔2024〕1号")
    with pytest.raises(Exception, match="请填写核准备案文号"):
        ops.file_results(m, world.city, approval_number="  ")
    ops.file_results(m, world.city, approval_number=" 测试〔2024〕1号 ")
    m.refresh_from_db()
    # The filing's document number is what the meeting's certificates will carry.
    from zhicheng.certificates.operations import filed_approval_number

    assert m.approval_number == "测试〔2024〕1号"
    assert filed_approval_number(a) == "测试〔2024〕1号"
    a.refresh_from_db()
    assert a.state == State.APPROVED
    assert Notification.objects.filter(user=a.applicant, title__contains="核准备案").exists()


def test_the_state_machine_guards_recheck_the_vote(world) -> None:
    from zhicheng.applications.states import TransitionRefused, check

    m, (a,), _seats = _to_tally(world, [["agree"] * 3 + ["abstain"] * 2])
    with pytest.raises(TransitionRefused, match="未达到参加表决评委5人的三分之二"):
        check(a, "record_pass", world.office)
    check(a, "record_fail", world.office)


def test_pass_rate_ceiling_is_reported_and_decided_not_dropped(world) -> None:
    yes = ["agree"] * 5
    m, apps, seats = _to_tally(world, [yes, yes, yes], pass_rate=50)  # ceiling floor(1.5)=1
    report = queries.ceiling_report(m)
    assert report == {"ceiling": 1, "passed": 3, "roster": 3, "exceeded": True}
    ops.sign_tally(m, seats[0].expert.user)
    with pytest.raises(ops.EvaluationError, match="超过通过率上限1人"):
        ops.sign_tally(m, seats[1].expert.user)
    held = [c.pk for c in m.cases.order_by("pk")][1:]
    ops.decide_ceiling(m, world.office, held_back=held, reason="按得票及答辩情况排序")
    ops.sign_tally(m, seats[1].expert.user)
    ops.record_results(m, world.office)
    states = [type(a).objects.get(pk=a.pk).state for a in apps]
    assert states == [State.PASSED, State.NOT_PASSED, State.NOT_PASSED]


def test_dossiers_only_during_the_meeting_with_a_log(world) -> None:
    world.pool(6)
    world.application()
    m = world.drawn(count=5, reserve=0)
    case = m.cases.get()
    expert_user = m.seats.first().expert.user
    with pytest.raises(NotPermitted, match="会议期间"):
        ops.log_dossier_access(case, expert_user)
    ops.record_attendance(m, world.office, [s.pk for s in m.seats.all()])
    world.today(m.date.isoformat())
    ops.open_meeting(m, world.office)
    m.refresh_from_db()
    case.refresh_from_db()
    ops.log_dossier_access(case, expert_user)
    assert DossierAccess.objects.filter(case=case, user=expert_user).count() == 1
    with pytest.raises(NotPermitted):
        ops.log_dossier_access(case, world.user("路人"))


def test_defence_note_and_exports(world) -> None:
    from openpyxl import load_workbook

    from zhicheng.evaluation.exports import data_report_payload, data_report_xlsx, minutes_pdf

    m, (a,), seats = _to_tally(world, [["agree"] * 5])
    pdf = minutes_pdf(m)
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "评审通过率：未设定上限" in text and "%" not in text.split("评审通过率：")[1][:8]
    payload = data_report_payload(m)
    assert payload["schema_version"] == "1.0" and payload["summary"]["passed"] == 1
    assert payload["applicants"][0]["agree"] == 5
    wb = load_workbook(io.BytesIO(data_report_xlsx(m)))
    sheet = wb["评审对象"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    # Labels for people; the codes only in the named columns other systems read.
    assert row["申报编号"] == a.pk and row["评审结果"] == "通过" and row["因通过率未通过"] == "否"
    assert row["层级"] == a.get_level_display() and row["系列"] == a.series.name
    assert row["评审结果代码（系统用）"] == "passed" and row["层级代码（系统用）"] == a.level
    meeting_sheet = {r[0].value: r[1].value for r in wb["会议"].iter_rows(min_row=2)}
    assert meeting_sheet["评审人数"] == 1 and "summary.roster" not in meeting_sheet


def test_data_report_due_late_and_sent_once(world) -> None:
    m, _apps, seats = _to_tally(world, [["agree"] * 5])
    ops.sign_tally(m, seats[0].expert.user)
    ops.sign_tally(m, seats[1].expert.user)
    ops.record_results(m, world.office)
    world.today("2024-10-28")
    ops.publish_results(m, world.office)
    from zhicheng.evaluation import queries

    report = m.data_report
    assert not queries.overdue(report, dt.date(2024, 11, 11))
    assert queries.overdue(report, dt.date(2024, 11, 12))
    world.today("2024-11-12")
    sent = ops.send_data_report(m, world.office)
    assert sent.late and len(sent.sha256) == 64 and sent.payload["summary"]["roster"] == 1
    with pytest.raises(StateConflict):
        ops.send_data_report(m, world.office)


def test_data_report_due_in_a_year_without_calendar_is_refused_then_works(world, demo_users):
    from tests.factories.calendar import publish_example_2027
    from zhicheng.core.holidays import CalendarMissingRefusal

    m, (a,), seats = _to_tally(world, [["agree"] * 5])
    ops.sign_tally(m, seats[0].expert.user)
    ops.sign_tally(m, seats[1].expert.user)
    ops.record_results(m, world.office)
    world.today("2026-12-24")  # publicity ends on the 30th; 10 working days run into 2027
    with pytest.raises(CalendarMissingRefusal, match="无法计算评审数据报送期限.*2027年"):
        ops.publish_results(m, world.office)
    m.refresh_from_db()
    a.refresh_from_db()
    assert m.state == MeetingState.SIGNED and a.state == State.PASSED  # nothing changed

    publish_example_2027(demo_users["city_office"])
    ops.publish_results(m, world.office)
    m.refresh_from_db()
    assert m.state == MeetingState.PUBLISHED
    assert m.data_report.due_on == dt.date(2027, 1, 8)
