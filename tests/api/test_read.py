"""Read endpoints: the public catalogue and plan table, applications scoped exactly like the
web, filters, pagination limits, and a constant number of SQL queries per list."""

from __future__ import annotations

import pytest

from tests.factories.api import assert_error
from zhicheng.reviews.queries import reviewable

pytestmark = pytest.mark.django_db


def test_catalogue_and_plans_are_public(api, season):
    series = api.get("/api/catalogue/series").json()["items"]
    engineering = next(s for s in series if s["code"] == "engineering")
    assert any(t["name"] == "工程师" and t["level"] == "intermediate"
               for t in engineering["titles"])
    plans = api.get("/api/plans", limit=5).json()
    assert plans["limit"] == 5 and len(plans["items"]) == 5
    assert plans["count"] > 5
    market = api.get("/api/plans", q="质量工程").json()["items"]
    assert [p["row"] for p in market] == [41]
    july = api.get("/api/plans", month=7, limit=200).json()["items"]
    assert july and all(7 in p["acceptance_months"] for p in july)


def test_pagination_has_a_maximum(api, season):
    error = assert_error(api.get("/api/plans", limit=201), 422, "validation_error")
    assert error["details"][0]["field"] == "query.limit"
    page = api.get("/api/plans", limit=10, offset=10).json()
    first = api.get("/api/plans", limit=20).json()
    assert [p["id"] for p in page["items"]] == [p["id"] for p in first["items"][10:20]]


def test_district_token_sees_its_own_district_only(api, token, chain, official):
    app = chain.at_preliminary()  # an employer in 海州区, pre-checked by 海州区人社局
    own = token("海州区人社局", ["applications:read"])
    other = token("连云区人社局", ["applications:read"])
    assert [a["id"] for a in api.get("/api/applications", own).json()["items"]] == [app.pk]
    assert api.get(f"/api/applications/{app.pk}", own).json()["state"] == "preliminary_review"
    assert api.get("/api/applications", other).json()["items"] == []
    assert_error(api.get(f"/api/applications/{app.pk}", other), 404, "not_found")


def test_the_api_shows_what_the_web_shows(api, token, chain, demo_users):
    chain.at_preliminary()
    chain.at_committee()
    user = demo_users["haizhou_reviewer"]
    secret = token("海州区人社局", ["applications:read"], user=user)
    api_ids = {a["id"] for a in api.get("/api/applications", secret, limit=200).json()["items"]}
    assert api_ids == set(reviewable(user).values_list("pk", flat=True))
    assert len(api_ids) == 2


def test_filters(api, token, chain):
    waiting = chain.at_preliminary()
    moved = chain.at_committee()
    secret = token("海州区人社局", ["applications:read"])

    def ids(**params):
        return [a["id"] for a in api.get("/api/applications", secret, **params).json()["items"]]

    assert ids(state="preliminary_review") == [waiting.pk]
    assert ids(state="committee_recheck") == [moved.pk]
    assert set(ids(series="engineering", level="intermediate")) == {waiting.pk, moved.pk}
    assert ids(level="full_senior") == []
    assert set(ids(plan=waiting.plan_id)) == {waiting.pk, moved.pk}
    moved.refresh_from_db()
    assert ids(updated_since=moved.updated_at.isoformat()) == [moved.pk]
    assert_error(api.get("/api/applications", secret, state="nonsense"), 422)
    assert_error(api.get("/api/applications", secret, updated_since="1000-01-01T00:00:00"), 422)


def test_detail_has_the_trail_and_correction_list(api, token, chain, demo_users):
    from zhicheng.reviews import operations as rops

    app = chain.at_preliminary()
    reviewer = demo_users["haizhou_reviewer"]
    rops.request_corrections(app, reviewer, items=[
        {"target": "section:education", "problem": "毕业时间与学信网报告不一致"}])
    secret = token("海州区人社局", ["applications:read"])
    body = api.get(f"/api/applications/{app.pk}", secret).json()
    assert body["state"] == "correction_requested"
    assert [s["step"] for s in body["review_steps"]][-1] == "request_corrections"
    assert body["corrections"][0]["items"][0]["problem"] == "毕业时间与学信网报告不一致"
    assert len(body["materials"]) == 2


def test_list_runs_a_constant_number_of_queries(api, token, chain,
                                                django_assert_max_num_queries):
    secret = token("海州区人社局", ["applications:read"])
    apps = [chain.submitted() for _ in range(4)]  # inside the plan's window (5–7月)
    chain.at_preliminary(apps[0])
    with django_assert_max_num_queries(12) as one:
        assert len(api.get("/api/applications", secret).json()["items"]) == 1
    for app in apps[1:]:
        chain.at_preliminary(app)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api.get("/api/applications", secret).json()["items"]) == 4


def test_results_are_the_signed_tallies_in_scope(api, token, demo_season,
                                                 django_assert_max_num_queries):
    city = token("连云港市专业技术人员职称(职业资格)工作领导小组办公室", ["results:read"])
    with django_assert_max_num_queries(8):
        body = api.get("/api/results", city).json()
    assert body["count"] == 5 and len(body["items"]) == 5  # meeting 1: five applicants
    assert sum(1 for r in body["items"] if r["passed"]) == 4
    for r in body["items"]:
        assert 3 * r["agree"] >= 2 * r["attending"] or not r["passed"]
    passed = api.get("/api/results", city, passed="true").json()["items"]
    assert len(passed) == 4
    other = token("海州区人社局", ["results:read"])
    assert api.get("/api/results", other).json()["count"] == 5  # the demo employer's district
    elsewhere = token("连云区人社局", ["results:read"])
    assert api.get("/api/results", elsewhere).json()["count"] == 0


def test_results_state_the_vote_and_the_final_result_apart(api, token, demo_season):
    """One applicant passed the vote and was held back by the pass-rate ceiling: the vote's
    result says passed, the final result says not passed, and `?passed=true` (the final
    result) leaves them out while `?vote_passed=true` keeps them."""
    from zhicheng.evaluation.models import Case

    city = token("连云港市专业技术人员职称(职业资格)工作领导小组办公室", ["results:read"])
    items = api.get("/api/results", city).json()["items"]
    held = next(r for r in items if r["vote_passed"])
    # test setup: the office's ceiling decision, as decide_ceiling records it
    Case.objects.filter(application_id=held["application_id"], passed=True).update(
        held_back=True)
    items = {r["application_id"]: r for r in api.get("/api/results", city).json()["items"]}
    row = items[held["application_id"]]
    assert row["vote_passed"] is True and row["held_back"] is True
    assert row["passed"] is False and row["result"] == "held_back"
    assert row["result_label"] == "未通过（因通过率上限）"
    assert row["application_state_label"] and row["application_state_label"] != row[
        "application_state"]
    final = api.get("/api/results", city, passed="true").json()
    votes = api.get("/api/results", city, vote_passed="true").json()
    assert final["count"] == votes["count"] - 1 == 3
    assert held["application_id"] not in {r["application_id"] for r in final["items"]}
    assert all(r["passed"] == (r["result"] == "passed") for r in items.values())
    not_final = api.get("/api/results", city, passed="false").json()
    assert not_final["count"] == len(items) - 3
