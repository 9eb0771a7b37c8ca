"""Publicities close by themselves: the periodic task, idempotent and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from zhicheng.applications.models import Notification
from zhicheng.core.audit import verify_chain
from zhicheng.core.models import AuditEvent
from zhicheng.publicity import tasks
from zhicheng.publicity.models import Publicity
from zhicheng.publicity.operations import close_due_publicities, file_objection, open_publicity
from zhicheng.publicity.signals import publicity_closed

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_the_task_closes_the_day_after_the_last_day_once(
    make_application: Any, unit_hr: Any
) -> None:
    with time_machine.travel(at(2024, 9, 27, 9, 0), tick=False):
        p = open_publicity(make_application(), "unit", unit_hr)
        assert p.last_day == dt.date(2024, 10, 9)
    with time_machine.travel(at(2024, 10, 9, 23, 59), tick=False):
        assert tasks.close_due.delay().get() == 0  # the last day still belongs to the period
    p.refresh_from_db()
    assert p.closed_at is None
    before = AuditEvent.objects.filter(action="publicity.close").count()
    with time_machine.travel(at(2024, 10, 10, 0, 5), tick=False):
        assert tasks.close_due.delay().get() == 1
        assert tasks.close_due.delay().get() == 0  # idempotent: running again closes nothing
    p.refresh_from_db()
    assert p.closed_at == at(2024, 10, 10, 0, 5)
    events = AuditEvent.objects.filter(action="publicity.close", target_id=str(p.pk))
    assert events.count() == 1
    assert AuditEvent.objects.filter(action="publicity.close").count() == before + 1
    event = events.get()
    assert event.actor_id is None and event.actor_label == "系统"
    assert "2024年9月27日至2024年10月9日" in event.summary and "未处理0件" in event.summary
    assert verify_chain().ok


def test_closing_tells_the_posting_organisation(make_application: Any, unit_hr: Any) -> None:
    with time_machine.travel(at(2024, 9, 27, 10, 0), tick=False):
        p = open_publicity(make_application(name="赵异议"), "unit", unit_hr)
        file_objection(p, name="", contact="13912345678", text="业绩材料不实", ip="10.0.0.1")
    with time_machine.travel(at(2024, 10, 10, 1, 0), tick=False):
        close_due_publicities()
    note = Notification.objects.filter(user=unit_hr, kind="publicity.closed").get()
    assert "赵异议" in note.title and "尚有1件异议未处理" in note.body


def test_only_due_publicities_close_and_a_given_day_is_honoured(
    make_application: Any, unit_hr: Any, committee_office: Any, today: Any
) -> None:
    today("2024-09-27")
    unit = open_publicity(make_application(), "unit", unit_hr)
    today("2024-10-08")
    pre = open_publicity(
        make_application(state="pre_evaluation_publicity"), "pre_evaluation", committee_office
    )
    assert pre.last_day == dt.date(2024, 10, 12)  # 8, 9, 10, 11, 12 (调休 Saturday)
    assert close_due_publicities(dt.date(2024, 10, 10)) == [unit.pk]
    assert close_due_publicities(dt.date(2024, 10, 12)) == []
    assert close_due_publicities(dt.date(2024, 10, 13)) == [pre.pk]
    assert not Publicity.objects.filter(closed_at__isnull=True).exists()


def test_the_closed_signal_is_sent_after_commit(
    make_application: Any, unit_hr: Any, today: Any, django_capture_on_commit_callbacks: Any
) -> None:
    today("2024-09-27")
    p = open_publicity(make_application(), "unit", unit_hr)
    received: list[int] = []

    def handler(sender: Any, publicity: Publicity, **kwargs: Any) -> None:
        received.append(publicity.pk)

    publicity_closed.connect(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            close_due_publicities(dt.date(2024, 10, 10))
    finally:
        publicity_closed.disconnect(handler)
    assert received == [p.pk]


def test_the_task_is_scheduled_hourly() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["publicity.close_due"]
    assert entry["task"] == "publicity.close_due" and float(entry["schedule"]) == 3600


def test_embedded_mode_closes_a_due_publicity_on_the_next_request(
    make_application: Any, unit_hr: Any, client: Any, settings: Any
) -> None:
    # No Celery beat in the embedded mode: the ticker runs the scheduled tasks itself.
    assert settings.CELERY_TASK_ALWAYS_EAGER
    settings.ZHICHENG_EMBEDDED_TICKER = True
    with time_machine.travel(at(2024, 9, 27, 9, 0), tick=False):
        p = open_publicity(make_application(), "unit", unit_hr)
    with time_machine.travel(at(2024, 10, 10, 8, 0), tick=False):
        assert client.get("/").status_code == 200
    p.refresh_from_db()
    assert p.closed_at == at(2024, 10, 10, 8, 0)


def test_tick_command_runs_every_scheduled_task(make_application: Any, unit_hr: Any) -> None:
    import io

    from django.core.management import call_command

    with time_machine.travel(at(2024, 9, 27, 9, 0), tick=False):
        p = open_publicity(make_application(), "unit", unit_hr)
    out = io.StringIO()
    with time_machine.travel(at(2024, 10, 10, 8, 0), tick=False):
        call_command("tick", stdout=out)
    p.refresh_from_db()
    assert p.closed_at is not None
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert f"{entry['task']}: " in out.getvalue()
    assert "failed" not in out.getvalue()
