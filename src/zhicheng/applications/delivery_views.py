"""消息投递: the city office sees how notices reached people (e-mail, SMS) and sends a failed
one again (重发, audited). docs/notifications.md."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhicheng.accounts.identity import mask_phone
from zhicheng.core.operations import OperationError
from zhicheng.orgs.permissions import is_city_office

from . import operations as ops
from . import queries
from .models import Channel


def _office_only(request: HttpRequest) -> None:
    if not is_city_office(request.user):
        raise Http404


@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    show_all = request.GET.get("show") == "all"
    rows = list(queries.deliveries_for(request.user, failed_only=not show_all))
    for d in rows:
        d.shown_address = mask_phone(d.address) if d.channel == Channel.SMS else d.address  # type: ignore[attr-defined]
    return render(request, "applications/deliveries.html", {
        "deliveries": rows, "show_all": show_all,
        "counts": queries.delivery_counts(request.user),
    })


@login_required
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    d = get_object_or_404(queries.delivery_scope(request.user), pk=pk)
    try:
        ops.resend_delivery(d, request.user)
    except OperationError as exc:
        messages.error(request, str(exc))
    else:
        d.refresh_from_db()
        messages.success(request, _("已重发：%(state)s") % {"state": d.get_state_display()})
    return redirect("applications:deliveries")
