"""The city office's page for importing a plan table: the upload form and the template. The
upload starts the preview job (every problem by row and column), whose page asks for each
unknown office and offers the confirming job, one audited operation (jobs/imports.py,
docs/jobs.md). Nothing is saved before confirm."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhicheng.orgs.queries import in_office_cities
from zhicheng.supervision.access import city_office_required

from .models import Season
from .plan_files import MAX_UPLOAD_BYTES, template_workbook
from .plan_import import PLAN_PREVIEW


def _seasons(request: HttpRequest) -> list[Season]:
    """The seasons of the office's city (docs/seasons.md, 多城市)."""
    return list(Season.objects.filter(in_office_cities(request.user, "owner"))
                .order_by("-year", "code"))


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    seasons = _seasons(request)
    context.setdefault("seasons", seasons)
    context.setdefault("max_mb", MAX_UPLOAD_BYTES // 1024 // 1024)
    context.setdefault("kind", PLAN_PREVIEW)
    return render(request, "seasons/plan_import.html", context, status=status)


@city_office_required
@require_GET
def upload(request: HttpRequest) -> HttpResponse:
    """The upload form; it posts to the jobs' upload (`jobs.views.upload`), which checks the
    content and starts the preview job (`jobs.imports`)."""
    current = next((s for s in _seasons(request) if s.is_current), None)
    return _page(request, {"chosen": request.GET.get("season") or (current and current.code)})


@city_office_required
def template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('评审计划表模板.xlsx')}"
    return response
