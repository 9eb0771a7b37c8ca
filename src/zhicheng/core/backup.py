"""Backups that lose nothing: the database, the uploaded files and the signing keys, with a
manifest of SHA-256 sums; restore into a fresh database and directories, then prove it
(docs/backup.md).

A backup is one directory:

    zhicheng-20240715T020000/
        manifest.json        format, time, database vendor, rows per table, every file's sum
        SHA256SUMS           the same sums for `sha256sum -c` (no zhicheng needed)
        database.pgdump      PostgreSQL: pg_dump custom format        } one of
        database.sqlite3     embedded mode: SQLite online backup API  }
        media/…              MEDIA_ROOT (materials, dossier packages, …)
        keys/…               ZHICHENG_KEY_DIR (certificate signing keys), in clear only in the
                             embedded mode; in production encrypted instead as
        keys.tar.enc         … with ZHICHENG_BACKUP_PASSPHRASE (core.backup_keys), or
        keys.tar.gpg         … to ZHICHENG_BACKUP_GPG_RECIPIENT

It is written as `<name>.partial` and renamed when complete, so a crashed run never looks
like a backup. The PostgreSQL dump and the row counts come from one exported snapshot; the
files are copied after the dump, so every file the dump refers to is already on disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.db import DEFAULT_DB_ALIAS, connections, models

from zhicheng.core.audit import verify_chain

from . import backup_keys

FORMAT = "zhicheng-backup/1"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
NAME_PATTERN = re.compile(r"^zhicheng-\d{8}T\d{6}$")
CHUNK = 1024 * 1024

Say = Callable[[str], None]


class BackupError(Exception):
    """A refusal or failure, in Chinese with the English in brackets, naming what is wrong."""


@dataclass
class RestoreReport:
    problems: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


RestoreCheck = Callable[[RestoreReport], None]
# Verifications a feature app adds after a restore (the certificates app: every certificate's
# signature), registered from its AppConfig.ready() so the foundation imports no feature app.
_RESTORE_CHECKS: list[RestoreCheck] = []


def register_restore_check(check: RestoreCheck) -> RestoreCheck:
    """Run `check(report)` at the end of every `check_restored` (once, however often the
    app registry becomes ready); it appends to `report.checks` or `report.problems`."""
    if check not in _RESTORE_CHECKS:
        _RESTORE_CHECKS.append(check)
    return check


def _quiet(_: str) -> None:
    return None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _copy_tree(source: Path, target: Path) -> int:
    count = 0
    for path in _files_under(source):
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        count += 1
    return count


def media_root() -> Path | None:
    """MEDIA_ROOT when uploads live on the local disk; None on S3 (the bucket's own
    versioning and replication back them up: docs/backup.md)."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def key_root() -> Path:
    return Path(getattr(settings, "ZHICHENG_KEY_DIR", Path(settings.MEDIA_ROOT).parent / "keys"))


# --- the database ---------------------------------------------------------------------------


def _vendor(alias: str = DEFAULT_DB_ALIAS) -> str:
    return connections[alias].vendor


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        value = settings_dict.get(key)
        if value:
            env[var] = str(value)
    return env


def _pg_conninfo(settings_dict: dict[str, Any]) -> dict[str, Any]:
    info: dict[str, Any] = {"dbname": settings_dict["NAME"]}
    for key, name in (("HOST", "host"), ("PORT", "port"), ("USER", "user"),
                      ("PASSWORD", "password")):
        if settings_dict.get(key):
            info[name] = settings_dict[key]
    return info


