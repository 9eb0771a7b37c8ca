"""A second season through the whole chain (docs/seasons.md §The example package): in the
example season lianyungang-2025-example two dossiers apply, pass the unit review and its
publicity, the preliminary review, the committee re-check and the pre-evaluation publicity,
are evaluated at a meeting (opening report, draw, attendance, secret ballot, tally, results,
result publicity, filing) and certified — all through the real operations (the demo story's
helpers, on 2025 dates) — while the 2024 season stays readable: its notice, its plan table and
a 2024 certificate that still verifies. And a 2027 season refuses clearly, naming the year,
until its calendar is entered through the calendar operation."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from tests.factories.calendar import publish_example_2027
from tests.factories.certificates import (  # noqa: F401  (fixtures)
    _keys_and_date,
    city_office,
    issued,
    make_approved,
)
from tests.factories.seasons import copy_package
from zhicheng.applications.models import ApplicantProfile
from zhicheng.applications.profiles import validate_facts
from zhicheng.applications.states import State
from zhicheng.certificates.operations import issue_certificate
from zhicheng.core.holidays import CalendarMissingRefusal
from zhicheng.core.operations import SYSTEM
from zhicheng.demo import evaluation as story
from zhicheng.demo.applications import DEMO_FACTS
from zhicheng.evaluation.models import MeetingState
from zhicheng.publicity.operations import PublicityError, publicity_period
from zhicheng.reviews.scope import default_due_date
from zhicheng.seasons.loaders import load_season
from zhicheng.seasons.models import CommitteePlan, Season

pytestmark = pytest.mark.django_db
EXAMPLE = "lianyungang-2025-example"
D = dt.date
# The demo story's dates a year later, moved where 2025's calendar asks (端午 31 May–2 June).
DAYS_2025 = {"submit": D(2025, 5, 19), "unit": D(2025, 5, 20), "recommend": D(2025, 5, 27),
             "ready": D(2025, 6, 4), "report": D(2025, 6, 5), "approve": D(2025, 6, 6),
             "commit": D(2025, 6, 9), "draw": D(2025, 6, 11), "meeting": D(2025, 6, 18),
             "publish": D(2025, 6, 19), "data": D(2025, 6, 20), "close": D(2025, 6, 26),
             "file": D(2025, 6, 27)}
MEETING_2025 = story.MeetingPlan(DAYS_2025["meeting"], "市场监督局五楼会议室（示例）",
                                 Decimal("100"), 5, 2)


def _applicants() -> list[object]:
    users = story._demo_users(SYSTEM, story.STORY_1[:2], with_profile=True)
    facts = copy.deepcopy(DEMO_FACTS)
    # A year later, the season asks for the continuing education of 2024 as well (二（九）).
    facts["continuing_education"].append(
        {"year": 2024, "public_hours": 30, "professional_hours": 64, "public_certificate": True})
    ApplicantProfile.objects.filter(user__in=users).update(facts=validate_facts(facts))
    return users


def test_a_dossier_goes_through_the_whole_chain_in_the_example_season_and_2024_stays_readable(
    season, settings, issued, city_office  # noqa: F811
):
    old_certificate = issued(name="王往年")  # a 2024 certificate, issued 2024-11-15
    plans_2024 = list(CommitteePlan.objects.filter(season=season).order_by("row")
                      .values_list("row", "specialty", "office_id", "phone"))

    settings.ZHICHENG_TODAY = "2025-05-08"
    load_season(SYSTEM, EXAMPLE, publish_on=D(2025, 5, 8))
    example = Season.objects.get(code=EXAMPLE)
    assert example.is_current

    committee = story.seed_committee(SYSTEM)  # over the current (example) season's plan 41
    assert committee.plans.get().season == example
    apps = story._applications(_applicants(), DAYS_2025)
    assert [a.state for a in apps] == [State.READY_FOR_MEETING] * 2
    assert {a.season_id for a in apps} == {example.pk}
    assert {a.season_version_id for a in apps} == {example.published_version_id}
    meeting = story.hold_meeting_1(committee, example, days=DAYS_2025, plan=MEETING_2025)
    assert meeting.state == MeetingState.FILED and meeting.season == example
    for app in apps:
        app.refresh_from_db()
        assert app.state == State.APPROVED

    settings.ZHICHENG_TODAY = "2025-07-01"
    certificate = issue_certificate(apps[0], city_office, approval_number="示例〔2025〕12号")
    public = Client()
    for cert, holder in ((certificate, story.STORY_1[0][1]), (old_certificate, "王往年")):
        page = public.post("/verify/", {"number": cert.number, "name": holder})
        assert page.status_code == 200 and "有效" in page.content.decode(), cert.number

    # The 2024 season is untouched and its notice still readable.
    assert list(CommitteePlan.objects.filter(season=season).order_by("row")
                .values_list("row", "specialty", "office_id", "phone")) == plans_2024
    notices = public.get("/notices/").content.decode()
    assert "连职称办〔2024〕4号" in notices
    assert "连职称办〔2024〕4号" in public.get(
        f"/notice/{season.notices.get().slug}/").content.decode()


def test_a_2027_season_refuses_naming_the_year_until_its_calendar_is_entered(
    season, tmp_path, settings, demo_users
):
    settings.ZHICHENG_TODAY = "2026-12-28"
    load_season(SYSTEM, "lianyungang-2027", copy_package(tmp_path, "lianyungang-2027", years=3),
                publish_on=D(2026, 12, 28))
    s2027 = Season.objects.get(code="lianyungang-2027")
    assert s2027.is_current and s2027.year == 2027
    with pytest.raises(PublicityError, match="2027年"):
        publicity_period(s2027, "unit", D(2027, 1, 4))
    with pytest.raises(CalendarMissingRefusal, match="2027年"):
        default_due_date(s2027, D(2026, 12, 28))

    publish_example_2027(demo_users["city_office"])
    period = publicity_period(s2027, "unit", D(2027, 1, 4))
    assert (period.first_day, period.last_day) == (D(2027, 1, 4), D(2027, 1, 8))
    # 10 working days from 28 December 2026 (元旦 1–3 January 2027 off).
    assert default_due_date(s2027, D(2026, 12, 28)) == D(2027, 1, 12)
