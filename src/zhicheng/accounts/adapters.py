"""allauth adapters: Chinese refusals, and officials may not switch off their second factor."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhicheng.core.network import UNKNOWN_CLIENT, client_address
from zhicheng.portal.navigation import landing_url

from .officials import has_totp, is_official
from .operations import record_authentication


def account_for_login(login: str) -> Any:
    """The account a login string names: its username or one of its e-mail addresses, in
    any case. None when no account matches (the throttle then counts the string itself)."""
    login = (login or "").strip()
    if not login:
        return None
    user_model = get_user_model()
    user = user_model._default_manager.filter(username__iexact=login).first()
    if user is None and "@" in login:
        user = user_model._default_manager.filter(email__iexact=login).first()
        if user is None:
            address = EmailAddress.objects.filter(email__iexact=login).select_related(
                "user").first()
            user = address.user if address else None
    return user


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _("登录失败次数过多，账户已暂时锁定，请5分钟后再试。"),
        "rate_limited": _("操作过于频繁，请稍后再试。"),
        "username_password_mismatch": _("用户名或密码不正确。"),
        "email_password_mismatch": _("电子邮箱或密码不正确。"),
    }

    def get_login_redirect_url(self, request: Any) -> str:
        """After login each person lands on their work (portal/navigation.py), unless the
        login page was asked for with `next`, which allauth honours before asking here."""
        return landing_url(request.user)

    def get_signup_redirect_url(self, request: Any) -> str:
        """Where a sign-up goes once its e-mail is confirmed: allauth fixes this URL when the
        form is sent (the login resumed on confirmation uses it, not the verification
        redirect). Only applicants sign themselves up — offices create officials' accounts —
        so it is the applicant's landing, 我的申报."""
        return reverse("applications:dashboard")

    def get_email_verification_redirect_url(self, email_address: Any) -> str:
        """A confirmed sign-up lands on the person's work too (an applicant: 我的申报): the
        request may still be anonymous here, so the landing is worked out for the owner."""
        return landing_url(email_address.user)

    def get_client_ip(self, request: HttpRequest) -> str:
        """The one client address of the site (core.network), so the login throttles count
        per client behind the proxies, never per proxy. On a unix socket with no usable
        header the login still works and counts under one shared bucket."""
        return client_address(request) or UNKNOWN_CLIENT

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The failed-login lockout counts per account, whichever identifier was typed
        (username or e-mail, any case): five wrong passwords under the username also
        lock the e-mail route. Unknown logins count under the lowercased text."""
        login = credentials.get("email", credentials.get("username", "")) or ""
        user = account_for_login(str(login))
        if user is not None:
            return f"account:{user.pk}"
        return f"login:{str(login).strip().lower()}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """A refused attempt (too many failures for the account or from the address) is an
        audit event: the lockout, with the address it came from."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            login = credentials.get("email", credentials.get("username", "")) or ""
            record_authentication("auth.lockout", user=account_for_login(str(login)),
                                  client_address=client_address(request))
            raise

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Setting up the first authenticator right after a password login needs no second
        password prompt (officials are sent there straight from the login). Deactivating
        or regenerating still asks for the password again."""
        required: bool = super().is_reauthentication_required(app=app, **kwargs)
        request = getattr(context, "request", None)
        if not required or app != "allauth.mfa" or request is None:
            return required
        user = request.user
        if not user.is_authenticated or has_totp(user):
            return required
        records = get_authentication_records(request, user)
        recent = [
            r
            for r in records
            if r.get("method") == "password"
            and time.time() - r.get("at", 0) < account_settings.REAUTHENTICATION_TIMEOUT
        ]
        return not recent


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "工作人员账户必须使用双重认证，不能停用身份验证器；如需更换手机，请先联系市职称办。"
        ),
        "incorrect_code": _("验证码不正确。"),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and is_official(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