def _count_rows(cursor: Any, tables: list[str], quote: Callable[[str], str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def table_counts(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows per table of the live database (every table, including Django's own)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _count_rows(cursor, tables, connection.ops.quote_name)


def _dump_postgresql(target: Path) -> dict[str, int]:
    import psycopg  # PostgreSQL only: the driver is not needed for SQLite

    connection = connections[DEFAULT_DB_ALIAS]
    settings_dict = connection.settings_dict
    tables = connection.introspection.table_names()
    # One snapshot for the counts and the dump: they describe exactly the same data.
    with psycopg.connect(**_pg_conninfo(settings_dict), autocommit=True) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert snapshot is not None
        with conn.cursor() as cursor:
            counts = _count_rows(cursor, tables, connection.ops.quote_name)
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-acl",
             f"--snapshot={snapshot[0]}", f"--file={target}"],
            env=_pg_env(settings_dict), capture_output=True, text=True, check=False,
        )
        conn.execute("COMMIT")
    if result.returncode != 0:
        raise BackupError(f"pg_dump 失败 (pg_dump failed): {result.stderr.strip()}")
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # the online backup API: consistent while others write
        tables = [r[0] for r in copy.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )]
        counts = _count_rows(copy.cursor(), tables, connection.ops.quote_name)
    finally:
        copy.close()
    return counts


# --- backup ---------------------------------------------------------------------------------


def _write_manifest(root: Path, manifest: dict[str, Any]) -> None:
    files: dict[str, dict[str, Any]] = {}
    for path in _files_under(root):
        rel = path.relative_to(root).as_posix()
        if rel in (MANIFEST, SUMS):
            continue
        files[rel] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    manifest["files"] = files
    (root / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8"
    )
    (root / SUMS).write_text(
        "".join(f"{info['sha256']}  {rel}\n" for rel, info in files.items()), "utf-8"
    )


def create_backup(destination: Path, *, now: dt.datetime | None = None,
                  say: Say = _quiet) -> Path:
    """Write a complete backup directory under `destination` and return its path."""
    vendor = _vendor()
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"不支持的数据库 {vendor} (unsupported database)")
    if backup_keys.production() and backup_keys.mode() == "none":
        raise BackupError(
            "生产环境不以明文备份签名密钥：请设置 ZHICHENG_BACKUP_PASSPHRASE 或 "
            "ZHICHENG_BACKUP_GPG_RECIPIENT (production never backs up the signing keys "
            "in clear: set a passphrase or a GPG recipient, docs/backup.md)")
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S")
    final = destination / f"zhicheng-{stamp}"
    partial = destination / f"zhicheng-{stamp}.partial"
    if final.exists() or partial.exists():
        raise BackupError(f"备份目录已存在 (backup already exists): {final}")
    destination.mkdir(parents=True, exist_ok=True)
    partial.mkdir(mode=0o700)
    try:
        if vendor == "postgresql":
            db_file = "database.pgdump"
            counts = _dump_postgresql(partial / db_file)
        else:
            db_file = "database.sqlite3"
            counts = _dump_sqlite(partial / db_file)
        say(f"数据库 (database): {len(counts)} 张表, {sum(counts.values())} 行 → {db_file}")
        media = media_root()
        if media is None:
            say("上传文件在对象存储中，未复制 (uploads are on S3: back up the bucket)")
            media_count = 0
        else:
            media_count = _copy_tree(media, partial / "media")
            say(f"上传文件 (media): {media_count} 个文件 ← {media}")
        keys = key_root()
        key_sums = {f"keys/{p.relative_to(keys).as_posix()}": sha256_file(p)
                    for p in _files_under(keys)}
        try:
            encrypted = backup_keys.write_encrypted_keys(keys, partial)
        except backup_keys.KeyEncryptionError as exc:
            raise BackupError(str(exc)) from exc
        if encrypted is not None:
            say(f"签名密钥 (keys): {len(key_sums)} 个文件，已加密 ({encrypted[0]}) → "
                f"{encrypted[1]}")
        else:
            key_count = _copy_tree(keys, partial / "keys")
            say(f"签名密钥 (keys): {key_count} 个文件 ← {keys}（未加密 / not encrypted）")
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": (now or dt.datetime.now(dt.UTC)).isoformat(),
            "database": {"vendor": vendor, "file": db_file, "tables": counts},
            "media": "included" if media is not None else "external",
            # The sums of the key files, also when they are stored encrypted, so a restore
            # proves the decrypted keys are the ones backed up.
            "keys": {"encryption": encrypted[0] if encrypted else "none", "files": key_sums},
        }
        _write_manifest(partial, manifest)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def prune_backups(destination: Path, keep: int, *, say: Say = _quiet) -> list[Path]:
    """Delete all but the newest `keep` complete backups in `destination`."""
    if keep < 1:
        raise BackupError("--keep 至少为 1 (--keep must be at least 1)")
    complete = sorted(
        p for p in destination.iterdir()
        if p.is_dir() and NAME_PATTERN.match(p.name) and (p / MANIFEST).is_file()
    )
    removed = complete[:-keep]
    for path in removed:
        shutil.rmtree(path)
        say(f"已删除旧备份 (removed old backup): {path.name}")
    return removed


