"""Thin views: the holder's certificates, the city office's issue/revoke pages, and the
public verification pages (no login) with the published keys and revocation list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhicheng.accounts.reauth import sensitive
from zhicheng.applications.models import Application
from zhicheng.core.network import client_address
from zhicheng.core.operations import OperationError
from zhicheng.orgs.permissions import is_city_office

from . import keys as keystore
from . import operations as ops
from . import queries, verification
from .models import (
    HOLDER_FAULT_CATEGORIES,
    RevocationCategory,
    VerificationResult,
)
from .pdf import render_certificate

# --- holder ---------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "certificates/mine.html",
                  {"certificates": queries.holder_certificates(request.user)})


@login_required
def download(request: HttpRequest, number: str) -> HttpResponse:
    cert = queries.holder_certificate(request.user, number)
    if cert is None:
        raise Http404
    body = render_certificate(cert, verify_url=request.build_absolute_uri("/verify/"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cert.number}.pdf"'
    return response


# --- city title office ----------------------------------------------------------------------


def _office_only(request: HttpRequest) -> None:
    if not is_city_office(request.user):
        raise Http404


@login_required
def office(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    return render(request, "certificates/office.html", {
        "approved": queries.approved_for_issue(request.user),
        "certificates": queries.office_certificates(request.user)[:200],
        "categories": HOLDER_FAULT_CATEGORIES,
        "zip_seasons": queries.seasons_with_certificates(request.user),
    })


@login_required
@require_POST
@sensitive  # signs with the city's key (docs/security.md §Sessions)
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    app = get_object_or_404(queries.approved_for_issue(request.user), pk=pk)
    try:
        cert = ops.issue_certificate(
            app, request.user, approval_number=request.POST.get("approval_number", ""),
            review_number=request.POST.get("review_number", ""),
        )
    except OperationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已签发电子证书：%(number)s") % {"number": cert.number})
    return redirect("certificates:office")


@login_required
@require_POST
@sensitive
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    cert = get_object_or_404(queries.office_certificates(request.user), pk=pk)
    category = request.POST.get("category", RevocationCategory.FRAUD)
    if category not in dict(HOLDER_FAULT_CATEGORIES):
        # Void results are revoked only through the sanction that declares them void.
        messages.error(request, _("撤销原因类别不正确。"))
        return redirect("certificates:office")
    try:
        ops.revoke_certificate(
            cert, request.user, evidence=request.POST.get("evidence", ""),
            decision_number=request.POST.get("decision_number", ""),
            category=category,
        )
    except OperationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已撤销证书：%(number)s") % {"number": cert.number})
    return redirect("certificates:office")


@login_required
@require_POST
def veto(request: HttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    app = get_object_or_404(Application, pk=pk)
    try:
        ops.veto_for_fraud(app, request.user, request.POST.get("evidence", ""),
                           request.POST.get("decision_number", ""))
    except OperationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已一票否决并记入诚信档案。"))
    return redirect("certificates:office")


# --- public verification --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    ctx: dict[str, Any] = {"number": "", "name": "", "code": "", "result": None}
    if request.method == "POST":
        number = request.POST.get("number", "").strip()[:60]
        name = request.POST.get("name", "").strip()[:64]
        code = request.POST.get("code", "").strip()[:4000]
        found = verification.verify(client_address(request), number=number, name=name, code=code)
        ctx.update(number=number, name=name, code=code, result=found.result.value,
                   result_label=found.result.label, certificate=found.certificate,
                   signed=found.signed, signed_algorithm=found.algorithm)
        status = 429 if found.result == VerificationResult.THROTTLED else 200
        return render(request, "certificates/verify.html", ctx, status=status)
    return render(request, "certificates/verify.html", ctx)


def public_keys_page(request: HttpRequest) -> HttpResponse:
    return render(request, "certificates/keys.html",
                  {"keys": keystore.published_keys(), "active": keystore.active_key_id()})


def public_keys_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(keystore.keys_document(),
                        json_dumps_params={"ensure_ascii": False, "indent": 2})


def revocations_json(request: HttpRequest) -> JsonResponse:
    try:
        document = queries.revocation_list()
    except keystore.SigningKeyError as exc:
        raise Http404(str(exc)) from exc
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response
