"""TOTP helpers (RFC 6238) through pyotp and allauth.mfa's public model and adapter.

allauth verifies the codes people type (its own login and setup forms); this module only
gives a user an authenticator from a known secret and computes the code an authenticator
app would show, with allauth's configured digits and period. It uses no private module of
allauth: the `Authenticator` model, `get_adapter().encrypt()` (the hook allauth itself calls
before storing a secret) and `app_settings`.

`activate_totp` is used by the demo officials (DEMO_TOTP_SECRET) and by tests for the
officials they create (without it the middleware sends every official to the MFA setup page).
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote, urlencode

import pyotp
from allauth.mfa import app_settings
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=app_settings.TOTP_DIGITS,
                      interval=app_settings.TOTP_PERIOD)


def totp_code(secret: str, at: float | None = None) -> str:
    return _totp(secret).at(time.time() if at is None else at)


def activate_totp(user: Any, secret: str) -> Authenticator:
    """Give `user` a TOTP authenticator with `secret` (base32) unless they have one."""
    existing = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()
    if existing:
        return existing
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP,
        data={"secret": get_adapter().encrypt(secret)},
    )


def otpauth_url(label: str, secret: str) -> str:
    """The URL an authenticator app reads (the QR code on the setup page encodes the same)."""
    issuer = app_settings.TOTP_ISSUER or "zhicheng"
    query = urlencode({"secret": secret, "issuer": issuer}, quote_via=quote)
    return f"otpauth://totp/{quote(issuer)}:{quote(label)}?{query}"