def load_manifest(backup: Path) -> dict[str, Any]:
    path = backup / MANIFEST
    if not path.is_file():
        raise BackupError(f"不是备份目录：缺少 {MANIFEST} (not a backup: no manifest) {backup}")
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{MANIFEST} 无法读取 (unreadable manifest): {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式 (unknown backup format): {manifest.get('format')!r}")
    return manifest


def verify_backup(backup: Path) -> list[str]:
    """Problems with the backup's files (missing, changed, truncated); empty when intact."""
    manifest = load_manifest(backup)
    problems: list[str] = []
    for rel, info in sorted(manifest["files"].items()):
        path = backup / rel
        if not path.is_file():
            problems.append(f"缺少文件 (missing): {rel}")
        elif path.stat().st_size != info["size"] or sha256_file(path) != info["sha256"]:
            problems.append(f"文件已损坏或被改动 (SHA-256 mismatch): {rel}")
    return problems


# --- restore --------------------------------------------------------------------------------


def _empty_dir(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def _check_fresh_targets(manifest: dict[str, Any]) -> None:
    vendor = _vendor()
    wanted = manifest["database"]["vendor"]
    if vendor != wanted:
        raise BackupError(
            f"备份来自 {wanted}，目标数据库是 {vendor}：只能恢复到同类数据库 "
            f"(the backup is {wanted}, the target is {vendor})"
        )
    connection = connections[DEFAULT_DB_ALIAS]
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"目标数据库不是空的（已有 {len(tables)} 张表）：只能恢复到新建的空数据库 "
            f"(the target database is not empty: {connection.settings_dict['NAME']})"
        )
    media = media_root()
    if manifest.get("media") == "included" and media is None:
        raise BackupError("备份含上传文件，但目标使用对象存储 (target uses S3: restore the "
                          "media/ folder into the bucket by hand, see docs/backup.md)")
    for label, path in (("上传文件目录 (media)", media), ("密钥目录 (keys)", key_root())):
        if path is not None and not _empty_dir(path):
            raise BackupError(f"{label} 不是空的：只能恢复到新目录 (not empty): {path}")


def _restore_database(backup: Path, manifest: dict[str, Any]) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    db_file = backup / manifest["database"]["file"]
    if connection.vendor == "postgresql":
        result = subprocess.run(
            ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
             f"--dbname={connection.settings_dict['NAME']}", str(db_file)],
            env=_pg_env(connection.settings_dict), capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore 失败 (pg_restore failed): {result.stderr.strip()}")
    else:
        target = str(connection.settings_dict["NAME"])
        connection.close()
        source = sqlite3.connect(db_file)
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            source.close()
            dest.close()
    connection.close()  # the next query sees the restored schema


def _file_fields() -> Iterator[tuple[type[models.Model], str]]:
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField):
                yield model, f.name


