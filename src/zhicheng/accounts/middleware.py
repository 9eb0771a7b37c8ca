"""Officials use two factors (docs/accounts.md §Two factors for officials).

- An official (active membership) without a TOTP authenticator is sent to set one up and
  may reach nothing else but the MFA, re-authentication and logout pages meanwhile.
- The admin's own password-only login page is replaced by the allauth login, which asks
  for the code; so nobody reaches the admin around the second factor.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .officials import request_needs_mfa_setup

# URL names an official without a second factor may still open.
ALLOWED_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_reauthenticate",
        "account_confirm_email",
        "account_email_verification_sent",
        "set_language",
        "session_keepalive",  # the warning's 继续使用 (sessions.py) answers JSON, never a page
    }
)
ALLOWED_PREFIXES = ("mfa_",)


class OfficialMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        static = (settings.STATIC_URL or "/static/", settings.MEDIA_URL or "/media/")
        if path.startswith(static):
            return self.get_response(request)
        try:
            match = resolve(path)
        except Resolver404:
            return self.get_response(request)
        name = match.url_name or ""
        namespaced = ":".join([*match.namespaces, name]) if match.namespaces else name

        if namespaced == "admin:login":
            return self._admin_login(request)

        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        if name in ALLOWED_URL_NAMES or name.startswith(ALLOWED_PREFIXES):
            return self.get_response(request)
        if request_needs_mfa_setup(request):
            messages.warning(
                request, _("工作人员账户须使用双重认证。请先用身份验证器应用完成设置，再继续操作。")
            )
            target = reverse("mfa_activate_totp")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return self.get_response(request)

    def _admin_login(self, request: HttpRequest) -> HttpResponse:
        next_url = request.GET.get("next") or reverse("admin:index")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index")
        user = request.user
        if not user.is_authenticated:
            return HttpResponseRedirect(
                reverse("account_login") + "?" + urlencode({"next": next_url})
            )
        if user.is_active and user.is_staff:
            return HttpResponseRedirect(next_url)
        return HttpResponseForbidden(_("您的账户没有管理后台的权限。").encode())
