from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhicheng.orgs.models import Membership

from .identity import mask_phone


@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    """我的账户: real-name data (numbers masked) and the state of the second factor."""
    user = request.user
    assert user.pk is not None  # login_required
    authenticators = list(Authenticator.objects.filter(user_id=user.pk).order_by("type"))
    memberships = list(
        Membership.objects.filter(user_id=user.pk, active=True).select_related("organisation")
    )
    emails = list(EmailAddress.objects.filter(user_id=user.pk).order_by("-primary", "email"))
    return render(
        request,
        "accounts/my_account.html",
        {
            "account": user,
            "masked_phone": mask_phone(getattr(user, "phone", "")),
            "totp": next((a for a in authenticators if a.type == Authenticator.Type.TOTP), None),
            "recovery_codes": next(
                (a for a in authenticators if a.type == Authenticator.Type.RECOVERY_CODES), None
            ),
            "memberships": memberships,
            "is_official": bool(memberships),
            "emails": emails,
        },
    )
