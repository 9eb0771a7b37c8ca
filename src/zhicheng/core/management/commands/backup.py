"""zhicheng backup DEST [--keep N] | zhicheng backup --verify BACKUP (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhicheng.core.backup import BackupError, create_backup, prune_backups, verify_backup


class Command(BaseCommand):
    help = ("备份数据库、上传文件和签名密钥，附 SHA-256 清单 "
            "(back up the database, uploads and signing keys with a manifest)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", nargs="?", help="folder that receives the backup")
        parser.add_argument("--keep", type=int, default=0,
                            help="then delete all but the newest N backups in DESTINATION")
        parser.add_argument("--verify", metavar="BACKUP",
                            help="only check a backup's files against its manifest")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify"]:
                self._verify(Path(options["verify"]))
                return
            if not options["destination"]:
                raise CommandError("请给出备份目录 (give the destination folder)")
            destination = Path(options["destination"])
            path = create_backup(destination, say=self.stdout.write)
            self.stdout.write(self.style.SUCCESS(f"备份完成 (backup complete): {path}"))
            if options["keep"]:
                prune_backups(destination, options["keep"], say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc

    def _verify(self, backup: Path) -> None:
        problems = verify_backup(backup)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"备份已损坏 (backup damaged): {len(problems)} 处问题")
        self.stdout.write(self.style.SUCCESS(f"备份完好 (backup intact): {backup}"))