def check_restored(manifest: dict[str, Any]) -> RestoreReport:
    """Compare the live database and directories with the manifest; run the audit
    verification and the registered ones (certificates). Used right after a restore and by
    `restore --check`."""
    report = RestoreReport()
    counts = table_counts()
    wanted: dict[str, int] = manifest["database"]["tables"]
    mismatched = [t for t in sorted(set(wanted) | set(counts)) if counts.get(t) != wanted.get(t)]
    for table in mismatched:
        report.problems.append(
            f"表 {table} 行数不符 (row count): 备份 {wanted.get(table)}，"
            f"恢复后 {counts.get(table)}"
        )
    if not mismatched:
        report.checks.append(f"{len(counts)} 张表的行数与备份一致 (row counts match)")
    roots = {"media/": media_root(), "keys/": key_root()}
    checked_files = 0
    wanted_files = {rel: info["sha256"] for rel, info in manifest["files"].items()}
    # Encrypted keys: their files are not in the backup, their sums are in the manifest.
    for rel, digest in manifest.get("keys", {}).get("files", {}).items():
        wanted_files.setdefault(rel, digest)
    for rel, digest in sorted(wanted_files.items()):
        prefix = next((p for p in roots if rel.startswith(p)), None)
        if prefix is None:
            continue
        base = roots[prefix]
        if base is None:
            continue
        path = base / rel[len(prefix):]
        if not path.is_file() or sha256_file(path) != digest:
            report.problems.append(f"文件缺失或不一致 (file missing or changed): {rel}")
        checked_files += 1
    report.checks.append(f"{checked_files} 个文件的 SHA-256 与备份一致 (file sums match)")
    referenced = 0
    for model, name in _file_fields():
        for pk, value in model._default_manager.exclude(**{name: ""}).values_list("pk", name):
            referenced += 1
            if not default_storage.exists(value):
                report.problems.append(
                    f"{model._meta.label} #{pk} 的文件不存在 (file missing): {value}"
                )
    report.checks.append(f"数据库引用的 {referenced} 个文件都在 (referenced files exist)")

    chain = verify_chain()
    if chain.ok:
        report.checks.append(f"审计链 (audit chain): {chain}")
    else:
        report.problems.append(f"审计链断裂 (audit chain): {chain}")
    for check in _RESTORE_CHECKS:
        check(report)
    return report


def restore_backup(backup: Path, *, say: Say = _quiet) -> RestoreReport:
    """Restore `backup` into the configured (fresh, empty) database and directories."""
    manifest = load_manifest(backup)
    problems = verify_backup(backup)
    if problems:
        raise BackupError("备份文件校验失败，未做任何恢复 (backup damaged, nothing restored):\n"
                          + "\n".join(problems))
    say("备份文件校验通过 (backup sums verified)")
    _check_fresh_targets(manifest)
    how = manifest.get("keys", {}).get("encryption", "none")
    key_tar = None
    if how != "none":  # decrypt first: a wrong passphrase restores nothing
        try:
            key_tar = backup_keys.read_encrypted_keys(backup, how)
        except backup_keys.KeyEncryptionError as exc:
            raise BackupError(str(exc) + "，未做任何恢复 (nothing restored)") from exc
        say(f"签名密钥已解密 (keys decrypted: {how})")
    _restore_database(backup, manifest)
    say(f"数据库已恢复 (database restored): {connections[DEFAULT_DB_ALIAS].settings_dict['NAME']}")
    media = media_root()
    if media is not None and (backup / "media").is_dir():
        say(f"上传文件 (media): {_copy_tree(backup / 'media', media)} 个文件 → {media}")
    keys = key_root()
    if key_tar is not None:
        say(f"签名密钥 (keys): {backup_keys.restore_keys(key_tar, keys)} 个文件 → {keys}")
    elif (backup / "keys").is_dir():
        keys.mkdir(parents=True, exist_ok=True, mode=0o700)
        say(f"签名密钥 (keys): {_copy_tree(backup / 'keys', keys)} 个文件 → {keys}")
    return check_restored(manifest)
