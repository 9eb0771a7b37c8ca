"""The committee office's page of the provincial exchange (docs/exchange.md): download the
forwarded dossiers (JSON) and the results form (Excel), upload the province's returned
results, preview them (matched / already recorded / conflicting / unmatched, every problem by
row and column), confirm. The uploaded file waits in the session between preview and
confirm; nothing is recorded before confirm."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhicheng.core.operations import OperationError
from zhicheng.core.tabular import TableRefused
from zhicheng.seasons.models import Season

from .province_files import MAX_UPLOAD_BYTES, read_results_file, results_form
from .province_import import (
    committee_offices,
    form_rows,
    forwarding_payload,
    import_results,
    preview,
    seasons_for,
)

SESSION_KEY = "province_results_upload"
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
    return render(request, "reviews/province.html", context, status=status)


def _season(request: HttpRequest, code: str) -> Season | None:
    return next((s for s in seasons_for(request.user) if s.code == code), None)


def _preview_context(request: HttpRequest, season: Season, name: str,
                     data: bytes) -> dict[str, Any]:
    upload = read_results_file(name, data)
    return {"season": season, "chosen": season.code, "upload": upload,
            "preview": preview(request.user, season, upload)}


@committee_office_required
@require_http_methods(["GET", "POST"])
def results(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        wanted = request.GET.get("season", "")
        return _page(request, {"chosen": wanted} if _season(request, wanted) else {})
    code = request.POST.get("season", "")
    season = _season(request, code)
    file = request.FILES.get("file")
    if season is None or file is None:
        return _page(request, {"chosen": code, "refusal": _(
            "请选择评审年度并选择要上传的文件。")}, status=400)
    if file.size and file.size > MAX_UPLOAD_BYTES:
        return _page(request, {"chosen": code, "refusal": _(
            "文件超过%(mb)dMB：评审结果表不应这么大。") % {"mb": MAX_UPLOAD_BYTES // 1024 // 1024}},
            status=400)
    data = file.read()
    name = file.name or "upload"
    try:
        context = _preview_context(request, season, name, data)
    except TableRefused as refused:
        request.session.pop(SESSION_KEY, None)
        return _page(request, {"chosen": code, "refusal": f"{name}：{refused}"}, status=400)
    request.session[SESSION_KEY] = {
        "season": season.code, "name": name, "data": base64.b64encode(data).decode(),
    }
    return _page(request, context)


@committee_office_required
@require_http_methods(["POST"])
def confirm(request: HttpRequest) -> HttpResponseBase:
    saved = request.session.get(SESSION_KEY)
    season = _season(request, saved["season"]) if saved else None
    if not saved or season is None:
        messages.error(request, _("没有待确认的文件（可能已导入或已过期），请重新上传。"))
        return redirect("province:results")
    context = _preview_context(request, season, saved["name"], base64.b64decode(saved["data"]))
    if request.POST.get("digest") != context["upload"].digest:
        return _page(request, {**context, "refusal": _(
            "待确认的文件已被另一次上传替换，请核对下面的预览后再确认。")}, status=409)
    try:
        recorded = import_results(request.user, season, context["upload"])
    except OperationError as refused:
        return _page(request, {**context, "refusal": str(refused)}, status=400)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("已登记%(n)d名申报人的省高评委评审结果。") % {"n": len(recorded)})
    return redirect(f"{reverse('province:results')}?season={season.code}")


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
