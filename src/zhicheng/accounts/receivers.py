"""Authentication steps into the audit chain (docs/security.md): allauth's and
Django's signals call `operations.record_authentication` with the client's address
(core.network, the same address the throttles count). Connected in AccountsConfig.ready()."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.http import HttpRequest

from zhicheng.core.network import client_address

from .adapters import account_for_login
from .operations import record_authentication
from .sessions import stamp


def _address(request: HttpRequest | None) -> str | None:
    return client_address(request) if request is not None else None


def _user(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record_authentication("auth.login", user=_user(user), client_address=_address(request))


def session_started(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    stamp(request, user)  # the idle timeout and lifetime count from here (sessions.py)


def login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                 **kwargs: Any) -> None:
    login = credentials.get("email") or credentials.get("username") or ""
    record_authentication("auth.login_failed", user=account_for_login(str(login)),
                          client_address=_address(request))


def logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None or getattr(request, "_zhicheng_session_expired", False):
        return  # an expired session is recorded as such by the idle-timeout middleware
    record_authentication("auth.logout", user=_user(user), client_address=_address(request))


def mfa_failed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record_authentication("auth.mfa_failed", user=_user(user), client_address=_address(request),
                          data={"reauthentication": bool(kwargs.get("reauthentication"))})


def _simple(action: str) -> Any:
    def receiver(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        record_authentication(action, user=_user(user), client_address=_address(request))

    receiver.__name__ = action.replace(".", "_")
    return receiver


RECEIVERS = [
    (account_signals.user_logged_in, logged_in),
    (auth_signals.user_logged_in, session_started),
    (auth_signals.user_login_failed, login_failed),
    (auth_signals.user_logged_out, logged_out),
    (account_signals.password_changed, _simple("auth.password_changed")),
    (account_signals.password_set, _simple("auth.password_set")),
    (account_signals.password_reset, _simple("auth.password_reset")),
    (mfa_signals.authentication_failed, mfa_failed),
    (mfa_signals.authenticator_added, _simple("auth.mfa_added")),
    (mfa_signals.authenticator_removed, _simple("auth.mfa_removed")),
    (mfa_signals.authenticator_reset, _simple("auth.mfa_reset")),
]


def connect() -> None:
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, dispatch_uid=f"zhicheng.accounts.{receiver.__name__}")
