"""The committee office's page for importing an expert roster (评审专家花名册) into its pool:
the upload form and the template workbook. The upload starts the preview job (every problem by
row and column), whose page offers the confirming job (docs/exchange.md, docs/jobs.md).
Nothing is saved before confirm."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import operations as ops
from . import queries
from .models import Committee
from .roster_files import MAX_UPLOAD_BYTES, roster_template
from .roster_import import ROSTER_PREVIEW


def _committee(request: HttpRequest, pk: int) -> Committee:
    c = get_object_or_404(queries.committees_for(request.user), pk=pk)
    if not ops.is_office(request.user, c):
        raise PermissionDenied
    return c


def _page(request: HttpRequest, c: Committee, context: dict[str, Any],
          status: int = 200) -> HttpResponse:
    context.update(committee=c, max_mb=MAX_UPLOAD_BYTES // 1024 // 1024, kind=ROSTER_PREVIEW)
    return render(request, "evaluation/roster.html", context, status=status)


@login_required
@require_GET
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The upload form; it posts to the jobs' upload (`jobs.views.upload`), which checks the
    content and starts the preview job (`jobs.imports`)."""
    return _page(request, _committee(request, pk), {})


@login_required
def template(request: HttpRequest, pk: int) -> HttpResponse:
    _committee(request, pk)
    response = HttpResponse(roster_template(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    filename = quote("评审专家花名册模板.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response
