"""The city office's page to reset an official's lost second factor (docs/accounts.md
§Two factors for officials): find the official, give the reason, confirm with the password
again (accounts.reauth); the reset is one audit event and the official gets an e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhicheng.core.inputs import bounded_int
from zhicheng.core.network import client_address
from zhicheng.core.operations import OperationError, has_permission

from .models import User
from .operations import reset_second_factor
from .permissions import RESET_REFUSAL
from .queries import PAGE_SIZE, officials_for_reset
from .reauth import sensitive


@login_required
@require_http_methods(["GET", "POST"])
@sensitive
def second_factor(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, "accounts.reset_second_factor"):
        raise PermissionDenied(RESET_REFUSAL)
    q = " ".join(request.GET.get("q", "").split())[:64]
    status = 200
    chosen = None
    if request.method == "POST":
        pk = bounded_int(request.POST.get("user"))
        chosen = get_object_or_404(User, pk=pk) if pk is not None else None
        if chosen is None:
            messages.error(request, "请选择要重置的工作人员。")
            status = 422
        else:
            try:
                reset_second_factor(request.user, chosen, reason=request.POST.get("reason", ""),
                                    client_address=client_address(request))
            except OperationError as exc:
                messages.error(request, str(exc))
                status = 422
            else:
                messages.success(
                    request,
                    f"已重置 {chosen} 的双重认证，并已通知本人：下次登录时须重新设置身份验证器。")
                return redirect(reverse("second_factor_reset") + (f"?q={q}" if q else ""))
    return render(request, "accounts/second_factor_reset.html", {
        "q": q, "people": officials_for_reset(q, request.user), "chosen": chosen,
        "reason": request.POST.get("reason", "") if request.method == "POST" else "",
        "page_size": PAGE_SIZE,
    }, status=status)
