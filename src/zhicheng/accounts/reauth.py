"""Re-authentication before sensitive actions (docs/security.md §Sessions, ASVS V3.7.1).

A sensitive action (recording and signing a meeting's results, publishing them, changing an
expert's role on a committee, issuing or revoking a certificate, issuing an API token,
resetting a person's second factor) needs a password or second-factor check within the
last `ZHICHENG_REAUTH_SECONDS` (300): the login itself counts, then allauth's
re-authentication page. When it is older, allauth keeps the POST, asks for the password
(or the code) and replays the POST afterwards, so nothing typed is lost.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from .sessions import STARTED


def recently_authenticated(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    times = [float(r.get("at", 0)) for r in get_authentication_records(request, user)]
    times.append(float(request.session.get(STARTED, 0)))  # the login
    return time.time() - max(times) < int(settings.ZHICHENG_REAUTH_SECONDS)


def require_recent_authentication(request: HttpRequest) -> None:
    """Raise allauth's ReauthenticationRequired (AccountMiddleware suspends the request and
    sends the person to the re-authentication page) unless the check is recent."""
    if request.method != "GET" and not recently_authenticated(request):
        raise ReauthenticationRequired()


def sensitive[R: HttpResponseBase](view: Callable[..., R]) -> Callable[..., R]:
    """A view whose POST is a sensitive action (GET shows the form as usual)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> R:
        require_recent_authentication(request)
        return view(request, *args, **kwargs)

    return wrapper
