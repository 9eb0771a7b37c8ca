"""The reserve is called in from the meeting page, with a reason, before the first vote;
the call-in is audited and the minutes show it."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from zhicheng.core.models import AuditEvent
from zhicheng.evaluation import operations as ops
from zhicheng.evaluation import queries

pytestmark = pytest.mark.django_db


def test_a_reserve_is_called_in_from_the_page_with_a_reason(world) -> None:
    from pypdf import PdfReader

    from zhicheng.evaluation.exports import minutes_pdf

    world.pool(9)
    world.application()
    m = world.opened(present=4, count=5, reserve=2)
    reserve = m.seats.filter(reserve=True).order_by("position").first()
    office = Client()
    office.force_login(world.office)
    base = f"/evaluation/meeting/{m.pk}"
    page = office.get(f"{base}/").content.decode()
    assert f'data-call-in="{reserve.pk}"' in page
    r = office.post(f"{base}/act/call_in/", {"seat": reserve.pk, "reason": " "}, follow=True)
    assert "请写明递补理由" in r.content.decode()
    reserve.refresh_from_db()
    assert not reserve.called_in
    office.post(f"{base}/act/call_in/", {"seat": reserve.pk, "reason": "第5位评委因病缺席"})
    reserve.refresh_from_db()
    assert reserve.called_in and reserve.call_in_reason == "第5位评委因病缺席"
    event = AuditEvent.objects.filter(action="evaluation.reserve").latest("pk")
    assert "第5位评委因病缺席" in event.summary and str(reserve.expert.user) in event.summary
    page = office.get(f"{base}/").content.decode()
    assert "备选递补（第5位评委因病缺席）" in page
    ops.record_attendance(m, world.office, [s.pk for s in queries.sitting(m) if s.present]
                          + [reserve.pk])
    assert queries.quorum(m) == (True, 5, 5)
    ops.open_ballot(m.cases.get(), world.office)
    assert "data-call-in=" not in office.get(f"{base}/").content.decode()  # first vote held
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes_pdf(m))).pages)
    assert "第5位评委因病缺席" in text
