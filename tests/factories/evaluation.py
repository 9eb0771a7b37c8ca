"""The evaluation World: a committee of 市工信局 over plan row 49, an expert pool,
applications placed directly in ready_for_meeting (test setup only — in the product only
states.fire() changes a state), driving a meeting through operations (tests/evaluation,
tests/sanctions, the meeting journey in the browser)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest

from zhicheng.applications.states import State
from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_SPECIALTY
from zhicheng.evaluation import operations as ops
from zhicheng.evaluation import queries

GONGXIN_PLAN_ROW = 49
OTHER_EMPLOYER = "连云港港湾新材料科技有限公司"
_counter = itertools.count(500)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(serial: int) -> str:
    body = f"32070619800101{serial % 1000:03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]
    return body + check


class World:
    def __init__(self, season: Any, demo_users: Any, settings: Any) -> None:
        from zhicheng.catalogue.models import Series
        from zhicheng.evaluation.models import Committee
        from zhicheng.orgs.models import Organisation
        from zhicheng.seasons.models import CommitteePlan

        self.season = season
        self.settings = settings
        self.office = demo_users["gongxin_committee"]
        self.city = demo_users["city_office"]
        self.engineering = Series.objects.get(code="engineering")
        self.gongxin = Organisation.objects.get(short_name="市工信局")
        self.plan = CommitteePlan.objects.get(season=season, row=GONGXIN_PLAN_ROW)
        if self.plan.office_id is None:
            self.plan.office = self.gongxin
            self.plan.save()
        self.employer = Organisation.objects.get(name=DEMO_EMPLOYER)
        self.other = Organisation.objects.get(name=OTHER_EMPLOYER)
        self.neutral = Organisation.objects.filter(kind="employer").exclude(
            pk__in=[self.employer.pk, self.other.pk]).first()
        self.committee = Committee.objects.create(
            name=f"连云港市工程技术中级评委会{next(_counter)}", office=self.gongxin,
            specialties=[DEMO_SPECIALTY], levels=["intermediate"], by_specialty=True,
            term_start=dt.date(2023, 1, 1), term_end=dt.date(2025, 12, 31),
        )
        self.committee.series.add(self.engineering)
        self.committee.plans.add(self.plan)

    def today(self, value: str) -> dt.date:
        self.settings.ZHICHENG_TODAY = value
        return dt.date.fromisoformat(value)

    def user(self, name: str) -> Any:
        from zhicheng.accounts.models import User

        n = next(_counter)
        return User.objects.create_user(
            username=f"ev{n}", password=None, full_name=name, email=f"ev{n}@private.invalid",
            id_type="resident", id_number=resident_id(n), phone=f"137{n:08d}",
        )

    def expert(self, name: str = "专家", *, specialty: str = DEMO_SPECIALTY,
               level: str = "associate_senior", unit: Any = None, user: Any = None,
               active: bool = True) -> Any:
        from zhicheng.evaluation.models import Expert

        return Expert.objects.create(
            user=user or self.user(name), series=self.engineering, specialty=specialty,
            title_level=level, unit=unit or self.neutral, active=active,
            term_start=dt.date(2023, 1, 1), term_end=dt.date(2025, 12, 31),
        )

    def pool(self, n: int, **kwargs: Any) -> list[Any]:
        return [self.expert(f"专家{i}", **kwargs) for i in range(n)]

    def application(self, name: str = "张评审", *, employer: Any = None,
                    user: Any = None, work_history: list[dict[str, Any]] | None = None) -> Any:
        from zhicheng.applications.models import ApplicantProfile, Application

        applicant = user or self.user(name)
        if work_history is not None:
            ApplicantProfile.objects.create(
                user=applicant, employer=employer or self.employer, schema_version="1.0",
                facts={"work_history": work_history},
            )
        return Application.objects.create(
            applicant=applicant, season=self.season, plan=self.plan, series=self.engineering,
            specialty=DEMO_SPECIALTY, level="intermediate",
            state=State.READY_FOR_MEETING,  # test setup only
            employer=employer or self.employer,
            submitted_at=dt.datetime(2024, 8, 1, tzinfo=dt.UTC),
        )

    def meeting(self, *, date: dt.date = dt.date(2024, 10, 25), count: int = 5,
                reserve: int = 2, pass_rate: Decimal | None = None) -> Any:
        return ops.create_meeting(
            self.office, self.committee, self.season, date=date, place="市工信局三楼会议室",
            draw_spec=[{"specialty": DEMO_SPECIALTY, "level": "associate_senior",
                        "count": count, "reserve": reserve}],
            pass_rate=pass_rate,
        )

    def approved(self, **kwargs: Any) -> Any:
        m = self.meeting(**kwargs)
        ops.submit_opening_report(m, self.office)
        return ops.decide_opening_report(m, self.city, approve=True)

    def drawn(self, **kwargs: Any) -> Any:
        m = self.approved(**kwargs)
        ops.commit_draw(m, self.office)
        m = ops.run_draw(m, self.office)
        return ops.name_presiding(m, self.office, self.chair())

    def chair(self) -> Any:
        """The committee's chair (主任委员), who presides the meetings (人社部令第40号)."""
        from zhicheng.evaluation.models import CommitteeMember, MemberRole

        member = CommitteeMember.objects.filter(committee=self.committee,
                                                role=MemberRole.CHAIR).first()
        if member is None:
            member = CommitteeMember.objects.create(
                committee=self.committee,
                # another specialty: never drawn by the plans of these tests
                expert=self.expert("主任委员", specialty="评委会主任"),
                role=MemberRole.CHAIR)
        return member

    def opened(self, present: int | None = None, **kwargs: Any) -> Any:
        m = self.drawn(**kwargs)
        seats = [s for s in m.seats.all() if not s.reserve]
        chosen = seats if present is None else seats[:present]
        ops.record_attendance(m, self.office, [s.pk for s in chosen])
        self.today(m.date.isoformat())  # a meeting opens on its day, not before
        return ops.open_meeting(m, self.office)

    def vote_all(self, m: Any, choices: dict[int, list[str]]) -> dict[int, list[str]]:
        """choices: application pk -> list of choices, one per voter in seat order."""
        codes: dict[int, list[str]] = {}
        for case in m.cases.all():
            ops.open_ballot(case, self.office)
            votes = choices.get(case.application_id, [])
            for seat, choice in zip(queries.voters(case), votes, strict=False):
                codes.setdefault(case.application_id, []).append(
                    ops.cast_ballot(case, seat.expert.user, choice))
            ops.close_ballot(case, self.office)
        m.refresh_from_db()
        return codes


@pytest.fixture
def world(season: Any, demo_users: Any, settings: Any) -> World:
    return World(season, demo_users, settings)
