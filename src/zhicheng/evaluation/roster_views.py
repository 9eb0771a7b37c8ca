"""The committee office's page for importing an expert roster (评审专家花名册) into its pool:
upload, preview with every problem by row and column, confirm. The uploaded file waits in the
session between preview and confirm; nothing is saved before confirm (docs/exchange.md)."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhicheng.core.operations import OperationError
from zhicheng.core.tabular import TableRefused

from . import operations as ops
from . import queries
from .models import Committee
from .roster_files import MAX_UPLOAD_BYTES, read_roster_file, roster_template
from .roster_import import import_roster, preview

SESSION_KEY = "expert_roster_upload"


def _committee(request: HttpRequest, pk: int) -> Committee:
    c = get_object_or_404(queries.committees_for(request.user), pk=pk)
    if not ops.is_office(request.user, c):
        raise PermissionDenied
    return c


def _page(request: HttpRequest, c: Committee, context: dict[str, Any],
          status: int = 200) -> HttpResponse:
    context.update(committee=c, max_mb=MAX_UPLOAD_BYTES // 1024 // 1024)
    return render(request, "evaluation/roster.html", context, status=status)


def _context(c: Committee, name: str, data: bytes) -> dict[str, Any]:
    upload = read_roster_file(name, data)
    return {"upload": upload, "preview": preview(c, upload)}


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    c = _committee(request, pk)
    if request.method == "GET":
        return _page(request, c, {})
    file = request.FILES.get("file")
    if file is None:
        return _page(request, c, {"refusal": _("请选择要上传的文件。")}, status=400)
    if file.size and file.size > MAX_UPLOAD_BYTES:
        return _page(request, c, {"refusal": _("文件超过%(mb)dMB：专家花名册不应这么大。") % {
            "mb": MAX_UPLOAD_BYTES // 1024 // 1024}}, status=400)
    data = file.read()
    name = file.name or "upload"
    try:
        context = _context(c, name, data)
    except TableRefused as refused:
        request.session.pop(SESSION_KEY, None)
        return _page(request, c, {"refusal": f"{name}：{refused}"}, status=400)
    request.session[SESSION_KEY] = {"committee": c.pk, "name": name,
                                    "data": base64.b64encode(data).decode()}
    return _page(request, c, context)


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponseBase:
    c = _committee(request, pk)
    saved = request.session.get(SESSION_KEY)
    if not saved or saved.get("committee") != c.pk:
        messages.error(request, _("没有待确认的文件（可能已导入或已过期），请重新上传。"))
        return redirect("evaluation:roster", c.pk)
    context = _context(c, saved["name"], base64.b64decode(saved["data"]))
    if request.POST.get("digest") != context["upload"].digest:
        return _page(request, c, {**context, "refusal": _(
            "待确认的文件已被另一次上传替换，请核对下面的预览后再确认。")}, status=409)
    try:
        added = import_roster(request.user, c, context["upload"])
    except OperationError as refused:
        return _page(request, c, {**context, "refusal": str(refused)}, status=400)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("已将%(n)d位专家加入专家库。") % {"n": len(added)})
    return redirect("evaluation:committee", c.pk)


@login_required
def template(request: HttpRequest, pk: int) -> HttpResponse:
    _committee(request, pk)
    response = HttpResponse(roster_template(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    filename = quote("评审专家花名册模板.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response
