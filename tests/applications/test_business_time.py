"""Demo time is one time: with the demo clock on, the timestamps a person sees or searches
(submission, messages, audit) carry the demo's business date, so an audit search by demo
dates finds the demo's events; without the demo clock they are the real time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhicheng.applications import operations as ops
from zhicheng.applications.models import Notification
from zhicheng.core import clock
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import SYSTEM, operation

pytestmark = pytest.mark.django_db

DEMO_DAY = dt.date(2024, 7, 20)


@pytest.fixture
def demo_clock(settings: Any, tmp_path: Any) -> Any:
    settings.ZHICHENG_TODAY = "2024-07-15"
    settings.ZHICHENG_DEMO_CLOCK = True
    settings.ZHICHENG_DEMO_CLOCK_FILE = str(tmp_path / "demo-clock.txt")
    (tmp_path / "demo-clock.txt").write_text(DEMO_DAY.isoformat() + "\n")
    return settings


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def test_a_submission_in_demo_time_is_stamped_and_found_on_the_demo_date(
    demo_clock: Any, make_applicant: Any, ready_draft: Any, demo_users: Any
) -> None:
    app = ready_draft(make_applicant())
    submission = ops.submit_application(app, app.applicant, token="t-demo-time")
    app.refresh_from_db()
    assert _local_day(app.submitted_at) == DEMO_DAY
    assert _local_day(submission.created_at) == DEMO_DAY
    event = AuditEvent.objects.filter(action="application.submit", target_id=str(app.pk)).get()
    assert _local_day(event.created_at) == DEMO_DAY
    message = Notification.objects.filter(user=app.applicant).latest("pk")
    assert _local_day(message.created_at) == DEMO_DAY

    # The city office searches the audit log by the demo's date and finds the submission.
    city = Client()
    city.force_login(demo_users["city_office"])
    page = city.get("/supervision/audit/", {"date_from": "2024-07-20", "date_to": "2024-07-20"})
    assert page.status_code == 200
    assert app.applicant.full_name in page.content.decode()


def test_without_the_demo_clock_timestamps_are_the_real_time(
    settings: Any, make_applicant: Any, ready_draft: Any
) -> None:
    settings.ZHICHENG_TODAY = "2024-07-15"  # dates for the rules, not the timestamps
    settings.ZHICHENG_DEMO_CLOCK = False
    app = ready_draft(make_applicant())
    ops.submit_application(app, app.applicant, token="t-real-time")
    app.refresh_from_db()
    assert abs((app.submitted_at - timezone.now()).total_seconds()) < 600
    assert clock.now().date() != dt.date(2024, 7, 15)


def test_production_ignores_the_demo_clock(demo_clock: Any) -> None:
    demo_clock.PRODUCTION = True
    assert abs((clock.now() - timezone.now()).total_seconds()) < 600


def test_a_pinned_seeding_step_stamps_its_events_on_its_day(db: Any) -> None:
    with clock.pinned(dt.date(2024, 6, 3)), operation(SYSTEM, "demo.clock.pin") as op:
        op.summary = "演示"
    event = AuditEvent.objects.filter(action="demo.clock.pin").latest("seq")
    assert _local_day(event.created_at) == dt.date(2024, 6, 3)
