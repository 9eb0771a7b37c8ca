"""The review chain: applicants, officials (with their second factor), and `chain`, which
drives an application through the real operations to any review stage (tests/reviews, and
the API, supervision and browser tests that need a real dossier)."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_FACTS, DEMO_PLAN_ROW, DEMO_SPECIALTY
from zhicheng.documents.placeholder import one_page_pdf

_counter = itertools.count(1)
START = "2024-07-15"  # plan 41 (质量工程, 市场监督管理局) accepts in 5–7月
OTHER_EMPLOYER = "连云港港湾新材料科技有限公司"  # 开发区, supervised by 市工信局
MARKET_OFFICE = "连云港市市场监督管理局"


def pdf_bytes(text: str = "zhicheng review material") -> bytes:
    return one_page_pdf(text)


def pdf_upload(name: str = "证书.pdf", text: str = "material") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


@pytest.fixture(autouse=True)
def _business_date(settings: Any, tmp_path: Any) -> None:
    settings.ZHICHENG_TODAY = START
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def today(settings: Any) -> Any:
    def set_today(value: str | dt.date) -> dt.date:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
        settings.ZHICHENG_TODAY = day.isoformat()
        return day

    return set_today


@pytest.fixture
def official(season: Any) -> Any:
    """A new official: official("unit_hr", "<organisation name>")."""
    from zhicheng.accounts.models import User
    from zhicheng.accounts.totp import activate_totp
    from zhicheng.demo.accounts import DEMO_TOTP_SECRET
    from zhicheng.orgs.models import Membership, Organisation

    def make(role: str, organisation: str, name: str = "") -> Any:
        n = next(_counter)
        user = User.objects.create_user(
            username=f"official{n}", password="pw-zhicheng-2024", full_name=name or f"官员{n}",
            email=f"official{n}@example.invalid",
        )
        Membership.objects.create(
            user=user, organisation=Organisation.objects.get(name=organisation), role=role
        )
        activate_totp(user, DEMO_TOTP_SECRET)
        return user

    return make


@pytest.fixture
def market_committee(official: Any) -> Any:
    return official("committee_office", MARKET_OFFICE, "刘秘书")


@pytest.fixture
def make_applicant(season: Any) -> Any:
    from zhicheng.accounts.models import User
    from zhicheng.applications.models import ApplicantProfile
    from zhicheng.applications.profiles import validate_facts
    from zhicheng.orgs.models import Organisation

    def make(employer: str | None = DEMO_EMPLOYER, *, freelancer: bool = False) -> Any:
        n = next(_counter)
        user = User.objects.create_user(
            username=f"rev_applicant{n}", password="pw-zhicheng-2024", full_name=f"申报人{n}",
            email=f"rev_applicant{n}@example.invalid",
        )
        facts = copy.deepcopy(DEMO_FACTS)
        if employer:
            facts["employment"]["employer"] = employer
        ApplicantProfile.objects.create(
            user=user, employer=Organisation.objects.get(name=employer) if employer else None,
            freelancer=freelancer, facts=validate_facts(facts), schema_version="1.0",
        )
        return user

    return make


class Chain:
    """Drives applications through the real operations (no state is set by hand)."""

    def __init__(self, settings: Any, users: dict[str, Any], make_applicant: Any,
                 committee: Any) -> None:
        self.settings = settings
        self.users = users
        self.make_applicant = make_applicant
        self.committee = committee

    def submitted(self, employer: str = DEMO_EMPLOYER, *, level: str = "intermediate",
                  materials: int = 2) -> Any:
        from zhicheng.applications import operations as ops
        from zhicheng.applications.models import Application
        from zhicheng.catalogue.models import Series
        from zhicheng.seasons.models import CommitteePlan

        user = self.make_applicant(employer)
        plan = CommitteePlan.objects.get(season__code="lianyungang-2024", row=DEMO_PLAN_ROW)
        app = ops.start_application(
            user, season=plan.season, plan=plan,
            series_id=Series.objects.get(code="engineering").pk, specialty=DEMO_SPECIALTY,
            level="intermediate", route="normal",
        )
        titles = ["助理工程师证书", "劳动合同", "年度考核表"]
        for i in range(materials):
            ops.add_material(
                app, user, pdf_upload(text=f"{titles[i]} {app.pk}"), kind="title" if i == 0
                else "contract", title=titles[i], document_date=dt.date(2019, 6, 30),
            )
        ops.accept_commitment(app, user, ip="127.0.0.1")
        ops.submit_application(app, user, token=f"tok-{app.pk}-{next(_counter)}")
        if level != "intermediate":
            # Test setup only: the demo facts qualify for 工程师; the senior route is
            # exercised by changing the requested level after a real submission.
            Application.objects.filter(pk=app.pk).update(level=level)
        return Application.objects.get(pk=app.pk)

    def unit_hr_for(self, app: Any) -> Any:
        from zhicheng.orgs.models import Membership

        m = Membership.objects.filter(organisation_id=app.employer_id, role="unit_hr").first()
        return m.user

    def reviewer_for(self, app: Any) -> Any:
        from zhicheng.orgs.models import Membership

        m = Membership.objects.filter(
            organisation_id=app.preliminary_reviewer_id, role="preliminary_reviewer"
        ).first()
        return m.user

    def unit_approved(self, app: Any) -> Any:
        from zhicheng.reviews import operations as rops

        hr = self.unit_hr_for(app)
        rops.unit_start_review(app, hr)
        rops.record_dossier_view(app, hr)
        sub = app.submissions.order_by("-number").first()
        rops.save_unit_check(app, hr, checked_ids=[m["id"] for m in sub.snapshot["materials"]],
                             opinion="情况属实，同意推荐。")
        rops.unit_approve(app, hr)
        app.refresh_from_db()
        return app

    def close_publicity(self, app: Any) -> None:
        from zhicheng.publicity.models import Publicity
        from zhicheng.publicity.operations import close_due_publicities

        p = Publicity.objects.filter(application=app).order_by("-pk").first()
        day = p.last_day + dt.timedelta(days=1)
        if dt.date.fromisoformat(self.settings.ZHICHENG_TODAY) < day:
            self.settings.ZHICHENG_TODAY = day.isoformat()
        close_due_publicities()

    def at_preliminary(self, app: Any | None = None, **kwargs: Any) -> Any:
        from zhicheng.reviews import operations as rops

        app = app or self.submitted(**kwargs)
        self.unit_approved(app)
        self.close_publicity(app)
        rops.unit_recommend(app, self.unit_hr_for(app))
        app.refresh_from_db()
        return app

    def at_committee(self, app: Any | None = None, **kwargs: Any) -> Any:
        from zhicheng.reviews import operations as rops

        app = self.at_preliminary(app, **kwargs)
        reviewer = self.reviewer_for(app)
        rops.record_dossier_view(app, reviewer)
        rops.preliminary_approve(app, reviewer)
        app.refresh_from_db()
        return app

    def accepted(self, app: Any | None = None, **kwargs: Any) -> Any:
        from zhicheng.reviews import operations as rops

        app = self.at_committee(app, **kwargs)
        rops.record_dossier_view(app, self.committee)
        rops.committee_accept(app, self.committee)
        app.refresh_from_db()
        return app


@pytest.fixture
def chain(settings: Any, demo_users: Any, make_applicant: Any, market_committee: Any) -> Chain:
    return Chain(settings, demo_users, make_applicant, market_committee)


@pytest.fixture
def haizhou_reviewer_user(demo_users: Any) -> Any:
    return demo_users["haizhou_reviewer"]
