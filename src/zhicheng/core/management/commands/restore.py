"""zhicheng restore BACKUP: into a fresh database and empty directories, then prove it
(row counts, file sums, audit chain, certificate signatures; docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhicheng.core.backup import BackupError, check_restored, load_manifest, restore_backup


class Command(BaseCommand):
    help = ("把备份恢复到新建的空数据库和空目录，并逐项核对 "
            "(restore a backup into a fresh database and directories, then verify)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="a backup folder written by `zhicheng backup`")
        parser.add_argument("--check", action="store_true",
                            help="restore nothing: compare the current database and folders "
                                 "with the backup (after a manual restore)")

    def handle(self, *args: Any, **options: Any) -> None:
        backup = Path(options["backup"])
        try:
            if options["check"]:
                report = check_restored(load_manifest(backup))
            else:
                report = restore_backup(backup, say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.checks:
            self.stdout.write(f"[通过] {line}")
        for line in report.problems:
            self.stderr.write(f"[问题] {line}")
        if not report.ok:
            raise CommandError(f"恢复后核对发现 {len(report.problems)} 处问题 "
                               f"(restore check failed)")
        self.stdout.write(self.style.SUCCESS("恢复完成，核对全部通过 (restore verified)"))
