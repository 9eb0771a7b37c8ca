"""Starting, submitting and withdrawing an application."""

from __future__ import annotations

import copy
import datetime as dt
import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from zhicheng.applications import operations as ops
from zhicheng.applications.models import (
    Application,
    ImmutableError,
    Notification,
    Submission,
    snapshot_hash,
)
from zhicheng.applications.states import State
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import OperationError, StateConflict
from zhicheng.demo.applications import DEMO_FACTS

pytestmark = pytest.mark.django_db


def facts(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(DEMO_FACTS)
    data.update(changes)
    return data


TOO_RECENT_TITLE = [{**DEMO_FACTS["titles"][0], "date": "2021-06-30"}]
UNDATED_SANCTION = [{"kind": "administrative", "name": "警告", "decided_on": "2018-03-01"}]


# --- the plan window ---------------------------------------------------------------------


def test_a_plan_open_today_can_be_chosen(make_applicant: Any, make_draft: Any) -> None:
    app = make_draft(make_applicant())
    assert app.state == State.DRAFT and app.plan.row == 41


def test_a_closed_plan_says_when_it_opens(
    settings: Any, make_applicant: Any, make_draft: Any
) -> None:
    settings.ZHICHENG_TODAY = "2024-04-10"  # row 41 accepts 5月-7月
    with pytest.raises(OperationError, match="将于5月开始受理"):
        make_draft(make_applicant())


def test_a_plan_whose_window_has_passed_says_so(
    settings: Any, make_applicant: Any, make_draft: Any
) -> None:
    settings.ZHICHENG_TODAY = "2024-09-02"
    with pytest.raises(OperationError, match="受理已结束"):
        make_draft(make_applicant())


def test_a_plan_of_another_series_is_refused(
    make_applicant: Any, season: Any, plan: Any, engineering: Any
) -> None:
    with pytest.raises(OperationError, match="不受理该系列"):
        ops.start_application(
            make_applicant(), season=season, plan=plan(42), series_id=engineering.pk,
            specialty="质量工程", level="intermediate", route="normal",
        )


# --- one per season, one committee per unit ----------------------------------------------


def test_one_application_per_applicant_and_season(make_applicant: Any, make_draft: Any) -> None:
    user = make_applicant()
    first = make_draft(user)
    with pytest.raises(OperationError, match="同一年度"):
        make_draft(user, level="assistant")
    # The database refuses it too, whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            applicant=user, season=first.season, plan=first.plan, series=first.series,
            specialty="质量工程", level="assistant",
        )
    # A withdrawn application frees the year.
    ops.withdraw_application(first, user)
    assert make_draft(user).pk != first.pk


def test_colleagues_of_the_same_unit_series_and_level_go_to_the_same_committee(
    make_applicant: Any, make_draft: Any, ready_draft: Any
) -> None:
    first = ready_draft(make_applicant())
    ops.submit_application(first, first.applicant, token="t-colleague-1")
    with pytest.raises(OperationError, match="41. 质量工程") as refused:
        make_draft(make_applicant(), row=57)  # 科学技术普及: also engineering, also open
    assert "（四）" in str(refused.value)
    assert make_draft(make_applicant(), row=41).plan.row == 41
    # Another unit may choose another committee.
    assert make_draft(make_applicant("连云港市云台山文化发展促进会"), row=57).plan.row == 57
    # Another level may too.
    assert make_draft(make_applicant(), row=57, level="assistant").plan.row == 57


# --- the decision gates submission ---------------------------------------------------------


def test_submission_is_refused_while_a_finding_fails(
    make_applicant: Any, ready_draft: Any
) -> None:
    app = ready_draft(make_applicant(facts=facts(titles=TOO_RECENT_TITLE)))
    with pytest.raises(StateConflict, match="资历不足"):
        ops.submit_application(app, app.applicant, token="t-fail")
    app.refresh_from_db()
    assert app.state == State.DRAFT and not app.submissions.exists()


