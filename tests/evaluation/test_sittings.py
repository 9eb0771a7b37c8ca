"""A meeting voted over two sittings (分场会议) on two working days: each sitting has its own
place, presiding chair and attendance, quorum is judged per sitting (人社部令第40号
第二十四条), a case is voted only on its sitting's day by the experts present at that
sitting; the office adds and changes sittings and moves cases between them from the
meeting page; the minutes show each sitting."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import NotPermitted, StateConflict
from zhicheng.evaluation import operations as ops
from zhicheng.evaluation import printouts, queries
from zhicheng.evaluation.exports import minutes_pdf
from zhicheng.evaluation.guards import quorum_present
from zhicheng.evaluation.models import (
    Case,
    CommitteeMember,
    Meeting,
    MeetingState,
    MemberRole,
    Sitting,
)

pytestmark = pytest.mark.django_db

FIRST_DAY = dt.date(2024, 10, 25)  # a Friday
SECOND_DAY = dt.date(2024, 10, 28)  # the Monday after
SATURDAY = dt.date(2024, 10, 26)


def _two_sittings(world: Any) -> tuple[Meeting, Sitting, Sitting, Case, Case]:
    """Drawn (5 seats + 2 reserves), 甲 at sitting 1 and 乙 moved to sitting 2."""
    world.pool(9)
    world.application("分场甲")
    world.application("分场乙")
    m = world.drawn(count=5, reserve=2, date=FIRST_DAY)
    second = ops.add_sitting(m, world.office, date=SECOND_DAY, place="市工信局五楼会议室",
                             presiding=world.chair())
    first = queries.first_sitting(m)
    assert first is not None
    jia, yi = m.cases.select_related("application__applicant").order_by("pk")
    assert ops.assign_cases(m, world.office, [yi.pk], second) == 1
    return m, first, second, jia, yi


def _drawn_seats(m: Meeting) -> list[Any]:
    return list(m.seats.filter(reserve=False).select_related("expert__user").order_by("position"))


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def test_existing_meeting_fields_are_sitting_one(world) -> None:
    """A meeting is created with its first sitting: same date, place and presiding; the
    opening report puts every case in it."""
    world.pool(9)
    world.application()
    m = world.drawn(date=FIRST_DAY)
    (only,) = queries.sittings_of(m)
    assert (only.number, only.date, only.place) == (1, m.date, m.place)
    assert only.presiding_id == m.presiding_id == world.chair().pk
    assert m.cases.get().sitting_id == only.pk


def test_two_sittings_each_judge_their_own_quorum_and_voters(world) -> None:
    m, first, second, jia, yi = _two_sittings(world)
    seats = _drawn_seats(m)
    ops.record_attendance(m, world.office, [s.pk for s in seats], first)
    ops.record_attendance(m, world.office, [s.pk for s in seats[:3]], second)
    assert queries.quorum(m, first) == (True, 5, 5)
    assert queries.quorum(m, second) == (False, 3, 5)  # 3/5 < 2/3
    assert queries.quorum(m) == (True, 5, 5)  # the meeting's own (first) sitting

    world.today(FIRST_DAY.isoformat())
    ops.open_meeting(m, world.office)
    with pytest.raises(ops.EvaluationError,
                       match=r"安排在第2场（2024年10月28日）表决，今天是2024年10月25日"):
        ops.open_ballot(yi, world.office)
    ops.open_ballot(jia, world.office)
    jia.refresh_from_db()
    assert jia.eligible_seats == [s.pk for s in seats]  # sitting 1's attendance
    for s in seats:
        ops.cast_ballot(jia, s.expert.user, "agree")
    ops.close_ballot(jia, world.office)

    world.today(SECOND_DAY.isoformat())
    with pytest.raises(ops.EvaluationError, match="出席评委3人，不足抽取评委5人的三分之二"):
        ops.open_ballot(yi, world.office)
    ops.record_attendance(m, world.office, [s.pk for s in seats[1:]], second)
    assert queries.quorum(m, first) == (True, 5, 5)  # sitting 1's attendance is untouched
    ops.open_ballot(yi, world.office)
    yi.refresh_from_db()
    assert yi.eligible_seats == [s.pk for s in seats[1:]]  # frozen from sitting 2
    with pytest.raises(NotPermitted, match="只有出席并未回避"):
        ops.cast_ballot(yi, seats[0].expert.user, "agree")  # present on day 1, not day 2
    for s in seats[1:]:
        ops.cast_ballot(yi, s.expert.user, "agree")
    ops.close_ballot(yi, world.office)
    yi.refresh_from_db()
    assert (yi.attending, yi.agree, yi.passed) == (4, 4, True)
    m.refresh_from_db()
    assert m.state == MeetingState.TALLIED

    # the results: the guards judge each case by its own sitting's quorum
    ops.assign_tally_roles(m, world.office, seats[1], seats[2])
    ops.sign_tally(m, seats[1].expert.user)
    ops.sign_tally(m, seats[2].expert.user)
    ops.record_results(m, world.office)
    assert {c.application.state for c in m.cases.select_related("application")} == {"passed"}

    text = _text(minutes_pdf(m))
    for needle in ("第1场：2024-10-25，市工信局三楼会议室", "第2场：2024-10-28，市工信局五楼会议室",
                   f"主持人：{world.chair().expert.user}（主任委员）", "出席5人/抽取5人",
                   "出席4人/抽取5人", f"缺席：第{seats[0].position}位{seats[0].expert.user}"):
        assert needle.replace(" ", "") in text, needle


def test_a_sitting_without_quorum_fails_its_cases_at_the_results(world) -> None:
    """The guard of record_pass reads the quorum of the case's own sitting: a case voted
    at a sitting whose attendance fell short afterwards is refused, the other is not."""
    m, first, second, jia, yi = _two_sittings(world)
    seats = _drawn_seats(m)
    for day in (first, second):
        ops.record_attendance(m, world.office, [s.pk for s in seats], day)
    ops.record_attendance(m, world.office, [s.pk for s in seats[:3]], second)
    assert quorum_present(yi.application, world.office) == (
        "出席评委3人，不足抽取评委5人的三分之二（至少4人）。")
    assert quorum_present(jia.application, world.office) is None


def test_a_refused_move_keeps_the_cases_where_they_were(world) -> None:
    m, first, second, jia, yi = _two_sittings(world)
    ops.record_attendance(m, world.office, [s.pk for s in _drawn_seats(m)], first)
    world.today(FIRST_DAY.isoformat())
    ops.open_meeting(m, world.office)
    ops.open_ballot(jia, world.office)
    events = AuditEvent.objects.filter(action="evaluation.sitting.assign").count()
    with pytest.raises(StateConflict, match="分场甲已开始表决，不能调整场次"):
        ops.assign_cases(m, world.office, [jia.pk, yi.pk], first)
    jia.refresh_from_db()
    yi.refresh_from_db()
    assert (jia.sitting_id, yi.sitting_id) == (first.pk, second.pk)  # all or nothing
    assert AuditEvent.objects.filter(action="evaluation.sitting.assign").count() == events
    ops.assign_cases(m, world.office, [yi.pk], first)  # 乙 has not started: it may move
    yi.refresh_from_db()
    assert yi.sitting_id == first.pk


def test_a_sitting_on_a_non_working_day_is_refused_in_chinese(world) -> None:
    world.pool(9)
    world.application()
    m = world.drawn(date=FIRST_DAY)
    with pytest.raises(ops.EvaluationError, match="2024年10月26日不是工作日"):
        ops.add_sitting(m, world.office, date=SATURDAY, place="市工信局五楼会议室")
    assert m.sittings.count() == 1
    second = ops.add_sitting(m, world.office, date=SECOND_DAY, place="市工信局五楼会议室")
    with pytest.raises(ops.EvaluationError, match="不是工作日"):
        ops.change_sitting(second, world.office, date=SATURDAY, place="市工信局五楼会议室",
                           presiding=None)
    with pytest.raises(ops.EvaluationError, match="不能早于第1场"):
        ops.add_sitting(m, world.office, date=dt.date(2024, 10, 24), place="会议室")
    second.refresh_from_db()
    assert second.date == SECOND_DAY


def test_a_sitting_is_presided_by_a_chair_or_vice_chair_and_changes_only_before_it_starts(
        world) -> None:
    m, first, second, jia, yi = _two_sittings(world)
    member = CommitteeMember.objects.create(committee=world.committee,
                                            expert=world.expert("普通委员", specialty="其他"),
                                            role=MemberRole.MEMBER)
    with pytest.raises(ops.EvaluationError, match="评审会议由主任委员或副主任委员主持"):
        ops.change_sitting(second, world.office, date=SECOND_DAY, place="五楼", presiding=member)
    vice = CommitteeMember.objects.create(committee=world.committee,
                                          expert=world.expert("副主任", specialty="其他"),
                                          role=MemberRole.VICE_CHAIR)
    ops.change_sitting(second, world.office, date=dt.date(2024, 10, 29), place="市工信局六楼",
                       presiding=vice)
    second.refresh_from_db()
    assert (second.date, second.place, second.presiding_id) == (
        dt.date(2024, 10, 29), "市工信局六楼", vice.pk)
    event = AuditEvent.objects.filter(action="evaluation.sitting.change").latest("seq")
    assert "第2场" in event.summary and "市工信局六楼" in event.summary
    facts = dict(printouts.opening_report(m).facts)  # the printed 开评报告 lists the sittings
    assert (f"第2场：2024年10月29日，市工信局六楼，主持人{vice.expert.user}（副主任委员）"
            in facts["分场会议"])
    with pytest.raises(ops.EvaluationError, match="开评报告报送后不能改期"):
        ops.change_sitting(first, world.office, date=dt.date(2024, 10, 24), place=first.place,
                           presiding=first.presiding)
    ops.record_attendance(m, world.office, [s.pk for s in _drawn_seats(m)], first)
    world.today(FIRST_DAY.isoformat())
    ops.open_meeting(m, world.office)
    with pytest.raises(StateConflict, match="第1场已经开始"):
        ops.change_sitting(first, world.office, date=first.date, place="别处",
                           presiding=first.presiding)
    world.today("2024-10-29")
    with pytest.raises(StateConflict, match="第2场已经开始"):
        ops.change_sitting(second, world.office, date=dt.date(2024, 10, 30), place="别处",
                           presiding=vice)


def test_a_second_sitting_cannot_vote_without_someone_presiding(world) -> None:
    world.pool(9)
    world.application("分场甲")
    m = world.drawn(date=FIRST_DAY)
    second = ops.add_sitting(m, world.office, date=SECOND_DAY, place="五楼")
    case = m.cases.get()
    ops.assign_cases(m, world.office, [case.pk], second)
    seats = _drawn_seats(m)
    for day in queries.sittings_of(m):
        ops.record_attendance(m, world.office, [s.pk for s in seats], day)
    world.today(FIRST_DAY.isoformat())
    ops.open_meeting(m, world.office)
    world.today(SECOND_DAY.isoformat())
    with pytest.raises(ops.EvaluationError, match="第2场尚未指定主持人"):
        ops.open_ballot(case, world.office)


def test_the_office_runs_the_sittings_from_the_meeting_page(world) -> None:
    world.pool(9)
    world.application("分场甲")
    world.application("分场乙")
    m = world.drawn(date=FIRST_DAY)
    office = Client()
    office.force_login(world.office)
    base = f"/evaluation/meeting/{m.pk}"
    page = office.get(f"{base}/").content.decode()
    assert 'id="add-sitting"' in page and "增设分场会议" in page
    assert 'id="assign-cases"' not in page  # one sitting: nothing to move between
    r = office.post(f"{base}/act/add_sitting/", {"date": "2024-10-26", "place": "五楼",
                                                "presiding": ""}, follow=True)
    assert "2024年10月26日不是工作日" in r.content.decode()
    office.post(f"{base}/act/add_sitting/", {"date": "2024-10-28", "place": "市工信局五楼会议室",
                                            "presiding": world.chair().pk})
    second = m.sittings.get(number=2)
    yi = m.cases.order_by("pk").last()
    page = office.get(f"{base}/").content.decode()
    assert 'data-sitting="2"' in page and "市工信局五楼会议室" in page
    assert f'name="case" value="{yi.pk}"' in page
    office.post(f"{base}/act/assign_cases/", {"case": [yi.pk], "sitting": second.pk})
    yi.refresh_from_db()
    assert yi.sitting_id == second.pk
    seats = _drawn_seats(m)
    office.post(f"{base}/act/attendance/", {"sitting": second.pk,
                                           "present": [s.pk for s in seats[:4]]})
    assert queries.quorum(m, second) == (True, 4, 5)
    assert queries.quorum(m) == (False, 0, 5)  # sitting 1 not yet recorded
    page = office.get(f"{base}/").content.decode()
    assert f'data-sitting-of="{yi.pk}">第2场' in page
    assert re.search(r'id="quorum-2">出席4人 / 抽取5人', page)
    assert re.search(r'id="quorum">出席0人 / 抽取5人', page)
    expert = Client()  # the drawn expert sees on which day each case is voted
    expert.force_login(seats[0].expert.user)
    ballot = expert.get(f"{base}/ballot/").content.decode()
    assert f'data-sitting-of="{yi.pk}">第2场 · 2024-10-28' in ballot


def test_property_each_case_opens_on_its_day_with_its_sittings_quorum_and_voters(world) -> None:
    """Random attendance at two sittings and a random split of three cases between them:
    a case opens only on its sitting's day and only when that sitting has its quorum, and
    its frozen voters are exactly that sitting's attendance."""
    world.pool(9)
    for i in range(3):
        world.application(f"分场{i}")
    m = world.drawn(count=5, reserve=2, date=FIRST_DAY)
    days = [queries.first_sitting(m), ops.add_sitting(
        m, world.office, date=SECOND_DAY, place="五楼", presiding=world.chair())]
    seats = _drawn_seats(m)
    cases = list(m.cases.order_by("pk"))
    subsets = st.sets(st.integers(0, len(seats) - 1))

    @settings(max_examples=25, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(subsets, subsets, st.lists(st.integers(0, 1), min_size=3, max_size=3))
    def run(here1: set[int], here2: set[int], split: list[int]) -> None:
        with transaction.atomic():
            world.today("2024-10-08")
            attendance = {0: {seats[i].pk for i in here1}, 1: {seats[i].pk for i in here2}}
            for k, day in enumerate(days):
                ops.record_attendance(m, world.office, sorted(attendance[k]), day)
                moved = [c.pk for c, s in zip(cases, split, strict=True) if s == k]
                if moved:
                    ops.assign_cases(m, world.office, moved, day)
            world.today(FIRST_DAY.isoformat())
            ops.open_meeting(m, world.office)
            for k, day in enumerate(days):
                world.today(day.date.isoformat())
                for c, s in zip(cases, split, strict=True):
                    if c.ballot_open:
                        continue
                    c.refresh_from_db()
                    opened = True
                    try:
                        ops.open_ballot(c, world.office)
                    except ops.EvaluationError:
                        opened = False
                    quorum = 3 * len(attendance[s]) >= 2 * len(seats)
                    assert opened == (s == k and quorum), (k, s, attendance[s])
                    if opened:
                        c.refresh_from_db()
                        assert set(c.eligible_seats) == attendance[s]
            transaction.set_rollback(True)

    run()


def test_the_meeting_list_counts_sittings_without_a_query_per_meeting(world) -> None:
    m, *_rest = _two_sittings(world)
    client = Client()
    client.force_login(world.office)

    def listed() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as q:
            page = client.get("/evaluation/").content.decode()
        return page, len(q)

    client.get("/")  # the site's city list is cached after the first page (seasons.queries)
    page, one = listed()
    assert f"召开评审会议：{FIRST_DAY.year}年{FIRST_DAY.month}月{FIRST_DAY.day}日起，共2场" in page
    for name in ("列表甲", "列表乙"):  # two more drawn meetings of one sitting each
        world.application(name)
        world.drawn(count=5, reserve=2, date=FIRST_DAY)
    page, three = listed()
    assert page.count("共2场") == 1 and three == one


def test_the_meeting_page_reads_every_sitting_in_a_constant_number_of_queries(world) -> None:
    m, _first, second, _jia, _yi = _two_sittings(world)
    seats = _drawn_seats(m)
    ops.record_attendance(m, world.office, [s.pk for s in seats[:4]], at=second)
    client = Client()
    client.force_login(world.office)

    def shown() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as q:
            page = client.get(f"/evaluation/meeting/{m.pk}/").content.decode()
        return page, len(q)

    client.get("/")  # the site's city list is cached after the first page (seasons.queries)
    page, two = shown()
    assert "第2场" in page
    third = ops.add_sitting(m, world.office, date=dt.date(2024, 10, 29), place="市工信局六楼")
    ops.record_attendance(m, world.office, [s.pk for s in seats[:5]], at=third)
    page, three = shown()
    assert "第3场" in page and "市工信局六楼" in page and three == two
