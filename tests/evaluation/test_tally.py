"""A tally that cannot be bent: the eligible voters of a case are frozen when its vote opens,
ballots come only from them, a close with ballots missing is refused unless the office says
why for each missing expert (未投票), and the pass rule runs on the frozen voters.

The property test drives random sequences of attendance, recusal, call-in, open, vote,
close and re-open through the real operations against a shadow model of what each should do.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from zhicheng.core.operations import OperationError, StateConflict
from zhicheng.evaluation import operations as ops
from zhicheng.evaluation import queries
from zhicheng.evaluation.models import Attendance, BallotReceipt, Case, CommitteeSeat

pytestmark = pytest.mark.django_db


def _seven(world: Any) -> tuple[Any, Case, list[CommitteeSeat]]:
    world.pool(9)
    world.application()
    m = world.opened(count=7, reserve=0)
    case = m.cases.get()
    return m, case, list(m.seats.filter(reserve=False).order_by("position"))


def test_the_reproduction_untick_a_voter_then_close_is_refused(world) -> None:
    """The tally that could be bent: 7 ballots (4 同意, 3 不同意), un-tick one expert who
    voted, close: it used to count seven ballots for six people and pass a failing case."""
    m, case, seats = _seven(world)
    ops.open_ballot(case, world.office)
    for seat, choice in zip(seats, ["agree"] * 4 + ["disagree"] * 3, strict=True):
        ops.cast_ballot(case, seat.expert.user, choice)
    with pytest.raises(StateConflict, match="正在表决，出席登记已冻结"):
        ops.record_attendance(m, world.office, [s.pk for s in seats[1:]])
    assert Attendance.objects.filter(seat=seats[0]).exists()
    # even an attendance changed behind the operations' back does not move the denominator
    Attendance.objects.filter(seat=seats[0]).delete()
    ops.close_ballot(case, world.office)
    case.refresh_from_db()
    assert (case.agree, case.disagree, case.abstain, case.not_voted) == (4, 3, 0, 0)
    assert case.attending == 7 and case.passed is False  # 3·4 = 12 < 14 = 2·7


def test_attendance_changes_between_votes_only_move_later_cases(world) -> None:
    world.pool(9)
    world.application("甲")
    world.application("乙")
    m = world.opened(count=7, reserve=0)
    first, second = m.cases.order_by("pk")
    seats = list(m.seats.filter(reserve=False).order_by("position"))
    ops.open_ballot(first, world.office)
    for seat in seats:
        ops.cast_ballot(first, seat.expert.user, "agree")
    ops.close_ballot(first, world.office)
    ops.record_attendance(m, world.office, [s.pk for s in seats[:6]])  # one leaves
    first.refresh_from_db()
    assert first.attending == 7 and first.eligible_seats == [s.pk for s in seats]
    ops.open_ballot(second, world.office)
    second.refresh_from_db()
    assert second.eligible_seats == [s.pk for s in seats[:6]]
    with pytest.raises(OperationError, match="只有出席并未回避"):
        ops.cast_ballot(second, seats[6].expert.user, "agree")


def test_a_close_with_ballots_missing_names_them_and_needs_a_reason_each(world) -> None:
    m, case, seats = _seven(world)
    ops.open_ballot(case, world.office)
    office = Client()
    office.force_login(world.office)
    base = f"/evaluation/meeting/{m.pk}"
    for seat in seats[:5]:
        ops.cast_ballot(case, seat.expert.user, "agree")
    page = office.get(f"{base}/").content.decode()
    assert "应投7人 · 已投5人 · 未投2人" in page
    assert "表决进行中，出席登记已冻结" in page and "登记出席</button>" not in page
    with pytest.raises(ops.EvaluationError) as refused:
        ops.close_ballot(case, world.office, {seats[5].pk: "中途离会"})
    text = str(refused.value)
    assert "应投7人，已投5人，未投2人" in text and str(seats[6].expert.user) in text
    assert str(seats[5].expert.user) not in text  # the one with a reason is not asked again
    # through the page: the refusal is a message, the vote stays open
    r = office.post(f"{base}/act/close_ballot/", {"case": case.pk}, follow=True)
    assert "未投2人" in r.content.decode()
    case.refresh_from_db()
    assert case.ballot_open
    office.post(f"{base}/act/close_ballot/", {
        "case": case.pk, f"missing_{seats[5].pk}": "中途离会",
        f"missing_{seats[6].pk}": "身体不适离场"})
    case.refresh_from_db()
    assert (case.agree, case.not_voted, case.attending, case.passed) == (5, 2, 7, True)
    assert case.missing_reasons == {str(seats[5].pk): "中途离会",
                                    str(seats[6].pk): "身体不适离场"}
    page = office.get(f"{base}/").content.decode()
    assert "同意5 不同意0 弃权0 未投票2 / 应投7人" in page
    assert f"第{seats[6].position}位 {seats[6].expert.user}未投票：身体不适离场" in page


def test_not_voted_is_in_the_minutes_the_data_report_and_the_signers_page(world) -> None:
    from pypdf import PdfReader

    from zhicheng.evaluation.exports import data_report_payload, minutes_pdf

    m, case, seats = _seven(world)
    ops.open_ballot(case, world.office)
    for seat in seats[:4]:
        ops.cast_ballot(case, seat.expert.user, "agree")
    ops.close_ballot(case, world.office, {s.pk: "中途离会" for s in seats[4:]})
    case.refresh_from_db()
    assert case.passed is False  # 3·4 = 12 < 14: a missing ballot is no free pass
    m.refresh_from_db()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes_pdf(m))).pages)
    assert "未投票" in text and "中途离会" in text and str(seats[6].expert.user) in text
    row = data_report_payload(m)["applicants"][0]
    assert (row["agree"], row["not_voted"], row["attending"]) == (4, 3, 7)
    ops.assign_tally_roles(m, world.office, seats[0], seats[1])
    signer = Client()
    signer.force_login(seats[0].expert.user)
    assert "同意4 不同意0 弃权0 未投票3 / 应投7人" in signer.get(
        f"/evaluation/meeting/{m.pk}/ballot/").content.decode()
    api_row = json.dumps(row, ensure_ascii=False)
    assert "中途离会" not in api_row  # reasons are in the minutes, not the data report


def test_no_call_in_after_the_first_vote_and_no_recusal_once_open(world) -> None:
    world.pool(9)
    world.application("甲")
    world.application("乙")
    m = world.opened(present=4, count=5, reserve=2)
    first, second = m.cases.order_by("pk")
    ops.open_ballot(first, world.office)
    reserve = m.seats.filter(reserve=True).first()
    with pytest.raises(StateConflict, match="递补须在首次表决前"):
        ops.call_in_reserve(reserve, world.office, "缺席递补")
    voter = queries.voters(first)[0]
    with pytest.raises(StateConflict, match="已开始投票"):
        ops.recuse(first, voter, world.office, "临时发现利害关系")
    with pytest.raises(StateConflict):
        ops.open_ballot(first, world.office)
    assert second.ballot_open is False


# --- the property test ----------------------------------------------------------------------

CHOICES = ["agree", "disagree", "abstain"]
N_SELECTED, N_RESERVE, N_CASES = 5, 2, 3

action = st.one_of(
    st.tuples(st.just("attend"), st.integers(0, N_SELECTED + N_RESERVE - 1), st.booleans()),
    st.tuples(st.just("recuse"), st.integers(0, N_CASES - 1),
              st.integers(0, N_SELECTED + N_RESERVE - 1)),
    st.tuples(st.just("call_in"), st.integers(0, N_RESERVE - 1)),
    st.tuples(st.just("open"), st.integers(0, N_CASES - 1)),
    st.tuples(st.just("vote"), st.integers(0, N_CASES - 1),
              st.integers(0, N_SELECTED + N_RESERVE - 1), st.sampled_from(CHOICES)),
    st.tuples(st.just("close"), st.integers(0, N_CASES - 1), st.booleans()),
    st.tuples(st.just("reopen"), st.integers(0, N_CASES - 1)),
)


class Shadow:
    """What each operation should do, computed without the database."""

    def __init__(self, selected: list[int], reserves: list[int]) -> None:
        self.selected, self.reserves = selected, reserves
        self.present = set(selected)
        self.called: set[int] = set()
        self.recused: dict[int, set[int]] = {}
        self.eligible: dict[int, set[int]] = {}
        self.votes: dict[int, dict[int, str]] = {}
        self.open: set[int] = set()
        self.closed: set[int] = set()

    def sitting(self) -> set[int]:
        return set(self.selected) | self.called

    def quorum(self) -> bool:
        return 3 * len(self.present & self.sitting()) >= 2 * len(self.selected)


def test_property_the_tally_always_adds_up_to_the_frozen_voters(world) -> None:
    world.pool(N_SELECTED + N_RESERVE + 2)
    for i in range(N_CASES):
        world.application(f"申报{i}")
    m = world.opened(count=N_SELECTED, reserve=N_RESERVE)
    seats = list(m.seats.select_related("expert__user").order_by("reserve", "position"))
    selected = [s.pk for s in seats if not s.reserve]
    reserves = [s.pk for s in seats if s.reserve]
    cases = list(m.cases.order_by("pk"))
    seen = {"closed": 0, "closed_with_missing": 0, "refused": 0}

    # derandomize: the same sequences on every run (a CI failure reproduces locally)
    @settings(max_examples=40, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(st.lists(action, min_size=8, max_size=30))
    @example([("open", 0), ("vote", 0, 0, "agree"), ("attend", 0, False), ("close", 0, False),
              ("close", 0, True), ("reopen", 0), ("vote", 0, 1, "agree")])
    @example([("attend", 0, False), ("attend", 1, False), ("call_in", 0), ("attend", 5, True),
              ("recuse", 1, 2), ("open", 1), ("vote", 1, 5, "disagree"), ("call_in", 1),
              ("close", 1, True), ("open", 2)])
    def run(actions: list[tuple[Any, ...]]) -> None:
        with transaction.atomic():
            drive(actions)
            transaction.set_rollback(True)

    def drive(actions: list[tuple[Any, ...]]) -> None:
        sh = Shadow(selected, reserves)
        for act in actions:
            kind = act[0]
            if kind == "attend":
                seat = seats[act[1]].pk
                wanted = (sh.present | {seat}) if act[2] else (sh.present - {seat})
                expect = not sh.open
                ok = _try(ops.record_attendance, m, world.office, sorted(wanted))
                assert ok == expect, act
                if ok:
                    sh.present = wanted & sh.sitting()
            elif kind == "recuse":
                case, seat = cases[act[1]], seats[act[2]]
                c = case.pk
                expect = c not in sh.open and c not in sh.closed
                ok = _try(ops.recuse, Case.objects.get(pk=c), seat, world.office, "利害关系")
                assert ok == expect, act
                if ok:
                    sh.recused.setdefault(c, set()).add(seat.pk)
            elif kind == "call_in":
                seat = reserves[act[1]]
                absent = [s for s in sh.selected if s not in sh.present]
                expect = (seat not in sh.called and not sh.open and not sh.closed
                          and len(sh.called) < len(absent))
                ok = _try(ops.call_in_reserve, CommitteeSeat.objects.get(pk=seat), world.office,
                          "缺席递补")
                assert ok == expect, act
                if ok:
                    sh.called.add(seat)
            elif kind in ("open", "reopen"):
                c = cases[act[1]].pk
                eligible = (sh.present & sh.sitting()) - sh.recused.get(c, set())
                expect = (sh.quorum() and c not in sh.open and c not in sh.closed
                          and bool(eligible))
                ok = _try(ops.open_ballot, Case.objects.get(pk=c), world.office)
                assert ok == expect, act
                if ok:
                    sh.open.add(c)
                    sh.eligible[c] = eligible
                    sh.votes[c] = {}
            elif kind == "vote":
                c, seat = cases[act[1]].pk, seats[act[2]]
                expect = (c in sh.open and seat.pk in sh.eligible[c]
                          and seat.pk not in sh.votes[c])
                ok = _try(ops.cast_ballot, Case.objects.get(pk=c), seat.expert.user, act[3])
                assert ok == expect, act
                if ok:
                    sh.votes[c][seat.pk] = act[3]
            elif kind == "close":
                c = cases[act[1]].pk
                missing = sh.eligible.get(c, set()) - set(sh.votes.get(c, {}))
                reasons = dict.fromkeys(missing, "中途离会") if act[2] else {}
                expect = c in sh.open and (not missing or act[2])
                ok = _try(ops.close_ballot, Case.objects.get(pk=c), world.office, reasons)
                assert ok == expect, act
                if ok:
                    sh.open.discard(c)
                    sh.closed.add(c)
                    seen["closed"] += 1
                    seen["closed_with_missing"] += bool(missing)
                elif c in sh.open:
                    seen["refused"] += 1
        for case in cases:
            check(Case.objects.get(pk=case.pk), sh)

    def check(case: Case, sh: Shadow) -> None:
        c = case.pk
        if c not in sh.closed:
            assert case.passed is None and case.ballot_closed is False
            return
        eligible = sh.eligible[c]
        assert set(case.eligible_seats) == eligible
        assert len(case.eligible_seats) == len(set(case.eligible_seats))  # nobody twice
        receipts = list(BallotReceipt.objects.filter(case=case).values_list("seat_id", flat=True))
        assert len(receipts) == len(set(receipts)) and set(receipts) <= eligible
        assert set(receipts) == set(sh.votes[c])
        assert {int(k) for k in case.missing_reasons} == eligible - set(receipts)
        assert case.agree + case.disagree + case.abstain + case.not_voted == len(eligible)
        assert case.attending == len(eligible)
        counts = {ch: list(sh.votes[c].values()).count(ch) for ch in CHOICES}
        assert (case.agree, case.disagree, case.abstain) == (
            counts["agree"], counts["disagree"], counts["abstain"])
        assert case.passed == (3 * case.agree >= 2 * len(eligible))

    run()
    # the random sequences did reach the interesting cases (not a vacuous pass)
    assert seen["closed"] and seen["closed_with_missing"] and seen["refused"], seen


def _try(func: Any, *args: Any) -> bool:
    try:
        func(*args)
    except OperationError:
        return False
    return True
