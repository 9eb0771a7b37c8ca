"""Signing keys, kept as files outside the database (`ZHICHENG_KEY_DIR`).

The algorithm is a property of each key: Ed25519 or SM2 with SM3 (`crypto.py`,
docs/trust.md §Signature algorithms); a rotation may change it, and a retired key of either
kind keeps verifying what it signed. Layout of the key directory:

- `<key id>.key` — the private key (PKCS#8 PEM, both kinds), file mode 0600;
- `<key id>.pub.json` — the public key and its validity: `{"key_id", "algorithm": "Ed25519"
  or "SM2", "public_key": base64url of the raw public key (32 bytes; SM2: 65 bytes
  04||x||y), "valid_from", "valid_until"}`; `valid_until` is null
  for the active key and set when a newer key replaces it (it then stops signing but still
  verifies the certificates it signed);
- `ACTIVE` — the id of the key that signs now.

The public files are what the portal publishes (`/verify/keys/`, `/verify/keys.json`) and
what the offline verifier reads (`zhicheng certificate verify --keys DIR`). Nothing here
needs Django except `key_dir()`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from zhicheng.core import clock

from . import crypto
from .payload import PayloadError, b64d, b64e

# The default algorithm of a new key (`--algorithm` of `certificate keygen|rotate` and
# `audit keygen|rotate` chooses another). Each key carries its own algorithm.
ALGORITHM = crypto.ED25519
ALGORITHMS = crypto.ALGORITHMS
ACTIVE_FILE = "ACTIVE"


class SigningKeyError(Exception):
    """A missing or unusable key (an operator problem; message in Chinese and English)."""


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    public_key: crypto.Verifier
    valid_from: str
    valid_until: str | None

    @property
    def algorithm(self) -> str:
        return self.public_key.algorithm

    def as_json(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "algorithm": self.algorithm,
            "public_key": b64e(self.public_key.raw),
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PublicKey:
        algorithm = str(data.get("algorithm"))
        if algorithm not in crypto.ALGORITHMS:
            raise SigningKeyError(f"不支持的算法 (unsupported algorithm): {algorithm}")
        try:
            verifier = crypto.verifier(algorithm, b64d(str(data["public_key"])))
        except (crypto.KeyFormatError, PayloadError) as exc:
            raise SigningKeyError(f"公钥 {data.get('key_id')} 无法读取：{exc}") from exc
        return cls(
            key_id=str(data["key_id"]),
            public_key=verifier,
            valid_from=str(data.get("valid_from") or ""),
            valid_until=data.get("valid_until"),
        )


def key_dir() -> Path:
    return Path(settings.ZHICHENG_KEY_DIR)


def _business_start(day: dt.date | None) -> str:
    """Key validity runs on the platform's business dates (the ones certificates carry), not
    the machine's: a key made on business day D is valid from D 00:00 (docs/trust.md)."""
    if day is None:

        day = clock.today()
    return f"{day.isoformat()}T00:00:00+00:00"


def _write_private(path: Path, key: crypto.Signer) -> None:
    pem = key.private_pem()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    path.chmod(0o600)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def active_key_id(directory: Path | None = None) -> str | None:
    path = (directory or key_dir()) / ACTIVE_FILE
    if not path.is_file():
        return None
    return path.read_text(encoding="ascii").strip() or None


