"""Session lifetime (docs/security.md §Sessions, ASVS V3.3).

Every signed-in session has an idle timeout and an absolute lifetime, both from settings:
officials (any active membership, staff) `ZHICHENG_SESSION_IDLE_MINUTES` (30) of inactivity,
applicants `ZHICHENG_APPLICANT_SESSION_IDLE_MINUTES` (120); for everybody
`ZHICHENG_SESSION_MAX_HOURS` (12) after the login, however active. An expired session is
logged out, recorded in the audit (`auth.session_expired`, with the client address) and
sent to the login page with the address it wanted (`?next=`), so what was typed into a
form comes back after the login (portal.js keeps drafts). Pages tell portal.js how long the
session has left (`session_timing`): it warns before the end and can keep the session
alive (`session_keepalive`).

The times are the real clock (`time.time()`), never the business date of the demo.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhicheng.core.network import client_address

from .officials import is_official
from .operations import record_authentication

STARTED = "zc_session_started"  # when the person logged in (seconds since the epoch)
SEEN = "zc_session_seen"  # the last request of the person
OFFICIAL = "zc_session_official"  # the rules of an official apply (decided at login)
# The last request is written back at most this often (a page view is not a session write).
SEEN_GRANULARITY = 30


def idle_seconds(official: bool) -> int:
    minutes = (settings.ZHICHENG_SESSION_IDLE_MINUTES if official
               else settings.ZHICHENG_APPLICANT_SESSION_IDLE_MINUTES)
    return int(minutes) * 60


def lifetime_seconds() -> int:
    return int(settings.ZHICHENG_SESSION_MAX_HOURS) * 3600


def stamp(request: HttpRequest | None, user: Any) -> None:
    """At every login (Django's `user_logged_in`): the session starts now."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[STARTED] = now  # exact: compared with the moment the person's sessions were ended
    session[SEEN] = int(now)
    session[OFFICIAL] = is_official(user)


def expiry(request: HttpRequest, now: float) -> str | None:
    """Why the session of this request has ended ("idle", "lifetime", "revoked": the
    person's sessions were ended after it started), or None."""
    session = request.session
    started, seen = session.get(STARTED), session.get(SEEN)
    if started is None or seen is None:  # a session from before these rules: starts now
        stamp(request, request.user)
        return None
    revoked = getattr(request.user, "sessions_revoked_at", None)
    if revoked is not None and float(started) < revoked.timestamp():
        return "revoked"
    if now - float(started) >= lifetime_seconds():
        return "lifetime"
    if now - float(seen) >= idle_seconds(bool(session.get(OFFICIAL))):
        return "idle"
    return None


def session_timing(request: HttpRequest) -> dict[str, int] | None:
    """What portal.js needs to warn before the end: seconds left until the idle timeout
    and until the absolute lifetime, and how early to warn."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or not getattr(user, "is_authenticated", False):
        return None
    started, seen = session.get(STARTED), session.get(SEEN)
    if started is None or seen is None:
        return None
    now = time.time()
    return {
        "idle": max(0, int(float(seen) + idle_seconds(bool(session.get(OFFICIAL))) - now)),
        "lifetime": max(0, int(float(started) + lifetime_seconds() - now)),
        "warn": int(settings.ZHICHENG_SESSION_WARNING_SECONDS),
    }


class SessionLifetimeMiddleware:
    """After AuthenticationMiddleware: ends a session past its idle timeout or lifetime."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        reason = expiry(request, now)
        if reason is not None:
            return self._expire(request, reason)
        if now - float(request.session.get(SEEN, 0)) >= SEEN_GRANULARITY:
            request.session[SEEN] = int(now)
        request.session_timing = session_timing(request)  # type: ignore[attr-defined]
        return self.get_response(request)

    def _expire(self, request: HttpRequest, reason: str) -> HttpResponse:

        user = request.user
        official = bool(request.session.get(OFFICIAL))
        minutes = idle_seconds(official) // 60
        detail = {
            "idle": f"（超过 {minutes} 分钟未操作）",
            "lifetime": f"（登录已满 {settings.ZHICHENG_SESSION_MAX_HOURS} 小时）",
            "revoked": "（双重认证已被重置，原有登录失效）",
        }[reason]
        record_authentication("auth.session_expired", user=user,  # type: ignore[arg-type]
                              client_address=client_address(request), detail=detail,
                              data={"reason": reason})
        request._zhicheng_session_expired = True  # type: ignore[attr-defined]
        logout(request)
        if reason == "idle":
            text = _("您已超过 %(minutes)s 分钟未操作，为安全起见已自动退出，请重新登录。") % {
                "minutes": minutes}
        elif reason == "revoked":
            text = _("您的双重认证已被市职称办重置，原有登录已失效。请重新登录并设置身份验证器。")
        else:
            text = _("您本次登录已满 %(hours)s 小时，为安全起见请重新登录。") % {
                "hours": settings.ZHICHENG_SESSION_MAX_HOURS}
        if request.path == reverse("session_keepalive") or request.headers.get("HX-Request"):
            return JsonResponse({"expired": True, "message": text}, status=401)
        messages.warning(request, text)
        target = reverse("account_login") + "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """「继续使用」 in the warning: the request itself renews the idle timeout (the
    middleware has just written the time); answers what is left."""
    if not request.user.is_authenticated:
        return JsonResponse({"expired": True}, status=401)
    request.session[SEEN] = int(time.time())
    return JsonResponse({"expired": False, **(session_timing(request) or {})})
