"""The demo clock's button (demo mode only): the city office moves the business date on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhicheng.core import clock
from zhicheng.core.operations import OperationError
from zhicheng.demo import clock as democlock


@login_required
@require_POST
def demo_clock(request: HttpRequest) -> HttpResponse:
    if not clock.demo_clock_enabled():
        raise Http404
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    try:
        days = int(request.POST.get("days", ""))
    except ValueError:
        messages.error(request, _("请填写要向后推进的天数。"))
        return redirect(target)
    try:
        day = democlock.advance(request.user, days)
    except OperationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("演示日期已调整为{day}。").format(day=day.isoformat()))
    return redirect(target)
