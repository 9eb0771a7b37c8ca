"""The certificate's canonical payload and the compact QR text (pure Python, no Django).

Canonical JSON: keys sorted, UTF-8, no spaces (`canonical_bytes`). The QR text is

    ZC1.<base64url(payload)>.<base64url(signature)>.<key id>

(base64url without padding), so a verifier needs only the published public key: it decodes
the payload, checks the Ed25519 signature over exactly those bytes with the named key, and
reads the fields. The full identity number is never in the payload: `idm` is the masked
number, `idh` a salted hash (SHA-256 of "<certificate number>|<id number>", 16 hex digits)
that binds the certificate to the ID card presented, without revealing it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

PREFIX = "ZC1"
PAYLOAD_VERSION = 1

# Payload keys (short: the QR code must stay scannable) and their labels.
FIELDS: dict[str, tuple[str, str]] = {
    "v": ("格式版本", "format version"),
    "no": ("证书编号", "certificate number"),
    "name": ("姓名", "holder"),
    "idt": ("证件类型", "ID type"),
    "idm": ("证件号码（脱敏）", "ID number (masked)"),
    "idh": ("证件绑定哈希", "ID binding hash"),
    "series": ("系列", "series"),
    "specialty": ("专业", "specialty"),
    "title": ("职称名称", "title"),
    "level": ("层级", "level"),
    "route": ("取得途径", "route"),
    "committee": ("评审委员会", "committee"),
    "approval": ("批准文号", "approval document number"),
    "qualified": ("批准日期", "approval date"),
    "passed": ("评审通过日期", "date the committee passed the holder"),
    "authority": ("制发证机构", "issuing authority"),
    "review": ("评审编号", "review number"),
    "issued": ("发证日期", "issue date"),
    "round": ("初定批次", "initial determination round"),
    "kid": ("签名密钥", "signing key id"),
}


class PayloadError(ValueError):
    """The text is not a certificate QR payload (malformed)."""


def canonical_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64d(text: str) -> bytes:
    text = text.strip()
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise PayloadError("不是有效的base64url编码 (not valid base64url)") from exc


def id_binding_hash(number: str, id_number: str) -> str:
    return hashlib.sha256(f"{number}|{id_number.strip().upper()}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Encoded:
    payload: bytes
    signature: bytes
    key_id: str

    @property
    def data(self) -> dict[str, Any]:
        try:
            value = json.loads(self.payload.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PayloadError("证书内容不是有效的JSON (payload is not valid JSON)") from exc
        if not isinstance(value, dict):
            raise PayloadError("证书内容格式不正确 (payload is not an object)")
        return value


def encode(payload: bytes, signature: bytes, key_id: str) -> str:
    return f"{PREFIX}.{b64e(payload)}.{b64e(signature)}.{key_id}"


def decode(text: str) -> Encoded:
    parts = text.strip().split(".")
    if len(parts) != 4 or parts[0] != PREFIX or not parts[3]:
        raise PayloadError("不是本系统的电子证书二维码内容 (not a zhicheng certificate code)")
    return Encoded(payload=b64d(parts[1]), signature=b64d(parts[2]), key_id=parts[3])
