"""A season published at a later date (docs/seasons.md §Versions): `load_season --publish-at`
with a future date, or the office's scheduling operation, leaves a scheduled draft that changes
no page; the periodic task `seasons.publish_due` (run by the embedded ticker, eagerly) publishes
it on that date through the audited publish operation, once."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories.seasons import copy_package, edit
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import OperationError
from zhicheng.core.ticker import run_periodic_tasks
from zhicheng.seasons.models import CommitteePlan, Season, VersionStatus
from zhicheng.seasons.operations import load_package, schedule_publication

pytestmark = pytest.mark.django_db
NEW = "lianyungang-2025"


def load(folder: Path, **options: object) -> str:
    out = io.StringIO()
    call_command("load_season", NEW, dir=folder, stdout=out, quiet_warnings=True, **options)
    return out.getvalue()


def test_a_future_publish_at_waits_for_its_date_then_the_ticker_publishes_it(
    season, tmp_path, settings
):
    settings.ZHICHENG_TODAY = "2025-04-20"
    output = load(copy_package(tmp_path, NEW, years=1), publish_at=dt.date(2025, 5, 8))
    assert "计划于2025-05-08发布" in output and "非当前年度" in output
    new = Season.objects.get(code=NEW)
    version = new.versions.get()
    assert version.status == VersionStatus.DRAFT and version.scheduled_on == dt.date(2025, 5, 8)
    assert new.published_version is None and not CommitteePlan.objects.filter(season=new).exists()
    assert Season.objects.get(is_current=True).code == "lianyungang-2024"

    settings.ZHICHENG_TODAY = "2025-05-07"
    assert run_periodic_tasks()["seasons.publish_due"] == []
    assert not Season.objects.get(code=NEW).is_current

    settings.ZHICHENG_TODAY = "2025-05-08"
    assert run_periodic_tasks()["seasons.publish_due"] == [f"{NEW}@1"]
    new.refresh_from_db()
    version.refresh_from_db()
    assert new.is_current and new.published_version == version
    assert version.status == VersionStatus.PUBLISHED
    assert (version.published_on, version.scheduled_on) == (dt.date(2025, 5, 8), None)
    assert CommitteePlan.objects.filter(season=new).count() == 53
    event = AuditEvent.objects.filter(action="season.publish").latest("pk")
    assert event.data["published_on"] == "2025-05-08" and "2025-05-08" in event.summary
    # Idempotent: the next tick publishes nothing more.
    published = AuditEvent.objects.filter(action="season.publish").count()
    assert run_periodic_tasks()["seasons.publish_due"] == []
    assert AuditEvent.objects.filter(action="season.publish").count() == published


def test_the_office_schedules_a_draft_and_a_later_publication_unschedules_it(
    season, tmp_path, settings, demo_users
):
    settings.ZHICHENG_TODAY = "2025-04-20"
    folder = copy_package(tmp_path, NEW, years=1)
    load_package(demo_users["city_office"], folder)
    first = Season.objects.get(code=NEW).versions.get()
    with pytest.raises(OperationError):
        schedule_publication(demo_users["applicant"], first, dt.date(2025, 5, 8))
    schedule_publication(demo_users["city_office"], first, dt.date(2025, 5, 8))
    first.refresh_from_db()
    assert first.scheduled_on == dt.date(2025, 5, 8)
    event = AuditEvent.objects.filter(action="season.schedule").get()
    assert event.data["scheduled_on"] == "2025-05-08" and "计划于2025-05-08发布" in event.summary

    # A corrected package published today settles the season: the older draft never
    # publishes over it on its date.
    edit(folder, "plans.csv", "85831080", "85831081")
    load_package(demo_users["city_office"], folder, publish=True)
    first.refresh_from_db()
    assert first.status == VersionStatus.DRAFT and first.scheduled_on is None
    settings.ZHICHENG_TODAY = "2025-05-08"
    assert run_periodic_tasks()["seasons.publish_due"] == []
    new = Season.objects.get(code=NEW)
    assert new.published_version is not None and new.published_version.number == 2


def test_scheduling_today_publishes_at_once(season, tmp_path, settings, demo_users):
    settings.ZHICHENG_TODAY = "2025-05-08"
    load_package(demo_users["city_office"], copy_package(tmp_path, NEW, years=1))
    version = Season.objects.get(code=NEW).versions.get()
    schedule_publication(demo_users["city_office"], version, dt.date(2025, 5, 8))
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED and Season.objects.get(code=NEW).is_current
