"""The city office's page for importing a plan table: upload, preview with every problem by
row and column, decide each unknown office, confirm (one audited operation). The uploaded
file waits in the session between preview and confirm; nothing is saved before confirm."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhicheng.core.operations import OperationError
from zhicheng.orgs.models import Organisation
from zhicheng.orgs.queries import in_office_cities
from zhicheng.supervision.access import city_office_required

from .models import Season
from .plan_files import MAX_UPLOAD_BYTES, PlanFileRefused, read_plan_file, template_workbook
from .plan_import import OfficeDecision, import_plan_table, preview

SESSION_KEY = "plan_import_upload"


def _seasons(request: HttpRequest) -> list[Season]:
    """The seasons of the office's city (docs/seasons.md, 多城市)."""
    return list(Season.objects.filter(in_office_cities(request.user, "owner"))
                .order_by("-year", "code"))


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    seasons = _seasons(request)
    context.setdefault("seasons", seasons)
    context.setdefault("max_mb", MAX_UPLOAD_BYTES // 1024 // 1024)
    return render(request, "seasons/plan_import.html", context, status=status)


def _stored(request: HttpRequest) -> tuple[Season, str, bytes] | None:
    saved = request.session.get(SESSION_KEY)
    if not saved:
        return None
    season = Season.objects.filter(code=saved["season"]).first()
    if season is None:
        return None
    return season, saved["name"], base64.b64decode(saved["data"])


def _preview_context(season: Season, name: str, data: bytes) -> dict[str, Any]:
    upload = read_plan_file(season.code, name, data)
    result = preview(season, upload)
    return {
        "season": season, "preview": result, "upload": upload,
        "organisations": list(Organisation.objects.order_by("name").only("pk", "name")),
    }


@city_office_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    current = next((s for s in _seasons(request) if s.is_current), None)
    if request.method == "GET":
        return _page(request, {"chosen": request.GET.get("season") or (current and current.code)})
    code = request.POST.get("season", "")
    season = next((s for s in _seasons(request) if s.code == code), None)
    file = request.FILES.get("file")
    if season is None or file is None:
        return _page(request, {
            "chosen": code, "refusal": _("请选择评审年度并选择要上传的文件。"),
        }, status=400)
    if season.published_version_id is None and season.versions.exists():
        # A draft's plan table is part of its data: rows written here would not be published.
        return _page(request, {"chosen": code, "refusal": _(
            "%(name)s的数据还是草稿：请在“届次管理”打开它的草稿页上传计划表，发布时一并生效。")
            % {"name": season.name}}, status=400)
    if file.size and file.size > MAX_UPLOAD_BYTES:
        return _page(request, {"chosen": code, "refusal": _(
            "文件超过%(mb)dMB：评审计划表不应这么大。") % {"mb": MAX_UPLOAD_BYTES // 1024 // 1024}},
            status=400)
    data = file.read()
    try:
        context = _preview_context(season, file.name or "upload", data)
    except PlanFileRefused as refused:
        request.session.pop(SESSION_KEY, None)
        return _page(request, {"chosen": code, "refusal": str(refused)}, status=400)
    request.session[SESSION_KEY] = {
        "season": season.code, "name": file.name, "data": base64.b64encode(data).decode(),
    }
    return _page(request, {"chosen": code, **context})


@city_office_required
@require_http_methods(["POST"])
def confirm(request: HttpRequest) -> HttpResponseBase:
    stored = _stored(request)
    if stored is None:
        messages.error(request, _("没有待确认的文件（可能已导入或已过期），请重新上传。"))
        return redirect("plan_import:upload")
    season, name, data = stored
    context = _preview_context(season, name, data)
    if request.POST.get("digest") != context["upload"].digest:
        return _page(request, {"chosen": season.code, **context, "refusal": _(
            "待确认的文件已被另一次上传替换，请核对下面的预览后再确认。")}, status=409)
    decisions: dict[str, OfficeDecision] = {}
    for index, office in enumerate(context["preview"].unknown_offices):
        action = request.POST.get(f"office-{index}-action", "")
        if action == "link":
            raw = request.POST.get(f"office-{index}-organisation", "")
            decisions[office] = OfficeDecision("link", int(raw) if raw.isdigit() else None)
        elif action in ("create", "text"):
            decisions[office] = OfficeDecision(action)  # type: ignore[arg-type]
    try:
        report = import_plan_table(request.user, season, context["upload"], decisions)
    except OperationError as refused:
        return _page(request, {"chosen": season.code, **context, "refusal": str(refused),
                               "posted": request.POST}, status=400)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _(
        "已导入%(season)s评审计划表：新增%(created)d项，修改%(updated)d项，未变%(unchanged)d项。"
    ) % {"season": season.name, "created": len(report.created),
         "updated": len(report.updated), "unchanged": report.unchanged})
    return redirect(f"{reverse('supervision:dashboard')}?season={season.code}&all=1")


@city_office_required
def template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('评审计划表模板.xlsx')}"
    return response
