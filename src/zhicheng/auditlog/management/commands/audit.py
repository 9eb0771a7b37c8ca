"""zhicheng audit sequence|verify|export|checkpoint|checkpoints (docs/trust.md).

- `sequence [--follow [--interval S]]` chains the committed events not chained yet, once, or
  as the sequencer process (`ZHICHENG_AUDIT_CHAINING=sequencer`) until stopped;
- `verify [--checkpoints FILE [--keys FILE]]` checks every link of the chain in the database,
  and with saved checkpoints that the chain still has each signed hash (exit 1 on a break);
- `export [--output FILE]` writes the chain as JSON Lines for `tools/verify/audit_chain.py`;
- `checkpoint` signs a checkpoint now with the city office's audit key;
- `checkpoints [--output FILE]` writes the published checkpoints, `keys --output FILE` the
  audit's public keys;
- `rotate-key [--algorithm SM2]` makes a new audit key (Ed25519 or SM2 with SM3) the one that
  signs; the old one keeps verifying the checkpoints it signed."""

import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhicheng.auditlog.operations import audit_key_dir, sign_checkpoint
from zhicheng.auditlog.queries import check_checkpoints, published_checkpoints
from zhicheng.certificates import keys as keystore
from zhicheng.core import labels
from zhicheng.core.audit import export_lines, follow_sequence, sequence_events, verify_chain


class Command(BaseCommand):
    help = ("Audit chain tools: sequence (--follow: the sequencer process), verify (with saved "
            "checkpoints), export, checkpoint, checkpoints.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["sequence", "verify", "export", "checkpoint",
                                               "checkpoints", "keys", "rotate-key"])
        parser.add_argument("--follow", action="store_true",
                            help="sequence: keep chaining until stopped (the sequencer process)")
        parser.add_argument("--interval", type=float, default=0.2,
                            help="sequence --follow: seconds between runs (default 0.2)")
        parser.add_argument("--algorithm", choices=keystore.ALGORITHMS,
                            default=keystore.ALGORITHM, help="rotate-key: the new key's algorithm")
        parser.add_argument("--output", help="export/checkpoints/keys: file to write")
        parser.add_argument("--checkpoints", help="verify: checkpoints saved earlier (JSON)")
        parser.add_argument("--keys", help="verify: the audit keys (default: the audit key dir)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "sequence":
            self._sequence(options)
        elif action == "export":
            self._write((line + "\n" for line in export_lines()), options.get("output"))
        elif action == "checkpoint":
            cp = sign_checkpoint()
            self.stdout.write(f"已签署审计检查点：第{cp.seq}条事件 {cp.hash}（{cp.time}，"
                              f"密钥{cp.key_id}）/ checkpoint #{cp.seq} signed")
        elif action == "checkpoints":
            text = json.dumps(published_checkpoints(), ensure_ascii=False, indent=2) + "\n"
            self._write([text], options.get("output"))
        elif action == "rotate-key":
            directory = audit_key_dir()
            previous = keystore.active_key_id(directory)
            key_id = keystore.generate(directory, algorithm=options["algorithm"])
            name = labels.label(options["algorithm"], "signature_algorithm")
            self.stdout.write(f"新审计密钥 {key_id}（{name}）已启用 / audit key {key_id} active")
            if previous:
                self.stdout.write(f"旧审计密钥 {previous} 停止签署，继续用于验证 / retired")
        elif action == "keys":
            keys = keystore.keys_document(audit_key_dir())
            self._write([json.dumps(keys, ensure_ascii=False, indent=2) + "\n"],
                        options.get("output"))
        else:
            self._verify(options)

    def _sequence(self, options: dict[str, Any]) -> None:
        if not options["follow"]:
            self.stdout.write(f"已入链 / chained: {sequence_events()}")
            return
        interval = options["interval"]
        if not 0 < interval <= 60:
            raise CommandError("--interval 须在0到60秒之间 (seconds, 0 < S ≤ 60)")
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"审计排序进程已启动，每{interval:g}秒入链一次 / sequencer running")
        chained = follow_sequence(interval, keep_going=lambda: not stop.is_set(),
                                  sleep=stop.wait)
        self.stdout.write(f"审计排序进程已停止，共入链{chained}条 / sequencer stopped: {chained}")

    def _write(self, chunks: Any, output: str | None) -> None:
        if not output:
            for chunk in chunks:
                sys.stdout.write(chunk)
            return
        with Path(output).open("w", encoding="utf-8") as f:
            for chunk in chunks:
                f.write(chunk)
        self.stdout.write(f"已写入 / written: {output}")

    def _verify(self, options: dict[str, Any]) -> None:
        # Chain what is pending first (events committed a moment ago, or before a crash), so
        # the check covers every stored event.
        chained = sequence_events()
        if chained:
            self.stdout.write(f"已入链 / chained: {chained}")
        result = verify_chain()
        if not result.ok:
            self.stderr.write(str(result))
            raise SystemExit(1)
        if not options.get("checkpoints"):
            self.stdout.write(str(result))
            return
        try:
            document = json.loads(Path(options["checkpoints"]).read_text(encoding="utf-8"))
            public = keystore.load_public_keys(
                Path(options["keys"]) if options.get("keys") else audit_key_dir())
        except (OSError, ValueError, keystore.SigningKeyError) as exc:
            raise CommandError(f"无法读取检查点或审计公钥 (cannot read): {exc}") from exc
        problems = check_checkpoints(document, public)
        if problems:
            for problem in problems:
                self.stderr.write(f"BROKEN: {problem}")
            raise SystemExit(1)
        count = len(document.get("checkpoints", [])) if isinstance(document, dict) else 0
        self.stdout.write(f"{result}; {count} checkpoints match / 与{count}个检查点一致")
