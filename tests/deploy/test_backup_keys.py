"""The signing keys in a backup are encrypted with a passphrase or to a GPG recipient from the
environment; production refuses to copy them in clear; a restore decrypts them first and
restores nothing with a wrong passphrase (docs/backup.md)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.factories.deploy import clean_env, zhicheng
from zhicheng.core import backup_keys
from zhicheng.core.backup import BackupError, create_backup, load_manifest

PASSPHRASE = "correct horse battery staple 职称"
PRIVATE = (b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIsecret-bytes\n"
           b"-----END PRIVATE KEY-----\n")


@pytest.fixture
def key_files(local_var: Path) -> Path:
    keys = local_var / "keys"
    (keys / "audit").mkdir(parents=True)
    (keys / "k1.pem").write_bytes(PRIVATE)
    (keys / "audit" / "a1.pem").write_bytes(PRIVATE + b"audit")
    return keys


@pytest.mark.django_db(transaction=True)
def test_a_passphrase_encrypts_the_keys_and_the_restore_decrypts_them(
    key_files: Path, tmp_path: Path, fresh_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHICHENG_BACKUP_PASSPHRASE", PASSPHRASE)
    backup = create_backup(tmp_path / "backups")
    assert not (backup / "keys").exists()
    blob = (backup / "keys.tar.enc").read_bytes()
    assert b"PRIVATE KEY" not in blob and b"secret-bytes" not in blob
    manifest = load_manifest(backup)
    assert manifest["keys"]["encryption"] == "passphrase"
    assert sorted(manifest["keys"]["files"]) == ["keys/audit/a1.pem", "keys/k1.pem"]

    restored = tmp_path / "restored"
    wrong = zhicheng("restore", str(backup), env=clean_env(
        DATABASE_URL=fresh_database_url, ZHICHENG_VAR_DIR=str(restored),
        ZHICHENG_BACKUP_PASSPHRASE="not the passphrase"))
    assert wrong.returncode != 0 and "无法解密" in wrong.stderr and "未做任何恢复" in wrong.stderr
    assert not (restored / "keys").exists()
    missing = zhicheng("restore", str(backup), env=clean_env(
        DATABASE_URL=fresh_database_url, ZHICHENG_VAR_DIR=str(restored)))
    assert missing.returncode != 0 and "ZHICHENG_BACKUP_PASSPHRASE" in missing.stderr

    result = zhicheng("restore", str(backup), env=clean_env(
        DATABASE_URL=fresh_database_url, ZHICHENG_VAR_DIR=str(restored),
        ZHICHENG_BACKUP_PASSPHRASE=PASSPHRASE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (restored / "keys" / "k1.pem").read_bytes() == PRIVATE
    assert (restored / "keys" / "audit" / "a1.pem").read_bytes() == PRIVATE + b"audit"


def test_production_refuses_to_back_up_the_keys_in_clear(
    key_files: Path, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZHICHENG_BACKUP_PASSPHRASE", raising=False)
    monkeypatch.delenv("ZHICHENG_BACKUP_GPG_RECIPIENT", raising=False)
    settings.PRODUCTION = True
    with pytest.raises(BackupError, match="生产环境不以明文备份签名密钥"):
        create_backup(tmp_path / "backups")
    assert not (tmp_path / "backups").exists()  # refused before anything was written


def test_a_gpg_recipient_gets_the_keys_only_it_can_decrypt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    subprocess.run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key",
                    "zhicheng-backup@example.gov.cn", "ed25519", "cert", "never"],
                   check=True, capture_output=True)
    fpr = subprocess.run(["gpg", "--batch", "--with-colons", "--list-keys"], check=True,
                         capture_output=True, text=True).stdout
    fingerprint = next(line.split(":")[9] for line in fpr.splitlines()
                       if line.startswith("fpr"))
    subprocess.run(["gpg", "--batch", "--passphrase", "", "--quick-add-key", fingerprint,
                    "cv25519", "encr", "never"], check=True, capture_output=True)
    monkeypatch.delenv("ZHICHENG_BACKUP_PASSPHRASE", raising=False)
    monkeypatch.setenv("ZHICHENG_BACKUP_GPG_RECIPIENT", "zhicheng-backup@example.gov.cn")
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "k1.pem").write_bytes(PRIVATE)
    target = tmp_path / "backup"
    target.mkdir()
    assert backup_keys.write_encrypted_keys(keys, target) == ("gpg", "keys.tar.gpg")
    assert b"secret-bytes" not in (target / "keys.tar.gpg").read_bytes()
    data = backup_keys.read_encrypted_keys(target, "gpg")
    backup_keys.restore_keys(data, tmp_path / "restored")
    assert (tmp_path / "restored" / "k1.pem").read_bytes() == PRIVATE
    assert (tmp_path / "restored").stat().st_mode & 0o077 == 0
