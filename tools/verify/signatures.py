"""Signature checks shared by the standalone verifiers (docs/trust.md §Signature algorithms).

A published key is `{"key_id", "algorithm", "public_key" (base64url), …}`; the algorithm is
the key's own:

- `Ed25519` (RFC 8032): public key 32 bytes, signature 64 bytes (`cryptography`);
- `SM2`: SM2 signature with SM3 (GB/T 32918.2, SM3 GB/T 32905) on the recommended curve,
  signer ID `1234567812345678` (GM/T 0009 default); public key 65 bytes `04||x||y`,
  signature 64 bytes `r||s` (not DER). Checked with the `gmalg` package (pure Python).

Imports nothing of zhicheng.
"""

from __future__ import annotations

import base64
from typing import Any

SM2_USER_ID = b"1234567812345678"


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_signature(key: dict[str, Any], signature: bytes, message: bytes) -> bool:
    """True when `signature` over the `message` bytes is valid for the published `key`;
    ValueError for a key of an algorithm this program does not know."""
    algorithm = key.get("algorithm")
    raw = b64url_decode(str(key["public_key"]))
    if algorithm == "Ed25519":
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            Ed25519PublicKey.from_public_bytes(raw).verify(signature, message)
        except InvalidSignature:
            return False
        return True
    if algorithm == "SM2":
        import gmalg

        if len(raw) != 65 or raw[0] != 4:
            raise ValueError(f"key {key.get('key_id')}: not an SM2 public key (04||x||y)")
        sm2 = gmalg.SM2(pk=raw, uid=SM2_USER_ID)
        if not sm2.verify_pk(raw):
            raise ValueError(f"key {key.get('key_id')}: not a point of the SM2 curve")
        if len(signature) != 64:
            return False
        return bool(sm2.verify(message, signature[:32], signature[32:]))
    raise ValueError(f"unsupported algorithm {algorithm}")
