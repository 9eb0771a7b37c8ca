"""Secret ballots, also against the database: nothing stored links a ballot to its voter
(transaction, row order, key, timestamp), the receipt proves inclusion and never the choice,
and the tally key of a vote is gone once it is counted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from zhicheng.core.models import AuditEvent
from zhicheng.evaluation import operations as ops
from zhicheng.evaluation import queries
from zhicheng.evaluation.models import (
    Ballot,
    BallotReceipt,
    CountedReceipt,
    SealedBallot,
)

pytestmark = pytest.mark.django_db

CAST = ["disagree", "agree", "abstain", "agree", "disagree", "agree", "agree"]


def _voted(world: Any, django_capture_on_commit_callbacks: Any) -> tuple[Any, Any, dict]:
    world.pool(9)
    world.application()
    m = world.opened(count=7, reserve=0)
    case = m.cases.get()
    ops.open_ballot(case, world.office)
    codes = {}
    for seat, choice in zip(queries.voters(case), CAST, strict=True):
        codes[seat.pk] = (ops.cast_ballot(case, seat.expert.user, choice), choice)
    return m, case, codes


def _column_names(model: Any) -> set[str]:
    with connection.cursor() as cur:
        return {c.name for c in connection.introspection.get_table_description(
            cur, model._meta.db_table)}


def test_no_table_holds_a_voter_or_a_code_beside_a_choice() -> None:
    assert _column_names(Ballot) == {"id", "case_id", "choice"}
    assert _column_names(BallotReceipt) == {"id", "case_id", "seat_id"}
    assert _column_names(SealedBallot) == {"id", "case_id", "sealed"}
    assert _column_names(CountedReceipt) == {"id", "case_id", "code"}
    for model in (Ballot, SealedBallot):
        assert model._meta.pk.get_internal_type() == "UUIDField"  # no sequence
        assert not model._meta.ordering


def test_while_the_vote_is_open_the_database_holds_only_sealed_ballots(
        world, django_capture_on_commit_callbacks) -> None:
    _m, case, codes = _voted(world, django_capture_on_commit_callbacks)
    assert not Ballot.objects.exists() and not CountedReceipt.objects.exists()
    sealed = [bytes(s) for s in SealedBallot.objects.values_list("sealed", flat=True)]
    assert len(sealed) == 7 and len({len(s) for s in sealed}) == 1  # one length for all
    for blob in sealed:
        assert b"agree" not in blob and not any(c.encode() in blob for c, _ in codes.values())
    key = Path(settings.ZHICHENG_BALLOT_KEY_DIR) / f"case-{case.pk}.key"
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"
    key_text = key.read_bytes().decode()
    for ev in AuditEvent.objects.all():  # the key never reaches the audit chain
        assert key_text not in str(ev.data) + ev.summary


def test_after_the_count_no_order_transaction_or_key_links_voter_and_choice(
        world, django_capture_on_commit_callbacks) -> None:
    _m, case, codes = _voted(world, django_capture_on_commit_callbacks)
    key = Path(settings.ZHICHENG_BALLOT_KEY_DIR) / f"case-{case.pk}.key"
    with django_capture_on_commit_callbacks(execute=True):
        ops.close_ballot(case, world.office)
    assert not key.exists()  # crypto-shredded: old sealed row versions can never be opened
    assert not SealedBallot.objects.exists()
    table = Ballot._meta.db_table
    receipts = BallotReceipt._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # the attack: ballots and receipts written in one transaction
            cur.execute(f"SELECT count(*) FROM {table} b JOIN {receipts} r "
                        "ON r.xmin = b.xmin")
            assert cur.fetchone()[0] == 0
            cur.execute(f"SELECT count(DISTINCT xmin::text) FROM {table}")
            assert cur.fetchone()[0] == 1  # all written by the close, together
            cur.execute(f"SELECT choice FROM {table} ORDER BY ctid")
        else:
            cur.execute(f"SELECT choice FROM {table} ORDER BY rowid")
        physical = [row[0] for row in cur.fetchall()]
    # the physical order is the choices sorted: it follows the counts, never the voting order
    assert physical == sorted(CAST) and physical != CAST
    counted = list(CountedReceipt.objects.filter(case=case).values_list("code", flat=True))
    assert counted == sorted(code for code, _ in codes.values())
    case.refresh_from_db()
    assert (case.agree, case.disagree, case.abstain) == (4, 2, 1)


def test_a_receipt_tells_nobody_the_choice(world, django_capture_on_commit_callbacks,
                                           demo_users) -> None:
    from zhicheng.api.operations import create_token
    from zhicheng.core.operations import SYSTEM

    m, case, codes = _voted(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        ops.close_ballot(case, world.office)
    base = f"/evaluation/meeting/{m.pk}/ballot/"
    seats = list(codes)
    agree_code = next(code for code, ch in codes.values() if ch == "agree")
    disagree_code = next(code for code, ch in codes.values() if ch == "disagree")
    another = Client()
    another.force_login(m.seats.get(pk=seats[0]).expert.user)
    office, city = Client(), Client()
    office.force_login(world.office)
    city.force_login(world.city)
    for who in (another, office, city):
        answers = set()
        for code in (agree_code, disagree_code):
            page = who.post(base, {"case": case.pk, "code": code}).content.decode()
            answers.add(page.split('id="checked">')[1].split("<")[0])
        assert answers == {"该回执码对应的选票已计入计票。"}  # the same for every choice
    # the meeting's experts see every counted code, without choices
    page = another.get(base).content.decode()
    listed = page.split(f'data-counted="{case.pk}">')[1].split("</ul>")[0]
    assert all(code in listed for code, _ in codes.values())
    assert "同意" not in listed and "弃权" not in listed
    assert agree_code not in office.get(base).content.decode()  # the list is the experts'
    # the API: results carry the counts, never a receipt code
    secret = create_token(world.gongxin, SYSTEM, name="测试", scopes=["results:read"]).secret
    body = another.get("/api/results", headers={"Authorization": f"Bearer {secret}"})
    text = body.content.decode()
    assert body.status_code == 200 and not any(code in text for code, _ in codes.values())
    schema = another.get("/api/openapi.json").content.decode().lower()
    assert "receipt" not in schema and "ballot" not in schema