def test_needs_review_passes_only_with_an_explanation(
    make_applicant: Any, ready_draft: Any
) -> None:
    app = ready_draft(make_applicant(facts=facts(sanctions=UNDATED_SANCTION)))
    with pytest.raises(StateConflict, match="情况说明"):
        ops.submit_application(app, app.applicant, token="t-review-1")
    sub = ops.submit_application(
        app, app.applicant, token="t-review-2",
        explanation="2018年警告处分影响期6个月，已于2018年9月期满，附处分解除文件。",
    )
    assert sub.snapshot["application"]["explanation"].startswith("2018年警告")
    assert sub.snapshot["decision"]["verdict"] == "needs_review"


def test_submission_needs_the_commitment_and_a_material(
    make_applicant: Any, make_draft: Any
) -> None:
    user = make_applicant()
    app = make_draft(user)
    with pytest.raises(StateConflict, match="承诺书"):
        ops.submit_application(app, user, token="t-nocommit")
    ops.accept_commitment(app, user, ip="203.0.113.7")
    with pytest.raises(StateConflict, match="至少上传一份"):
        ops.submit_application(app, user, token="t-nomaterial")


# --- the snapshot ---------------------------------------------------------------------------


def test_submission_freezes_an_immutable_hashed_snapshot(
    make_applicant: Any, ready_draft: Any
) -> None:
    app = ready_draft(make_applicant(name="赵工"))
    sub = ops.submit_application(app, app.applicant, token="t-snap")
    app.refresh_from_db()
    assert app.state == State.SUBMITTED and app.submitted_at is not None
    snap = sub.snapshot
    assert snap["applicant"]["name"] == "赵工"
    assert snap["profile"]["request"]["plan_row"] == 41
    assert snap["decision"]["verdict"] == "eligible"
    material = app.materials.get()
    assert snap["materials"][0]["sha256"] == material.sha256 and len(material.sha256) == 64
    assert snap["commitment"]["ip"] == "127.0.0.1" and "真实可靠" in snap["commitment"]["text"]
    assert sub.sha256 == snapshot_hash(snap) and sub.verify()
    with pytest.raises(ImmutableError):
        sub.save()
    with pytest.raises(ImmutableError):
        sub.delete()
    # Tampering with the stored JSON is detected by the hash.
    Submission.objects.filter(pk=sub.pk).update(snapshot={**snap, "number": 9})
    assert not Submission.objects.get(pk=sub.pk).verify()
    # After submission the profile may change; the snapshot does not.
    assert Notification.objects.filter(user=app.applicant, kind="application.submitted").exists()
    submits = AuditEvent.objects.filter(action="application.submit", target_id=str(app.pk))
    assert submits.count() == 1


def test_a_double_click_submits_once(make_applicant: Any, ready_draft: Any) -> None:
    app = ready_draft(make_applicant())
    first = ops.submit_application(app, app.applicant, token="t-double")
    again = ops.submit_application(app, app.applicant, token="t-double")
    assert again.pk == first.pk
    with pytest.raises(StateConflict):
        ops.submit_application(app, app.applicant, token="t-other-tab")
    assert Submission.objects.filter(application=app).count() == 1
    submits = AuditEvent.objects.filter(action="application.submit", target_id=str(app.pk))
    assert submits.count() == 1


# --- routing (四, 四（三）) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("employer", "freelancer", "reviewer"),
    [
        ("连云港海澜智能装备有限公司", False, "海州区人社局"),  # district bureau
        ("连云港港湾新材料科技有限公司", False, "市工信局"),  # supervising department
        ("连云港市云台山文化发展促进会", False, "市人才服务中心"),  # agency-managed
        (None, True, "市人才服务中心"),  # freelancer
    ],
)
def test_routing(
    make_applicant: Any, ready_draft: Any, employer: str | None, freelancer: bool, reviewer: str
) -> None:
    user = make_applicant(employer, freelancer=freelancer)
    app = ready_draft(user)
    sub = ops.submit_application(app, user, token=f"t-route-{reviewer}-{freelancer}")
    app.refresh_from_db()
    org = app.preliminary_reviewer
    assert org is not None and reviewer in {org.name, org.short_name}
    assert app.freelancer is freelancer
    assert (app.employer.name if app.employer else None) == employer
    assert sub.snapshot["routing"]["preliminary_reviewer"]["name"] == org.name


def test_no_employer_no_submission(make_applicant: Any, ready_draft: Any) -> None:
    user = make_applicant(None)
    app = ready_draft(user)
    with pytest.raises(StateConflict, match="工作单位"):
        ops.submit_application(app, user, token="t-noemployer")


