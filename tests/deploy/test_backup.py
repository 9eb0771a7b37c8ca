"""Backup and restore lose nothing: a restore into a fresh database and directories has the
same rows, the same material bytes, an intact audit chain and certificates that verify.
Runs on SQLite in the normal suite and on PostgreSQL when DATABASE_URL is PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories.deploy import clean_env, pdf_bytes, zhicheng
from zhicheng.certificates.keys import load_public_keys
from zhicheng.certificates.signing import verify_text
from zhicheng.core.backup import create_backup, prune_backups, table_counts


def counts_in(url: str) -> dict[str, int]:
    """Rows per table read straight from a database URL (not through zhicheng)."""
    cfg = dj_database_url.parse(url)
    if cfg["ENGINE"].endswith("sqlite3"):
        with sqlite3.connect(cfg["NAME"]) as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
            return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.django_db(transaction=True)  # pg_dump reads committed rows only
def test_backup_restores_into_a_fresh_database_and_directory_losing_nothing(
    season_data: dict[str, Any], tmp_path: Path, fresh_database_url: str
) -> None:
    from zhicheng.applications.models import Material

    live_counts = table_counts()
    materials = list(Material.objects.values_list("file", "sha256"))
    assert len(materials) == 4
    certificate = season_data["certificate"]

    backup = create_backup(tmp_path / "backups")
    manifest = json.loads((backup / "manifest.json").read_text("utf-8"))
    assert manifest["database"]["tables"] == live_counts
    assert live_counts["core_auditevent"] > 0 and live_counts["certificates_certificate"] == 1

    restored_var = tmp_path / "restored"
    env = clean_env(DATABASE_URL=fresh_database_url, ZHICHENG_VAR_DIR=str(restored_var))
    result = zhicheng("restore", str(backup), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "恢复完成，核对全部通过" in result.stdout

    # Compared independently of the restore command's own checks:
    assert counts_in(fresh_database_url) == live_counts
    for name, digest in materials:
        assert sha256(restored_var / "media" / name) == digest
    audit = zhicheng("audit", "verify", env=env)
    assert audit.returncode == 0 and f"OK: {live_counts['core_auditevent']} events" in audit.stdout
    restored_keys = load_public_keys(restored_var / "keys")
    assert verify_text(certificate.qr_text, restored_keys).valid
    assert "1/1 张证书签名有效" in result.stdout

    # Restoring again over the restored installation is refused and changes nothing.
    again = zhicheng("restore", str(backup), env=env)
    assert again.returncode != 0 and "目标数据库不是空的" in again.stderr
    assert counts_in(fresh_database_url) == live_counts


@pytest.mark.django_db(transaction=True)  # SQLite's backup API waits out open transactions
def test_a_damaged_backup_is_refused_naming_the_file_and_nothing_is_restored(
    local_var: Path, tmp_path: Path, fresh_database_url: str
) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("materials/2024/ab/scan.pdf", ContentFile(pdf_bytes("a scan")))
    backup = create_backup(tmp_path / "backups")
    victim = sorted((backup / "media").rglob("*.pdf"))[0]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    rel = victim.relative_to(backup).as_posix()

    with pytest.raises(CommandError, match="备份已损坏"):
        call_command("backup", "--verify", str(backup))

    restored_var = tmp_path / "restored"
    env = clean_env(DATABASE_URL=fresh_database_url, ZHICHENG_VAR_DIR=str(restored_var))
    result = zhicheng("restore", str(backup), env=env)
    assert result.returncode != 0
    assert rel in result.stderr and "未做任何恢复" in result.stderr
    assert not (restored_var / "media").exists()
    assert counts_in(fresh_database_url) == {}


def test_keep_prunes_the_oldest_complete_backups_only(tmp_path: Path) -> None:
    destination = tmp_path / "backups"
    made = []
    for day in (1, 2, 3):
        path = destination / f"zhicheng-202407{day:02d}T020000"
        path.mkdir(parents=True)
        (path / "manifest.json").write_text("{}", "utf-8")
        made.append(path)
    (destination / "zhicheng-20240630T020000.partial").mkdir()  # a crashed run: not a backup
    (destination / "notes").mkdir()
    removed = prune_backups(destination, keep=2)
    assert removed == made[:1]
    assert sorted(p.name for p in destination.iterdir()) == sorted(
        [made[1].name, made[2].name, "zhicheng-20240630T020000.partial", "notes"]
    )
