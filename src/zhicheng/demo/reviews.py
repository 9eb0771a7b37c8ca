"""Demo data for `make run`: one fictional application waiting in unit review, so the demo
unit HR (陈经理, 连云港海澜智能装备有限公司) has a dossier in the worklist at /review/.

Idempotent: does nothing when the demo applicant 张华 already has an application."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings

from zhicheng.accounts.models import User
from zhicheng.applications import operations as aops
from zhicheng.applications.models import ApplicantProfile, Application
from zhicheng.applications.profiles import validate_facts
from zhicheng.catalogue.models import Series
from zhicheng.core.actors import Actor
from zhicheng.core.operations import operation
from zhicheng.demo.accounts import DEMO_PASSWORD
from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_FACTS, DEMO_PLAN_ROW, DEMO_SPECIALTY
from zhicheng.documents.placeholder import one_page_pdf
from zhicheng.orgs.models import Membership, Organisation, Role
from zhicheng.reviews.operations import unit_start_review
from zhicheng.seasons.models import CommitteePlan

DEMO_REVIEW_USERNAME = "applicant_review"
DEMO_REVIEW_DATE = "2024-07-15"  # inside plan 41's acceptance window (5–7月)


def _pdf(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{text}.pdf", one_page_pdf(text), content_type="application/pdf")


def seed_review_demo(actor: Actor) -> Any:
    """Create 张华's application through the real operations and start the unit review."""
    employer = Organisation.objects.filter(name=DEMO_EMPLOYER).first()
    plan = CommitteePlan.objects.filter(row=DEMO_PLAN_ROW, season__is_current=True).first()
    plan = plan or CommitteePlan.objects.filter(row=DEMO_PLAN_ROW).first()
    hr = Membership.objects.filter(organisation=employer, role=Role.UNIT_HR, active=True).first()
    if employer is None or plan is None or hr is None:
        return None
    user = User.objects.filter(username=DEMO_REVIEW_USERNAME).first()
    if user is not None and Application.objects.filter(applicant=user).exists():
        return Application.objects.filter(applicant=user).first()
    with override_settings(ZHICHENG_TODAY=DEMO_REVIEW_DATE):
        if user is None:
            with operation(actor, "demo.review_applicant") as op:
                user = User.objects.create_user(
                    username=DEMO_REVIEW_USERNAME, password=DEMO_PASSWORD, full_name="张华",
                    email=f"{DEMO_REVIEW_USERNAME}@demo.invalid",
                )
                facts = copy.deepcopy(DEMO_FACTS)
                ApplicantProfile.objects.create(
                    user=user, employer=employer, facts=validate_facts(facts),
                    schema_version=facts["schema_version"],
                )
                op.obj = user
                op.summary = "演示数据：待单位审核的申报人张华"
        app = aops.start_application(
            user, season=plan.season, plan=plan,
            series_id=Series.objects.get(code="engineering").pk, specialty=DEMO_SPECIALTY,
            level="intermediate", route="normal",
        )
        for title, kind in (("助理工程师证书", "title"), ("劳动合同", "contract")):
            aops.add_material(app, user, _pdf(title), kind=kind, title=title,
                              document_date=dt.date(2019, 6, 30))
        aops.accept_commitment(app, user, ip="127.0.0.1")
        aops.submit_application(app, user, token=f"demo-review-{app.pk}")
        unit_start_review(Application.objects.get(pk=app.pk), hr.user)
    return Application.objects.get(pk=app.pk)
