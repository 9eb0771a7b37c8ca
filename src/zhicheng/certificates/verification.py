"""Public verification (五（五）), one path for the web page and the API: throttle per address,
check a QR payload's signature or look a certificate up by number and name, log the query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

from . import keys as keystore
from . import queries
from .models import Certificate, VerificationLog, VerificationResult
from .signing import verify_text


def throttled(ip: str | None) -> bool:
    limit, window = throttle_window()
    key = f"certificates:verify:{ip or 'unknown'}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        count = 1
    return bool(count > limit)


def throttle_window() -> tuple[int, int]:
    limit, window = getattr(settings, "ZHICHENG_VERIFY_THROTTLE", (30, 600))
    return int(limit), int(window)


def public_keys() -> dict[str, keystore.PublicKey]:
    try:
        return keystore.load_public_keys()
    except keystore.SigningKeyError:
        return {}


@dataclass
class Verification:
    result: VerificationResult
    number: str
    certificate: Certificate | None = None
    signed: dict[str, Any] | None = None
    algorithm: str = ""  # of the key that signed the code the server checked


def verify(ip: str | None, *, number: str = "", name: str = "", code: str = "") -> Verification:
    """Answer valid / revoked / unknown / invalid / throttled and log the query."""
    if "#ZC1." in code:  # the QR code's verification link pasted whole
        code = code.split("#", 1)[1]
    number, name, code = number.strip()[:60], name.strip()[:64], code.strip()[:4000]
    found = Verification(VerificationResult.UNKNOWN, number)
    if throttled(ip):
        found.result = VerificationResult.THROTTLED
    elif code:
        keys = public_keys()
        check = verify_text(code, keys)
        if check.valid:
            found.algorithm = keys[check.key_id].algorithm
        if not check.valid:
            found.result = VerificationResult.INVALID
        else:
            found.signed = check.data
            found.number = str(check.data.get("no", ""))[:60]
            found.certificate = queries.verifiable(
                Certificate.objects.filter(number=found.number)).first()
    else:
        found.certificate = queries.lookup(number, name)
    if found.certificate is not None:
        found.result = VerificationResult(found.certificate.status)
    VerificationLog.objects.create(method="qr" if code else "number", number=found.number,
                                   certificate=found.certificate, result=found.result, ip=ip)
    return found
