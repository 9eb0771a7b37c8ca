"""The signing keys inside a backup, encrypted (docs/backup.md).

With ZHICHENG_BACKUP_PASSPHRASE the key folder becomes one file `keys.tar.enc`: a tar of the
folder encrypted with AES-256-GCM under a key derived from the passphrase by scrypt
(format below, readable without zhicheng by the few lines of `decrypt_with_passphrase`).
With ZHICHENG_BACKUP_GPG_RECIPIENT it becomes `keys.tar.gpg`, encrypted by `gpg` to that
public key (the private key stays off the machine and is needed only to restore). Without
either, production refuses to back up the keys in clear; the embedded mode copies them.

    keys.tar.enc = b"ZCKEYS1\\n" ‖ salt (16) ‖ nonce (12) ‖ AES-256-GCM(tar)   scrypt n=2^15 r=8 p=1
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings

MAGIC = b"ZCKEYS1\n"
PASSPHRASE_FILE = "keys.tar.enc"
GPG_FILE = "keys.tar.gpg"


class KeyEncryptionError(Exception):
    """In Chinese with the English in brackets (raised as a BackupError by the caller)."""


def passphrase() -> str:
    return os.environ.get("ZHICHENG_BACKUP_PASSPHRASE", "")


def gpg_recipient() -> str:
    return os.environ.get("ZHICHENG_BACKUP_GPG_RECIPIENT", "").strip()


def mode() -> str:
    """passphrase, gpg or none (what a new backup does with the keys)."""
    if passphrase():
        return "passphrase"
    if gpg_recipient():
        return "gpg"
    return "none"


def _derive(secret: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(secret.encode("utf-8"))


def _tar(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                tar.add(path, arcname=path.relative_to(folder).as_posix(), recursive=False)
    return buffer.getvalue()


def _untar(data: bytes, target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r") as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        tar.extractall(target, members=members, filter="data")
    return len(members)


def encrypt_with_passphrase(data: bytes, secret: str) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    return MAGIC + salt + nonce + AESGCM(_derive(secret, salt)).encrypt(nonce, data, MAGIC)


def decrypt_with_passphrase(blob: bytes, secret: str) -> bytes:
    if not blob.startswith(MAGIC):
        raise KeyEncryptionError("keys.tar.enc 格式不对 (not an encrypted key archive)")
    salt, nonce, body = blob[8:24], blob[24:36], blob[36:]
    try:
        return AESGCM(_derive(secret, salt)).decrypt(nonce, body, MAGIC)
    except Exception as exc:
        raise KeyEncryptionError(
            "密钥备份无法解密：ZHICHENG_BACKUP_PASSPHRASE 不对或文件已损坏 "
            "(wrong passphrase or damaged file)") from exc


def _gpg(*args: str, data: bytes) -> bytes:
    if shutil.which("gpg") is None:
        raise KeyEncryptionError("找不到 gpg 命令 (gpg is not installed): apt-get install gnupg")
    result = subprocess.run(["gpg", "--batch", "--yes", "--quiet", *args], input=data,
                            capture_output=True, timeout=120)
    if result.returncode != 0:
        raise KeyEncryptionError(
            "gpg 失败 (gpg failed): " + result.stderr.decode("utf-8", "replace")[-500:])
    return result.stdout


def write_encrypted_keys(folder: Path, target_dir: Path) -> tuple[str, str] | None:
    """Encrypt `folder` into `target_dir`; (mode, file name) or None when not configured."""
    how = mode()
    if how == "none":
        return None
    data = _tar(folder)
    if how == "passphrase":
        (target_dir / PASSPHRASE_FILE).write_bytes(encrypt_with_passphrase(data, passphrase()))
        return how, PASSPHRASE_FILE
    encrypted = _gpg("--encrypt", "--trust-model", "always", "--recipient", gpg_recipient(),
                     data=data)
    (target_dir / GPG_FILE).write_bytes(encrypted)
    return how, GPG_FILE


def read_encrypted_keys(backup: Path, how: str) -> bytes:
    """The key tar of a backup made with `how` (raises before anything is restored)."""
    if how == "passphrase":
        secret = passphrase()
        if not secret:
            raise KeyEncryptionError(
                "备份中的签名密钥已用口令加密：请设置 ZHICHENG_BACKUP_PASSPHRASE "
                "(the keys are passphrase-encrypted: set ZHICHENG_BACKUP_PASSPHRASE)")
        return decrypt_with_passphrase((backup / PASSPHRASE_FILE).read_bytes(), secret)
    if how == "gpg":
        return _gpg("--decrypt", data=(backup / GPG_FILE).read_bytes())
    raise KeyEncryptionError(f"不认识的密钥加密方式 (unknown key encryption): {how!r}")


def restore_keys(data: bytes, target: Path) -> int:
    return _untar(data, target)


def production() -> bool:
    return bool(getattr(settings, "PRODUCTION", False))
