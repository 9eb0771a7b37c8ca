"""The committee office's page of the provincial exchange (docs/exchange.md): download the
forwarded dossiers (JSON) and the results form (Excel), upload the province's returned
results. The upload starts the preview job (matched / already recorded / conflicting /
unmatched, every problem by row and column), whose page offers the confirming job
(jobs/imports.py, docs/jobs.md); nothing is recorded before confirm."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhicheng.seasons.models import Season

from .province_files import MAX_UPLOAD_BYTES, results_form
from .province_import import (
    RESULTS_PREVIEW,
    committee_offices,
    form_rows,
    forwarding_payload,
    seasons_for,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

View = Callable[..., HttpResponseBase]


def committee_office_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not committee_offices(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    seasons = seasons_for(request.user)
    context.setdefault("seasons", seasons)
    context.setdefault("chosen", seasons[0].code if seasons else "")
    context.setdefault("max_mb", MAX_UPLOAD_BYTES // 1024 // 1024)
    context.setdefault("kind", RESULTS_PREVIEW)
    return render(request, "reviews/province.html", context, status=status)


def _season(request: HttpRequest, code: str) -> Season | None:
    return next((s for s in seasons_for(request.user) if s.code == code), None)


@committee_office_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    """The page: the season, the downloads and the upload form, which posts to the jobs'
    upload (`jobs.views.upload`): it checks the content and starts the preview job."""
    wanted = request.GET.get("season", "")
    return _page(request, {"chosen": wanted} if _season(request, wanted) else {})


def _download(request: HttpRequest, fmt: str) -> tuple[Season, str]:
    season = _season(request, request.GET.get("season", ""))
    if season is None:
        raise Http404
    return season, f"{season.code}-provincial-forwarding.{fmt}"


@committee_office_required
def form(request: HttpRequest) -> HttpResponse:
    season, _name = _download(request, "xlsx")
    data = results_form(form_rows(request.user, season),
                        title=f"{season.name}报送省高评委申报人员及评审结果表")
    response = HttpResponse(data, content_type=XLSX)
    filename = quote(f"{season.name}省高评委评审结果表.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@committee_office_required
def forwarding(request: HttpRequest) -> HttpResponse:
    season, name = _download(request, "json")
    payload = forwarding_payload(request.user, season)
    response = HttpResponse(json.dumps(payload, ensure_ascii=False, indent=2).encode(),
                            content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
