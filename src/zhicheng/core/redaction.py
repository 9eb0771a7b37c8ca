"""What never enters an audit event, a log line or an export: passwords and their hashes,
secret keys, TOTP secrets and recovery codes, tokens (docs/security.md).

The deny-list is applied where snapshots are made (`core.operations.model_fields_snapshot`)
and again to every event's data (`core.audit.append_event`), so an operation that hands a
secret to the door by mistake still cannot write it. The event keeps the field's name with
a fixed marker: the audit shows that a password changed, never what it became.
"""

from __future__ import annotations

import re
from typing import Any

REDACTED = "（已隐去）"

# Field or key names that hold a secret wherever they appear (case-insensitive).
_SECRET_NAME = re.compile(
    r"password|passwd|secret|token|private_key|session_key|session_data|api_key|"
    r"(^|_)t?otp($|_)|recovery_code|(^|_)key$|signing_key|credential",
    re.IGNORECASE,
)
# Names that match the pattern but are public identifiers, not secrets.
_PUBLIC_NAMES = frozenset({"key_id", "token_id", "token_name", "token_prefix", "prefix"})
# Fields whose name says nothing but whose content is a secret: allauth's authenticator
# data holds the TOTP secret and the recovery-code seed; an e-mail confirmation key logs in.
_SECRET_FIELDS = frozenset({
    ("mfa.authenticator", "data"),
    ("account.emailconfirmation", "key"),
    ("sessions.session", "session_data"),
})


def is_secret_name(name: str) -> bool:
    lowered = name.lower()
    return lowered not in _PUBLIC_NAMES and _SECRET_NAME.search(lowered) is not None


def is_secret_field(model_label: str, name: str) -> bool:
    return (model_label.lower(), name) in _SECRET_FIELDS or is_secret_name(name)


def redact(value: Any) -> Any:
    """A copy of `value` (dicts and lists, any depth) with every secret-named entry hidden."""
    if isinstance(value, dict):
        return {
            k: (REDACTED if isinstance(k, str) and is_secret_name(k) and v not in (None, "")
                else redact(v))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    return value
