from __future__ import annotations

import pytest

from zhicheng.accounts.totp import activate_totp
from zhicheng.core.models import AuditEvent
from zhicheng.demo.accounts import DEMO_TOTP_SECRET
from zhicheng.orgs.models import Organisation
from zhicheng.seasons.models import CommitteePlan, DataWarning, PlanSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    """A superuser with the second factor staff must have (accounts.middleware)."""
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "x")
    activate_totp(root, DEMO_TOTP_SECRET)
    client.force_login(root)
    return client


MODELS = [
    "orgs/district",
    "orgs/organisation",
    "orgs/membership",
    "catalogue/series",
    "catalogue/specialty",
    "catalogue/title",
    "seasons/season",
    "seasons/committeeplan",
    "seasons/datawarning",
    "seasons/notice",
    "core/calendaryear",
    "core/calendarday",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_pages_open(admin_client, season, model):
    assert admin_client.get(f"/admin/{model}/").status_code == 200
    assert admin_client.get(f"/admin/{model}/add/").status_code == 200
    assert admin_client.get(f"/admin/{model}/?q=市").status_code == 200


def test_admin_change_pages_open(admin_client, season):
    plan = CommitteePlan.objects.get(season=season, row=50)
    assert admin_client.get(f"/admin/seasons/committeeplan/{plan.pk}/change/").status_code == 200
    org = Organisation.objects.exclude(credit_code=None).first()
    assert admin_client.get(f"/admin/orgs/organisation/{org.pk}/change/").status_code == 200


def plan_form(season, **extra):
    data = {
        "season": season.pk,
        "row": 21,
        "specialty": "补录专业",
        "office_name": "市教育局",
        "phone": "85800000",
        "address": "海州区",
        "acceptance_text": "7月",
        "evaluation_text": "10月",
        "remarks": "",
    }
    data.update(extra)
    return data


def test_office_fills_a_missing_row_and_it_is_audited(admin_client, season, client):
    before = AuditEvent.objects.count()
    response = admin_client.post("/admin/seasons/committeeplan/add/", plan_form(season))
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = CommitteePlan.objects.get(season=season, row=21)
    assert plan.source == PlanSource.OFFICE
    assert plan.acceptance_mask == 1 << 7
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "seasons.committeeplan.add"
    html = client.get("/plans/").content.decode()
    assert "原文缺失第22–40行" in html and "市职称办补录" in html


def test_bad_window_is_refused_with_the_reason(admin_client, season):
    response = admin_client.post(
        "/admin/seasons/committeeplan/add/", plan_form(season, acceptance_text="13月")
    )
    assert response.status_code == 200
    assert "1–12月" in response.content.decode()
    assert not CommitteePlan.objects.filter(season=season, row=21).exists()


def test_bad_credit_code_shows_the_chinese_reason(admin_client, season):
    response = admin_client.post(
        "/admin/orgs/organisation/add/",
        {
            "name": "测试单位",
            "short_name": "",
            "kind": "employer",
            "credit_code": "91320700MA1X",
            "employer_type": "",
            "phone": "",
            "address": "",
        },
    )
    assert response.status_code == 200
    assert "统一社会信用代码应为18位" in response.content.decode()


def test_mark_warnings_resolved(admin_client, season):
    warning = DataWarning.objects.filter(season=season, row=61).first()
    before = AuditEvent.objects.count()
    response = admin_client.post(
        "/admin/seasons/datawarning/",
        {"action": "mark_resolved", "_selected_action": [warning.pk]},
    )
    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.resolved
    assert AuditEvent.objects.count() == before + 1
