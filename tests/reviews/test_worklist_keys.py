"""The worklist's stored order (Application.due_on, .received_at): kept by the operations in
their transaction, filled for existing rows by the data migration, and giving the same order
and deadlines as the subqueries the worklist used to compute on every request."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from zhicheng.applications.models import Application
from zhicheng.publicity.models import Publicity
from zhicheng.reviews import operations as rops
from zhicheng.reviews.models import CorrectionRequest, CorrectionStatus, ReviewStep
from zhicheng.reviews.queries import worklist

pytestmark = pytest.mark.django_db


def _computed() -> dict[int, tuple]:
    """The deadline and receipt as the worklist computed them before they were stored."""
    open_due = CorrectionRequest.objects.filter(
        application=OuterRef("pk"), status=CorrectionStatus.OPEN).values("due_date")[:1]
    publicity_end = Publicity.objects.filter(
        application=OuterRef("pk"), closed_at__isnull=True).order_by("-round").values(
        "last_day")[:1]
    last_step = ReviewStep.objects.filter(application=OuterRef("pk")).order_by(
        "-created_at", "-pk").values("created_at")[:1]
    rows = Application.objects.annotate(
        old_deadline=Coalesce(Subquery(open_due), Subquery(publicity_end)),
        old_received=Coalesce(Subquery(last_step), F("submitted_at")),
    ).values_list("pk", "old_deadline", "old_received")
    return {pk: (deadline, received) for pk, deadline, received in rows}


def _stored() -> dict[int, tuple]:
    return {pk: (due, received) for pk, due, received in
            Application.objects.values_list("pk", "due_on", "received_at")}


@pytest.fixture
def dossiers(chain, demo_users):
    """Dossiers at the stages that set a deadline: submitted, in unit publicity, at the
    preliminary review, with an open correction request, and answered corrections."""
    reviewer = demo_users["haizhou_reviewer"]
    plain = chain.at_preliminary()
    corrected = chain.at_preliminary()
    rops.record_dossier_view(corrected, reviewer)
    mid = corrected.submissions.get().snapshot["materials"][0]["id"]
    rops.request_corrections(corrected, reviewer,
                             items=[{"target": f"material:{mid}", "problem": "扫描不清晰"}])
    # Last: moving the business date past a publicity (at_preliminary) closes every due one.
    submitted = chain.submitted()
    in_publicity = chain.unit_approved(chain.submitted())
    return {"submitted": submitted, "in_publicity": in_publicity, "plain": plain,
            "corrected": corrected, "reviewer": reviewer}


def test_operations_keep_the_stored_deadline_and_receipt_equal_to_the_computed_ones(dossiers):
    stored, computed = _stored(), _computed()
    assert stored == computed
    corrected = Application.objects.get(pk=dossiers["corrected"].pk)
    request = CorrectionRequest.objects.get(application=corrected, status=CorrectionStatus.OPEN)
    assert corrected.due_on == request.due_date
    in_publicity = Application.objects.get(pk=dossiers["in_publicity"].pk)
    assert in_publicity.due_on == Publicity.objects.get(application=in_publicity).last_day
    assert Application.objects.get(pk=dossiers["plain"].pk).due_on is None


def test_closing_a_publicity_clears_its_deadline(chain, dossiers):
    app = dossiers["in_publicity"]
    chain.close_publicity(app)
    assert Application.objects.get(pk=app.pk).due_on is None
    assert _stored() == _computed()


def test_the_worklist_order_is_the_order_of_the_computed_deadlines(dossiers, demo_users):
    for user in (dossiers["reviewer"], demo_users["unit_hr"]):
        got = list(worklist(user).values_list("pk", flat=True))
        computed = _computed()
        expected = sorted(got, key=lambda pk: (
            computed[pk][0] is None, computed[pk][0] or 0,
            computed[pk][1] is None, computed[pk][1] or 0, pk))
        assert got == expected and got


def test_the_data_migration_fills_existing_rows(dossiers):
    before = _stored()
    Application.objects.update(due_on=None, received_at=None)  # rows from before the column
    migration = importlib.import_module("zhicheng.reviews.migrations.0003_fill_worklist_keys")
    migration.fill(django_apps, None)
    assert _stored() == before == _computed()
