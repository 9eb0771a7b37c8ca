"""TOTP helpers over allauth.mfa's own algorithm (RFC 6238, SHA-1, 6 digits, 30 s).

`activate_totp` gives a user an authenticator from a known secret: the demo officials use
it with DEMO_TOTP_SECRET, and tests use it for officials they create (without it the
middleware sends every official to the MFA setup page). `totp_code` computes the code an
authenticator app would show.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote, urlencode

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value


def totp_code(secret: str, at: float | None = None) -> str:
    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def activate_totp(user: Any, secret: str) -> Authenticator:
    """Give `user` a TOTP authenticator with `secret` (base32) unless they have one."""
    existing = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance


def otpauth_url(label: str, secret: str) -> str:
    """The URL an authenticator app reads (the QR code on the setup page encodes the same)."""
    issuer = app_settings.TOTP_ISSUER or "zhicheng"
    query = urlencode({"secret": secret, "issuer": issuer}, quote_via=quote)
    return f"otpauth://totp/{quote(issuer)}:{quote(label)}?{query}"
