"""The two signature algorithms a key may have (docs/trust.md §Signature algorithms).

- `Ed25519` (RFC 8032, pure): 32-byte public key, 64-byte signature (`cryptography`).
- `SM2` (国密): SM2 digital signature with SM3 (GB/T 32918.2 / GM/T 0003.2, SM3 GB/T 32905)
  on the recommended curve of GB/T 32918.5 (sm2p256v1), signer ID `1234567812345678`
  (the default user ID of GM/T 0009). Public key: the 65 bytes `04 || x || y`; signature:
  the 64 bytes `r || s` (each 32 bytes big-endian), not DER. The library is `gmalg` (pure
  Python; `tests/trust/test_sm2.py` checks it against the standard's own example).

Both sides are the same small interface: a `Signer` has `algorithm`, `sign(message)`,
`public_bytes()` and `private_pem()`; a `Verifier` has `algorithm`, `raw` and
`verify(signature, message)`, which raises `cryptography.exceptions.InvalidSignature` like
the Ed25519 key of `cryptography` does. Pure Python, no Django.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Protocol

import gmalg
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = "Ed25519"
SM2 = "SM2"
ALGORITHMS = (ED25519, SM2)
SM2_USER_ID = b"1234567812345678"

# PKCS#8 of an SM2 key as OpenSSL writes it without parameters beyond the curve OID
# (id-ecPublicKey, curve 1.2.156.10197.1.301), so `openssl pkey -in k.key` reads the file:
# PrivateKeyInfo{0, {ecPublicKey, sm2}, OCTET STRING ECPrivateKey{1, d, [1] 04||x||y}}.
_SM2_PKCS8_HEAD = bytes.fromhex(
    "308187020100301306072a8648ce3d020106082a811ccf5501822d046d306b0201010420")
_SM2_PKCS8_MID = bytes.fromhex("a144034200")
_SM2_PEM_LABEL = "PRIVATE KEY"


class KeyFormatError(ValueError):
    """A key file or public key that is not a usable key of its algorithm."""


class Signer(Protocol):
    @property
    def algorithm(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...

    def public_bytes(self) -> bytes: ...

    def private_pem(self) -> bytes: ...


class Verifier(Protocol):
    @property
    def algorithm(self) -> str: ...

    @property
    def raw(self) -> bytes: ...

    def verify(self, signature: bytes, message: bytes) -> None: ...


# --- Ed25519 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ed25519Signer:
    key: Ed25519PrivateKey
    algorithm: str = ED25519

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)

    def public_bytes(self) -> bytes:
        return self.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def private_pem(self) -> bytes:
        return self.key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())


@dataclass(frozen=True)
class Ed25519Verifier:
    raw: bytes
    algorithm: str = ED25519

    def verify(self, signature: bytes, message: bytes) -> None:
        Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)


# --- SM2 with SM3 ----------------------------------------------------------------------------


def _sm2(secret: bytes | None = None, public: bytes | None = None) -> gmalg.SM2:
    return gmalg.SM2(secret, SM2_USER_ID, public)


@dataclass(frozen=True)
class SM2Signer:
    secret: bytes  # 32 bytes, big-endian d
    public: bytes  # 65 bytes 04 || x || y
    algorithm: str = SM2

    @classmethod
    def generate(cls) -> SM2Signer:
        secret, _ = _sm2().generate_keypair()
        return cls.from_secret(secret.rjust(32, b"\0"))

    @classmethod
    def from_secret(cls, secret: bytes) -> SM2Signer:
        if len(secret) != 32:
            raise KeyFormatError("SM2私钥应为32字节 (an SM2 private key is 32 bytes)")
        public = _sm2().generate_pk(secret)
        return cls(secret, public)

    def sign(self, message: bytes) -> bytes:
        r, s = _sm2(self.secret, self.public).sign(message)
        return r.rjust(32, b"\0") + s.rjust(32, b"\0")

    def public_bytes(self) -> bytes:
        return self.public

    def private_pem(self) -> bytes:
        der = _SM2_PKCS8_HEAD + self.secret + _SM2_PKCS8_MID + self.public
        body = base64.encodebytes(der).decode("ascii").replace("\n", "")
        lines = [body[i:i + 64] for i in range(0, len(body), 64)]
        return ("-----BEGIN " + _SM2_PEM_LABEL + "-----\n" + "\n".join(lines)
                + "\n-----END " + _SM2_PEM_LABEL + "-----\n").encode("ascii")


@dataclass(frozen=True)
class SM2Verifier:
    raw: bytes
    algorithm: str = SM2

    def __post_init__(self) -> None:
        try:
            valid = len(self.raw) == 65 and self.raw[0] == 4 and _sm2().verify_pk(self.raw)
        except (gmalg.errors.GMError, ValueError, IndexError):
            valid = False
        if not valid:
            raise KeyFormatError("不是有效的SM2公钥 (not a valid SM2 public key)")

    def verify(self, signature: bytes, message: bytes) -> None:
        if len(signature) != 64 or not _sm2(public=self.raw).verify(
                message, signature[:32], signature[32:]):
            raise InvalidSignature


# --- by algorithm ----------------------------------------------------------------------------


def generate(algorithm: str) -> Signer:
    if algorithm == ED25519:
        return Ed25519Signer(Ed25519PrivateKey.generate())
    if algorithm == SM2:
        return SM2Signer.generate()
    raise KeyFormatError(f"不支持的算法 (unsupported algorithm): {algorithm}")


def verifier(algorithm: str, raw: bytes) -> Verifier:
    if algorithm == ED25519:
        if len(raw) != 32:
            raise KeyFormatError("Ed25519公钥应为32字节 (an Ed25519 public key is 32 bytes)")
        return Ed25519Verifier(raw)
    if algorithm == SM2:
        return SM2Verifier(raw)
    raise KeyFormatError(f"不支持的算法 (unsupported algorithm): {algorithm}")


def load_private_pem(pem: bytes) -> Signer:
    """A private key file of either algorithm (PKCS#8 PEM)."""
    text = pem.decode("ascii", "replace")
    body = "".join(line for line in text.splitlines() if line and not line.startswith("-----"))
    try:
        der = base64.b64decode(body)
    except ValueError as exc:
        raise KeyFormatError("私钥文件不是PEM格式 (not a PEM key)") from exc
    if der.startswith(_SM2_PKCS8_HEAD) and len(der) == len(_SM2_PKCS8_HEAD) + 32 + 70:
        secret = der[len(_SM2_PKCS8_HEAD):len(_SM2_PKCS8_HEAD) + 32]
        signer = SM2Signer.from_secret(secret)
        if der[-65:] != signer.public:
            raise KeyFormatError("SM2私钥与其公钥不符 (SM2 key and its public key differ)")
        return signer
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as exc:
        raise KeyFormatError("无法读取私钥 (unreadable private key)") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFormatError("不是Ed25519或SM2私钥 (neither an Ed25519 nor an SM2 key)")
    return Ed25519Signer(key)
