"""Review actions through the API call the same operations as the web: permission, state and
audit come from the operation; refusals map to 403/404/409/422."""

from __future__ import annotations

import pytest

from tests.factories.api import assert_error
from zhicheng.applications.models import Application
from zhicheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _material_ids(app):
    return [m["id"] for m in app.submissions.order_by("-number").first().snapshot["materials"]]


def test_preliminary_approve_writes_the_audit_event_as_the_named_official(
        api, token, chain, demo_users):
    app = chain.at_preliminary()
    reviewer = demo_users["haizhou_reviewer"]
    secret = token("海州区人社局", ["applications:read", "reviews:write"], user=reviewer)
    url = f"/api/applications/{app.pk}/preliminary/approve"
    # Not opened yet: refused by the operation (no approval without reading the dossier).
    error = assert_error(api.post(url, secret), 409, "state_conflict")
    assert "查阅" in error["message"]
    assert api.post(f"/api/applications/{app.pk}/dossier-view", secret).status_code == 200
    response = api.post(url, secret)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "committee_recheck"
    event = AuditEvent.objects.filter(action="review.preliminary_approve").last()
    assert event.actor == reviewer and event.target_id == str(app.pk)
    # Done twice: the state machine refuses it now.
    assert_error(api.post(url, secret), 409)


def test_a_token_without_the_write_scope_cannot_write(api, token, chain, demo_users):
    app = chain.at_preliminary()
    secret = token("海州区人社局", ["applications:read"], user=demo_users["haizhou_reviewer"])
    before = AuditEvent.objects.count()
    assert_error(api.post(f"/api/applications/{app.pk}/preliminary/reject", secret,
                          {"reasons": "资历不足"}), 403, "not_permitted")
    assert Application.objects.get(pk=app.pk).state == "preliminary_review"
    assert AuditEvent.objects.count() == before


def test_another_districts_token_gets_404_and_changes_nothing(api, token, chain, official):
    app = chain.at_preliminary()
    outsider = official("preliminary_reviewer", "连云区人社局")
    secret = token("连云区人社局", ["reviews:write"], user=outsider)
    assert_error(api.post(f"/api/applications/{app.pk}/preliminary/reject", secret,
                          {"reasons": "资历不足"}), 404, "not_found")
    assert Application.objects.get(pk=app.pk).state == "preliminary_review"


def test_correction_list_and_validation(api, token, chain, demo_users):
    app = chain.at_preliminary()
    secret = token("海州区人社局", ["reviews:write"], user=demo_users["haizhou_reviewer"])
    url = f"/api/applications/{app.pk}/preliminary/corrections"
    error = assert_error(api.post(url, secret, {"items": []}), 422, "validation_error")
    assert error["details"][0]["field"].endswith("items")
    assert_error(api.post(url, secret, {"items": [{"target": "section:nowhere",
                                                    "problem": "x"}]}), 422)
    mid = _material_ids(app)[0]
    response = api.post(url, secret, {"items": [
        {"target": "section:education", "problem": "毕业时间与学信网报告不一致"},
        {"target": f"material:{mid}", "problem": "扫描件不清晰"},
    ], "due_date": "2024-08-15"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "correction_requested"
    assert app.correction_requests.get().due_date.isoformat() == "2024-08-15"


def test_unit_check_approve_and_committee_accept(api, token, chain, demo_users):
    app = chain.submitted()
    hr = demo_users["unit_hr"]
    unit = token("连云港海澜智能装备有限公司", ["reviews:write"], user=hr)
    assert api.post(f"/api/applications/{app.pk}/unit/start", unit).json()["state"] == (
        "unit_review")
    api.post(f"/api/applications/{app.pk}/dossier-view", unit)
    check = api.post(f"/api/applications/{app.pk}/unit/check", unit,
                     {"checked_material_ids": _material_ids(app), "opinion": "情况属实。"},
                     method="put")
    assert check.status_code == 200 and check.json()["opinion"] == "情况属实。"
    assert api.post(f"/api/applications/{app.pk}/unit/approve", unit).json()["state"] == (
        "unit_publicity")
    chain.close_publicity(app)
    assert api.post(f"/api/applications/{app.pk}/unit/recommend", unit).json()["state"] == (
        "preliminary_review")
    # The unit still sees the dossier, but the re-check is another office's step.
    assert_error(api.post(f"/api/applications/{app.pk}/committee/accept", unit), 403)


def test_committee_accept_opens_the_pre_evaluation_publicity(api, token, chain):
    from tests.factories.reviews import MARKET_OFFICE

    app = chain.at_committee()
    office = token(MARKET_OFFICE, ["reviews:write"], user=chain.committee)
    api.post(f"/api/applications/{app.pk}/dossier-view", office)
    response = api.post(f"/api/applications/{app.pk}/committee/accept", office)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "pre_evaluation_publicity"
    assert AuditEvent.objects.filter(action="review.committee_accept",
                                     actor=chain.committee).count() == 1


def test_blank_reasons_are_a_validation_error_and_change_nothing(api, token, chain, demo_users):
    app = chain.at_preliminary()
    secret = token("海州区人社局", ["reviews:write"], user=demo_users["haizhou_reviewer"])
    url = f"/api/applications/{app.pk}/preliminary/reject"
    error = assert_error(api.post(url, secret, {"reasons": "   "}), 422, "validation_error")
    assert error["details"][0]["field"] == "reasons"
    assert_error(api.post(url, secret, {"reasons": "资历\u0000不足"}), 422)
    assert Application.objects.get(pk=app.pk).state == "preliminary_review"