# --- withdrawal -----------------------------------------------------------------------------


def test_withdraw_before_the_unit_acts_only(make_applicant: Any, ready_draft: Any) -> None:
    user = make_applicant()
    app = ready_draft(user)
    ops.submit_application(app, user, token="t-w")
    Application.objects.filter(pk=app.pk).update(state=State.UNIT_REVIEW)
    app.refresh_from_db()
    with pytest.raises(StateConflict):
        ops.withdraw_application(app, user)
    Application.objects.filter(pk=app.pk).update(state=State.SUBMITTED)
    ops.withdraw_application(app, user, reason="换单位")
    app.refresh_from_db()
    assert app.state == State.WITHDRAWN


def test_someone_else_cannot_submit_or_withdraw(make_applicant: Any, ready_draft: Any) -> None:
    app = ready_draft(make_applicant())
    intruder = make_applicant()
    with pytest.raises(OperationError):
        ops.submit_application(app, intruder, token="t-intruder")
    with pytest.raises(OperationError):
        ops.withdraw_application(app, intruder)
    app.refresh_from_db()
    assert app.state == State.DRAFT


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_make_one_submission(make_applicant: Any, ready_draft: Any) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("row locks need PostgreSQL")
    app = ready_draft(make_applicant())
    results: list[Any] = []

    def click(token: str) -> None:
        try:
            results.append(ops.submit_application(app, app.applicant, token=token).pk)
        except StateConflict as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(f"t-c{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Submission.objects.filter(application=app).count() == 1
    assert sum(isinstance(r, int) for r in results) == 1


@pytest.mark.django_db(transaction=True)
def test_a_submit_that_waited_for_a_change_of_plan_submits_the_changed_draft(
    make_applicant: Any, ready_draft: Any
) -> None:
    """The submission reads the draft's plan with the row's lock: when another window changed
    the plan while the submission waited for that lock, it submits the draft as changed."""
    if connection.vendor == "sqlite":
        pytest.skip("row locks need PostgreSQL")
    from zhicheng.core import clock
    from zhicheng.seasons.models import CommitteePlan

    app = ready_draft(make_applicant())
    today = clock.today()
    other = next((
        p for p in CommitteePlan.objects.filter(season=app.season).exclude(pk=app.plan_id)
        .prefetch_related("series")
        if p.is_open_on(today) and app.series_id in {s.pk for s in p.series.all()}
    ), None)
    assert other is not None, "the 2024 season has several open plans of this series"
    locked, release = threading.Event(), threading.Event()

    def other_window() -> None:
        try:
            with transaction.atomic():
                Application.objects.select_for_update().get(pk=app.pk)
                Application.objects.filter(pk=app.pk).update(plan=other)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    editor = threading.Thread(target=other_window)
    editor.start()
    assert locked.wait(10)
    threading.Timer(0.5, release.set).start()
    # The other plan's decision asks for an explanation of what needs review: given here.
    submission = ops.submit_application(app, app.applicant, token="t-changed",
                                        explanation="已按新选择的评审计划逐项说明。")
    editor.join()
    assert submission.snapshot["application"]["plan"]["id"] == other.pk
    app.refresh_from_db()
    assert app.plan_id == other.pk


def test_dates_of_the_business_clock_are_used(make_applicant: Any, ready_draft: Any) -> None:
    app = ready_draft(make_applicant())
    sub = ops.submit_application(app, app.applicant, token="t-date")
    request = sub.snapshot["profile"]["request"]
    assert request["application_date"] == dt.date(2024, 7, 15).isoformat()


# --- what a submission costs ------------------------------------------------------------------


def test_a_submission_runs_the_same_queries_every_time(
    make_applicant: Any, ready_draft: Any
) -> None:
    """Its reads are compiled once (core.prepared): a second submission runs the same
    statements, and the row is written by one UPDATE (the state with the routing)."""
    from django.test.utils import CaptureQueriesContext

    runs = []
    for n in range(3):  # the first fills the caches (season data, compiled reads)
        user = make_applicant()
        app = ready_draft(user)
        with CaptureQueriesContext(connection) as ctx:
            ops.submit_application(app, user, token=f"t-count-{n}")
        runs.append([q["sql"] for q in ctx.captured_queries
                     if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))])
    assert len(runs[1]) == len(runs[2])
    updates = [q for q in runs[2] if q.startswith('UPDATE "applications_application" SET')]
    # The state and the routing in one statement, then the worklist keys.
    assert len(updates) == 2 and '"state"' in updates[0] and '"preliminary_reviewer_id"' in \
        updates[0] and '"due_on"' in updates[1]
    # The token, the locking read (which tells that there are no integrity records) and its
    # materials, the reviewer, the employer's lock, the colleagues, the two UPDATEs, the
    # submissions' count, the submission, two notices with their deliveries and the office's
    # members, the audit event and its chaining (4).
    assert len(runs[2]) == 20, "\n".join(runs[2])


