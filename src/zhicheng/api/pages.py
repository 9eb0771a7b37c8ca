"""The officials' page for their organisation's API tokens (the city office: all): create
(the secret is shown once) and revoke, both through the audited operations."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhicheng.accounts.reauth import sensitive
from zhicheng.core.inputs import bounded_int
from zhicheng.core.operations import OperationError

from . import queries
from .models import Scope
from .operations import MAX_TOKEN_DAYS, create_token, revoke_token

MAX_DAYS = MAX_TOKEN_DAYS


@login_required
@require_http_methods(["GET", "POST"])
@sensitive  # issuing a token (docs/security.md §Sessions); the list itself is a GET
def tokens(request: HttpRequest) -> HttpResponse:
    organisations = queries.manageable_organisations(request.user)
    if not organisations.exists():
        raise Http404
    created = None
    if request.method == "POST":
        org_id, user_id = _int(request.POST.get("organisation")), _int(request.POST.get("user"))
        org = organisations.filter(pk=org_id).first() if org_id is not None else None
        member = queries.token_members(organisations).filter(
            organisation=org, user_id=user_id
        ).first() if org is not None and user_id is not None else None
        days = _int(request.POST.get("days"))
        try:
            if org is None:
                raise OperationError(_("请选择机构。"))
            if request.POST.get("user") and member is None:
                raise OperationError(_("经办人须是该机构的在职工作人员。"))
            # "-1", "0", "abc" or a huge number is refused, never read as "no expiry".
            typed_days = (request.POST.get("days") or "").strip()
            if (typed_days and days is None) or (days is not None and not 1 <= days <= MAX_DAYS):
                raise OperationError(_("有效天数须在1到3660之间。"))
            expires = timezone.now() + dt.timedelta(days=days) if days else None
            created = create_token(
                org, request.user, name=request.POST.get("name", ""),
                scopes=request.POST.getlist("scopes"),
                user=member.user if member else None, expires_at=expires,
            )
        except OperationError as exc:
            messages.error(request, str(exc))
    return render(request, "api/tokens.html", {
        "tokens": queries.tokens_for(request.user)[:500],
        "organisations": organisations,
        "members": queries.token_members(organisations)[:2000],
        "scopes": Scope.choices,
        "created": created,
    }, status=422 if request.method == "POST" and created is None else 200)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = queries.tokens_for(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    try:
        revoke_token(token, request.user)
    except OperationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已吊销令牌：%(name)s") % {"name": token.name})
    return redirect("api:tokens")


def _int(value: object) -> int | None:
    text = str(value or "").strip()
    return bounded_int(text)
