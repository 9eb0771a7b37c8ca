"""The printable 申报表 of an application (PDF), for the pages that may print it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from zhicheng.documents.pdf import render_application_form
from zhicheng.evaluation.queries import committee_name

from .models import Application
from .snapshots import form_snapshot


def form_pdf_response(request: HttpRequest, app: Application) -> HttpResponse:
    """The 申报表 of the latest submission, for a viewer already admitted to the dossier: the
    applicant (own copy) or an office that handles it and stamps it (the employer's HR here,
    the reviewers from their dossier page). Both see the full identity number and phone."""
    submissions = list(app.submissions.all())
    if not submissions:
        raise Http404("申报尚未提交，没有可打印的申报表。")
    latest = submissions[-1]
    url = request.build_absolute_uri(reverse("applications:detail", args=[app.pk]))
    # The snapshot's fingerprint is for the offices that check a printout against the record;
    # the applicant's own copy does not carry it.
    digest = None if app.applicant_id == request.user.pk else latest.sha256
    snapshot = form_snapshot(latest.snapshot, digest, committee=committee_name(app),
                             identity=app.applicant)
    pdf = render_application_form(snapshot, qr_url=url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="application-{app.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
