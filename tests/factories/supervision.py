"""Supervision: a small season built row by row. Applications are placed directly in the
state a test needs (test setup only: in the product only states.fire() changes a state)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

HAIZHOU_EMPLOYER = "连云港海澜智能装备有限公司"  # 海州区, 民营企业
KAIFAQU_EMPLOYER = "连云港港湾新材料科技有限公司"  # 开发区, 民营企业
HOSPITAL = "连云港市第一人民医院（演示）"  # 海州区, 事业单位
_counter = itertools.count(1)


class Build:
    def __init__(self, season: Any) -> None:
        self.season = season

    def plan(self, row: int, season: Any = None) -> Any:
        from zhicheng.seasons.models import CommitteePlan

        return CommitteePlan.objects.select_related("office").get(
            season=season or self.season, row=row)

    def new_season(self, year: int, rows: tuple[int, ...] = (1, 2)) -> Any:
        """A season of another year with copies of the 2024 plan rows asked for."""
        from zhicheng.seasons.models import CommitteePlan, Season

        s = Season.objects.create(
            code=f"test-{year}", name=f"{year}年度", year=year, city="连云港",
            notice_number=f"连职称办〔{year}〕4号", notice_title=f"{year}年度职称评审工作",
            notice_date=dt.date(year, 4, 1), seniority_cutoff=dt.date(year, 12, 31),
            materials_cutoff=dt.date(year, 6, 30), evaluation_deadline=dt.date(year, 11, 30),
            committee_notice_due=dt.date(year, 5, 31),
            parameters=self.season.parameters,
        )
        for row in rows:
            p = self.plan(row)
            CommitteePlan.objects.create(
                season=s, row=p.row, specialty=p.specialty, office_name=p.office_name,
                office=p.office, acceptance_text=p.acceptance_text,
            )
        return s

    def person(self, *, sex: str = "M", born: dt.date | None = dt.date(1985, 5, 1)) -> Any:
        from zhicheng.accounts.models import User

        n = next(_counter)
        return User.objects.create_user(
            username=f"sup{n}", password=None, full_name=f"申报人{n}",
            email=f"sup{n}@example.invalid", sex=sex, birth_date=born,
        )

    def app(self, plan: Any, state: str, *, level: str = "intermediate",
            series: str = "engineering", employer: str | None = HAIZHOU_EMPLOYER,
            sex: str = "M", born: dt.date | None = dt.date(1985, 5, 1),
            route: str = "normal", submitted: dt.datetime | None = None) -> Any:
        from zhicheng.applications.models import Application
        from zhicheng.catalogue.models import Series
        from zhicheng.orgs.models import Organisation

        return Application.objects.create(
            applicant=self.person(sex=sex, born=born), season=plan.season, plan=plan,
            series=Series.objects.get(code=series), specialty=plan.specialty, level=level,
            route=route, state=state,  # test setup only
            employer=Organisation.objects.get(name=employer) if employer else None,
            freelancer=employer is None,
            submitted_at=submitted or dt.datetime(2024, 7, 1, 9, tzinfo=dt.UTC),
        )

    def correction(self, app: Any, due: dt.date, status: str = "open") -> Any:
        from zhicheng.applications.models import Submission
        from zhicheng.orgs.models import Organisation
        from zhicheng.reviews.models import CorrectionRequest

        sub = Submission.objects.create(
            application=app, number=1, snapshot={}, sha256="0" * 64,
            token=f"sup-{app.pk}-{next(_counter)}", created_by=app.applicant,
        )
        return CorrectionRequest.objects.create(
            application=app, number=1,
            reviewer=Organisation.objects.filter(kind="district_bureau").first(),
            requested_by=app.applicant, items=[{"target": "section:education", "label": "学历",
                                                "problem": "缺少学信网报告"}],
            due_date=due, submission=sub, status=status,
        )

    def unit_publicity(self, app: Any, first: dt.date, last: dt.date) -> Any:
        from zhicheng.publicity.models import Publicity

        return Publicity.objects.create(
            application=app, kind="unit", organisation=app.employer, first_day=first,
            last_day=last, required_workdays=5, parameter="unit_publicity_workdays",
            clause="四（二）",
        )

    def step(self, app: Any, at: dt.datetime, step: str = "preliminary_approve") -> Any:
        from zhicheng.reviews.models import ReviewStep

        return ReviewStep.objects.create(application=app, step=step, actor_label="测试",
                                         created_at=at)

    def committee(self, plan: Any) -> Any:
        from zhicheng.evaluation.models import Committee

        c = Committee.objects.create(
            name=f"测试评委会{next(_counter)}", office=plan.office, levels=["intermediate"],
            term_start=dt.date(2023, 1, 1), term_end=dt.date(2025, 12, 31),
        )
        c.plans.add(plan)
        return c

    def meeting(self, committee: Any, state: str, day: dt.date, season: Any = None) -> Any:
        from zhicheng.evaluation.models import Meeting

        return Meeting.objects.create(committee=committee, season=season or self.season,
                                      date=day, place="会议室", state=state)

    def data_report(self, meeting: Any, *, due: dt.date, sent: dt.date | None = None,
                    results: list[tuple[str, str, str]] | None = None,
                    drawn: int = 7, present: int = 6) -> Any:
        """results: (series code, level, "passed"|"not_passed") per applicant."""
        from zhicheng.evaluation.models import DataReport

        payload: dict[str, Any] = {}
        if sent is not None:
            results = results or []
            passed = sum(1 for r in results if r[2] == "passed")
            payload = {
                "schema": "zhicheng.data-report", "schema_version": "1.0",
                "meeting": {"id": meeting.pk, "experts_drawn": drawn,
                            "experts_present": present},
                "summary": {"roster": len(results), "passed": passed,
                            "not_passed": len(results) - passed},
                "applicants": [
                    {"series": s, "level": lv, "result": res, "held_back_by_pass_rate": False}
                    for s, lv, res in results
                ],
            }
        return DataReport.objects.create(meeting=meeting, due_on=due, sent_on=sent,
                                         payload=payload, sha256="0" * 64 if sent else "")


@pytest.fixture
def build(season: Any) -> Build:
    return Build(season)
