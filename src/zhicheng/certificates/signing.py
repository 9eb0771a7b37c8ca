"""Sign and verify certificate payloads and the revocation list (Ed25519 or SM2 with SM3:
the algorithm is the signing key's, `crypto.py`).

`verify_text(text, keys)` needs only the public keys (no database): the offline verifier and
the public page both use it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature

from . import keys as keystore
from .payload import Encoded, PayloadError, b64d, b64e, canonical_bytes, decode, encode


def sign_payload(data: dict[str, Any], *, directory: Any = None) -> tuple[bytes, bytes, str]:
    """(canonical payload bytes, signature, key id) with the active key; `data["kid"]` is
    set to that key id before signing."""
    key_id, private = keystore.private_key(directory=directory)
    body = canonical_bytes({**data, "kid": key_id})
    return body, private.sign(body), key_id


@dataclass
class Verification:
    valid: bool
    reason: str = ""
    reason_en: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    key_id: str = ""
    revoked: dict[str, Any] | None = None

    @property
    def message(self) -> str:
        if not self.valid:
            return f"验证失败：{self.reason} / Verification failed: {self.reason_en}"
        if self.revoked:
            return (
                f"签名有效，但证书已于{self.revoked.get('revoked_on')}撤销"
                f"（{self.revoked.get('category')}）/ Signature valid but the certificate was "
                f"revoked on {self.revoked.get('revoked_on')}"
            )
        return (
            f"证书签名有效（密钥 {self.key_id}）/ Certificate signature valid (key {self.key_id})"
        )

    @property
    def ok(self) -> bool:
        return self.valid and not self.revoked


def verify_encoded(enc: Encoded, public_keys: dict[str, keystore.PublicKey]) -> Verification:
    key = public_keys.get(enc.key_id)
    if key is None:
        return Verification(False, f"未知的签名密钥 {enc.key_id}", f"unknown key {enc.key_id}")
    try:
        key.public_key.verify(enc.signature, enc.payload)
    except InvalidSignature:
        return Verification(
            False, "签名与内容不符（内容被改动或伪造）",
            "signature does not match the content (altered or forged)", key_id=enc.key_id,
        )
    try:
        data = enc.data
    except PayloadError as exc:
        return Verification(False, str(exc), str(exc), key_id=enc.key_id)
    if data.get("kid") != enc.key_id:
        return Verification(False, "密钥编号不一致", "key id mismatch", key_id=enc.key_id)
    return Verification(True, data=data, key_id=enc.key_id)


def verify_text(text: str, public_keys: dict[str, keystore.PublicKey]) -> Verification:
    try:
        enc = decode(text)
    except PayloadError as exc:
        return Verification(False, str(exc), "not a certificate code")
    return verify_encoded(enc, public_keys)


def qr_text(payload: bytes, signature: bytes, key_id: str) -> str:
    return encode(payload, signature, key_id)


# --- the revocation list -------------------------------------------------------------------


def sign_revocation_list(
    entries: list[dict[str, Any]], *, issued_at: dt.datetime, sequence: int = 0,
    next_update: dt.datetime | None = None,
) -> dict[str, Any]:
    """`{"list": {"sequence", "this_update", "next_update", "issued_at", "revoked": [...]},
    "key_id", "algorithm", "signature"}`; the signature is over the canonical bytes of
    `list` (docs/trust.md §Revocation list). A higher sequence is a newer list; after
    `next_update` a verifier refuses the list as stale."""
    this_update = issued_at.astimezone(dt.UTC).replace(microsecond=0)
    following = (next_update or this_update + dt.timedelta(hours=24)).astimezone(dt.UTC)
    body = {
        "sequence": sequence,
        "this_update": this_update.isoformat(),
        "next_update": following.replace(microsecond=0).isoformat(),
        "issued_at": this_update.isoformat(),
        "revoked": entries,
    }
    key_id, private = keystore.private_key()
    return {
        "list": body,
        "key_id": key_id,
        "algorithm": private.algorithm,
        "signature": b64e(private.sign(canonical_bytes(body))),
    }


def verify_revocation_list(
    document: dict[str, Any], public_keys: dict[str, keystore.PublicKey],
    *, now: dt.datetime | None = None,
) -> dict[str, dict[str, Any]]:
    """The revoked entries by certificate number; raises ValueError if the list's signature
    is invalid or the list is stale (its `next_update` has passed)."""
    key = public_keys.get(str(document.get("key_id")))
    if key is None:
        raise ValueError(f"撤销清单的签名密钥未知 (unknown key): {document.get('key_id')}")
    if document.get("algorithm", key.algorithm) != key.algorithm:
        raise ValueError("撤销清单的签名算法与密钥不符 (algorithm does not match the key)")
    try:
        key.public_key.verify(b64d(str(document["signature"])), canonical_bytes(document["list"]))
    except (InvalidSignature, KeyError, PayloadError) as exc:
        raise ValueError("撤销清单签名无效 (revocation list signature invalid)") from exc
    next_update = document["list"].get("next_update")
    if next_update:
        due = dt.datetime.fromisoformat(str(next_update))
        if (now or dt.datetime.now(dt.UTC)) > due:
            raise ValueError(
                f"撤销清单已过期（应于{next_update}前更新），请重新下载 "
                f"(revocation list is stale: next update was due {next_update})"
            )
    return {str(e["number"]): e for e in document["list"].get("revoked", [])}
