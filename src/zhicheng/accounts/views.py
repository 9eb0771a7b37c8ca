from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhicheng.orgs.models import Membership

from .forms import NotifyPreferencesForm
from .identity import mask_phone
from .models import User
from .operations import set_notify_preferences


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
            "notify_channels": user.get_notify_channels_display()
            or _("默认（电子邮件；有截止期限的通知同时发短信）"),
        },
    )


@login_required
def notify_preferences(request: HttpRequest) -> HttpResponse:
    """我的账户 › 通知方式: e-mail, SMS or both, and the mobile number (docs/notifications.md)."""
    user = request.user
    assert isinstance(user, User)  # login_required
    form = NotifyPreferencesForm(
        request.POST or None,
        initial={"notify_channels": user.notify_channels, "phone": user.phone},
    )
    if request.method == "POST" and form.is_valid():
        set_notify_preferences(user, user, channels=form.cleaned_data["notify_channels"],
                               phone=form.cleaned_data["phone"])
        messages.success(request, _("通知方式已保存。"))
        return redirect("my_account")
    return render(request, "accounts/notify_preferences.html", {"form": form})