def generate(directory: Path | None = None, *, today: dt.date | None = None,
             algorithm: str = ALGORITHM) -> str:
    """Create a new key pair of `algorithm` (Ed25519 or SM2), make it the active key, close
    the validity of the previous one (of either kind). Returns the new key id
    (`k<UTC date>-<8 hex of the public key's SHA-256>`; SM2 keys `s<UTC date>-…`)."""
    if algorithm not in crypto.ALGORITHMS:
        raise SigningKeyError(f"不支持的算法 (unsupported algorithm): {algorithm}")
    directory = directory or key_dir()
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    private = crypto.generate(algorithm)
    raw = private.public_bytes()
    now = _business_start(today)
    prefix = "s" if algorithm == crypto.SM2 else "k"
    key_id = f"{prefix}{now[:10].replace('-', '')}-{hashlib.sha256(raw).hexdigest()[:8]}"
    previous = active_key_id(directory)
    _write_private(directory / f"{key_id}.key", private)
    pub = PublicKey(key_id, crypto.verifier(algorithm, raw), now, None)
    _write_json(directory / f"{key_id}.pub.json", pub.as_json())
    if previous and previous != key_id:
        old_path = directory / f"{previous}.pub.json"
        if old_path.is_file():
            data = json.loads(old_path.read_text(encoding="utf-8"))
            data["valid_until"] = now
            _write_json(old_path, data)
    (directory / ACTIVE_FILE).write_text(key_id + "\n", encoding="ascii")
    return key_id


def ensure_key(directory: Path | None = None, *,
               algorithm: str = ALGORITHM) -> tuple[str, bool]:
    """The active key id, creating a key first when there is none: (key id, created)."""
    current = active_key_id(directory)
    if current and ((directory or key_dir()) / f"{current}.key").is_file():
        return current, False
    return generate(directory, algorithm=algorithm), True


def private_key(key_id: str | None = None,
                directory: Path | None = None) -> tuple[str, crypto.Signer]:
    """(key id, signer) of the active key (or `key_id`); `signer.algorithm` names its kind."""
    directory = directory or key_dir()
    key_id = key_id or active_key_id(directory)
    if not key_id:
        raise SigningKeyError(
            f"没有可用的签名密钥，请先运行 zhicheng certificate keygen（目录 {directory}）。"
            f" (No signing key in {directory}: run `zhicheng certificate keygen`.)"
        )
    path = directory / f"{key_id}.key"
    try:
        key = crypto.load_private_pem(path.read_bytes())
    except FileNotFoundError as exc:
        raise SigningKeyError(f"找不到私钥文件 (private key file missing): {path}") from exc
    except crypto.KeyFormatError as exc:
        raise SigningKeyError(f"{path}：{exc}") from exc
    return key_id, key


def load_public_keys(source: Path | None = None) -> dict[str, PublicKey]:
    """Public keys from a key directory (`*.pub.json`) or a published keys.json file."""
    source = source or key_dir()
    entries: list[dict[str, Any]] = []
    if source.is_dir():
        for path in sorted(source.glob("*.pub.json")):
            entries.append(json.loads(path.read_text(encoding="utf-8")))
    elif source.is_file():
        data = json.loads(source.read_text(encoding="utf-8"))
        entries = list(data.get("keys", []) if isinstance(data, dict) else data)
    else:
        raise SigningKeyError(f"找不到公钥目录或文件 (no public keys at): {source}")
    keys = {}
    for entry in entries:
        pub = PublicKey.from_json(entry)
        keys[pub.key_id] = pub
    return keys


def active_algorithm(directory: Path | None = None) -> str:
    """The algorithm of the key that signs now (the default one when there is none yet)."""
    directory = directory or key_dir()
    current = active_key_id(directory)
    path = directory / f"{current}.pub.json" if current else None
    if path is None or not path.is_file():
        return ALGORITHM
    return str(json.loads(path.read_text(encoding="utf-8")).get("algorithm") or ALGORITHM)


def keys_document(directory: Path | None = None) -> dict[str, Any]:
    """The published keys file (`/verify/keys.json`, `/audit/keys.json`): `algorithm` is the
    active key's (kept for older readers); each key's own `algorithm` is what counts."""
    directory = directory or key_dir()
    return {"algorithm": active_algorithm(directory), "keys": published_keys(directory)}


def published_keys(directory: Path | None = None) -> list[dict[str, Any]]:
    """The public keys as published on the portal, newest first."""
    keys = load_public_keys(directory) if (directory or key_dir()).is_dir() else {}
    return sorted(
        (k.as_json() for k in keys.values()), key=lambda k: k["valid_from"], reverse=True
    )
