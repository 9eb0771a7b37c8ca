"""Existing applications get the stored worklist order (Application.due_on, .received_at)
that the worklist used to compute with subqueries on every request
(reviews.operations.worklist_keys: the same expressions)."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    CorrectionRequest = apps.get_model("reviews", "CorrectionRequest")
    ReviewStep = apps.get_model("reviews", "ReviewStep")
    Publicity = apps.get_model("publicity", "Publicity")
    open_due = CorrectionRequest.objects.filter(
        application=OuterRef("pk"), status="open").values("due_date")[:1]
    publicity_end = Publicity.objects.filter(
        application=OuterRef("pk"), closed_at__isnull=True
    ).order_by("-round").values("last_day")[:1]
    last_step = ReviewStep.objects.filter(application=OuterRef("pk")).order_by(
        "-created_at", "-pk").values("created_at")[:1]
    Application.objects.update(
        due_on=Coalesce(Subquery(open_due), Subquery(publicity_end)),
        received_at=Coalesce(Subquery(last_step), F("submitted_at")),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0005_worklist_keys"),
        ("publicity", "0002_public_order"),
        ("reviews", "0002_alter_unitcheck_updated_at"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