def test_a_submission_writes_the_routing_and_the_decided_version(
    make_applicant: Any, ready_draft: Any
) -> None:
    """The one UPDATE saves every column the submission changed."""
    user = make_applicant()
    app = ready_draft(user)
    before = Application.objects.get(pk=app.pk)
    sub = ops.submit_application(app, user, token="t-columns", explanation="  说明。 ")
    after = Application.objects.get(pk=app.pk)
    assert after.state == State.SUBMITTED and after.version == before.version + 1
    assert after.explanation == "说明。" and after.submitted_at is not None
    assert after.employer_id == user.applicant_profile.employer_id is not None
    assert after.preliminary_reviewer_id == sub.snapshot["routing"]["preliminary_reviewer"]["id"]
    assert after.season_version_id == after.season.published_version_id is not None
    assert after.received_at == after.submitted_at  # the worklist keys were refreshed
    assert after.updated_at >= before.updated_at and after.created_at == before.created_at
    assert sub.snapshot["submitted_at"] == after.submitted_at.isoformat()
    assert [m["id"] for m in sub.snapshot["materials"]] == list(
        after.materials.order_by("uploaded_at", "pk").values_list("pk", flat=True))
    event = AuditEvent.objects.get(action="application.submit", target_id=str(app.pk))
    assert event.data["submission"] == sub.pk and event.data["number"] == 1
    assert event.data["season_version"] == after.season_version.number
    assert event.data["preliminary_reviewer"] == after.preliminary_reviewer_id


def test_a_refused_submission_changes_nothing(make_applicant: Any, ready_draft: Any) -> None:
    """The routing is set before fire() so that one UPDATE writes it; a refusal after the
    guards (no reviewer) rolls it back."""
    from zhicheng.orgs.models import Organisation

    user = make_applicant("连云港海澜智能装备有限公司")  # a district bureau reviews it
    app = ready_draft(user)
    Organisation.objects.filter(kind="district_bureau").update(kind="city_department")
    with pytest.raises(OperationError, match="无法确定初审单位"):
        ops.submit_application(app, user, token="t-noreviewer")
    after = Application.objects.get(pk=app.pk)
    assert after.state == State.DRAFT and after.preliminary_reviewer_id is None
    assert after.submitted_at is None and after.version == app.version
    assert not Submission.objects.filter(application=app).exists()


def test_an_integrity_record_still_refuses_the_submission_and_shows_in_the_precheck(
    make_applicant: Any, ready_draft: Any, demo_users: dict[str, Any]
) -> None:
    """The submission's locking read and the pre-check's profile tell whether the person has
    records (integrity.queries.HAS_RECORDS) so that most decisions skip that query; a person
    with one is still refused, by both paths."""
    from django.test import Client
    from django.urls import reverse

    from zhicheng.integrity.operations import write_record

    user = make_applicant()
    app = ready_draft(user)
    write_record(demo_users["city_office"], subject_kind="person", person=user, reason="fraud",
                 description="伪造业绩证明", decision_number="连职称办〔2024〕40号")
    c = Client()
    c.force_login(user)
    r = c.post(reverse("applications:precheck_application", args=[app.pk]), {
        "plan": app.plan_id, "series": app.series.code, "specialty": app.specialty,
        "level": app.level, "route": app.route, "explanation": "", "version": app.version,
    }, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert 'data-rule="integrity.record"' in html and 'data-verdict="ineligible"' in html
    with pytest.raises(StateConflict, match="诚信档案"):
        ops.submit_application(app, user, token="t-record")
    assert Application.objects.get(pk=app.pk).state == State.DRAFT
