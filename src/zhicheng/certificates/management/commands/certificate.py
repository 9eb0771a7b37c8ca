"""zhicheng certificate keygen|rotate|verify|issue-approved|revocations (docs/certificates.md).

`verify` needs no database: only the public key files (`--keys DIR` or a published
keys.json) and optionally a signed revocation list (`--revocations FILE`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhicheng.accounts.models import User
from zhicheng.applications.models import Application
from zhicheng.applications.states import State
from zhicheng.certificates import keys
from zhicheng.certificates.models import Certificate
from zhicheng.certificates.operations import issue_certificate, revoke_certificate
from zhicheng.certificates.payload import PREFIX
from zhicheng.certificates.queries import revocation_list
from zhicheng.certificates.signing import verify_revocation_list, verify_text
from zhicheng.core import labels
from zhicheng.core.operations import OperationError
from zhicheng.orgs.models import Membership, Role


def read_code(source: str) -> str:
    """The QR text from a certificate PDF (its Keywords), a text file, or the argument."""
    if source.strip().startswith(PREFIX + "."):
        return source.strip()
    if "#" + PREFIX + "." in source:  # the verification link of the QR code
        return source.split("#", 1)[1].strip()
    path = Path(source)
    try:
        is_file = path.is_file()
    except OSError:
        is_file = False
    if is_file:
        if path.read_bytes()[:5] == b"%PDF-":
            from pypdf import PdfReader  # start-up time: only `verify` reads a PDF

            meta = PdfReader(str(path)).metadata
            keywords = str(meta.get("/Keywords", "") or "") if meta is not None else ""
            if not keywords:
                raise CommandError("PDF中没有证书签名内容 (no certificate code in this PDF)")
            return keywords.strip()
        text = path.read_text(encoding="utf-8").strip()
        return text.split("#", 1)[1].strip() if "#" + PREFIX + "." in text else text
    return source.strip()


def acting_user(username: str | None) -> User:
    """The account given with --as, else the first active city title office account (also the
    demo's revocation, `certificate_demo`)."""
    if username:
        actor = User.objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"没有账户 {username} (no such account)")
        return actor
    m = Membership.objects.filter(role=Role.CITY_OFFICE, active=True,
                                  user__is_active=True).select_related("user").first()
    if m is None:
        raise CommandError("没有市职称办账户 (no city title office account)")
    return m.user


def revocation_line(cert: Certificate, *, revoked_now: bool) -> str:
    """What `certificate revoke` and `certificate_demo` print for a revoked certificate."""
    state = "已撤销 / revoked" if revoked_now else "此前已撤销 / already revoked"
    return (f"{cert.number} {cert.holder_name}: {state} "
            f"({cert.revocation_decision_number}, {cert.revoked_on})")


class Command(BaseCommand):
    help = "电子证书：密钥、离线验证、批量签发、撤销清单 (certificate keys, verify, issue)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        keygen = sub.add_parser("keygen", help="create a signing key")
        keygen.add_argument("--if-missing", action="store_true",
                            help="do nothing when an active key exists (make run)")
        keygen.add_argument("--dir", help="key directory (default ZHICHENG_KEY_DIR)")
        rotate = sub.add_parser("rotate", help="new active key; old keys keep verifying")
        rotate.add_argument("--dir")
        for p in (keygen, rotate):
            p.add_argument("--algorithm", choices=keys.ALGORITHMS, default=keys.ALGORITHM,
                           help="Ed25519 (default) or SM2 (国密 SM2 with SM3)")
        verify = sub.add_parser("verify", help="verify a certificate offline")
        verify.add_argument("source", metavar="FILE_OR_PAYLOAD")
        verify.add_argument("--keys", help="public key directory or keys.json")
        verify.add_argument("--revocations", help="signed revocation list (revocations.json)")
        issue = sub.add_parser("issue-approved", help="issue certificates for approved results")
        issue.add_argument("--as", dest="username", help="a city title office account")
        issue.add_argument("--approval-number", default="")
        revoke = sub.add_parser("revoke", help="revoke a certificate (city title office)")
        revoke.add_argument("number", nargs="?", help="certificate number")
        revoke.add_argument("--evidence", default="", help="the facts and evidence of fraud")
        revoke.add_argument("--decision-number", default="", help="the decision's number")
        revoke.add_argument("--category", default="fraud")
        revoke.add_argument("--as", dest="username", help="a city title office account")
        revs = sub.add_parser("revocations", help="write the signed revocation list")
        revs.add_argument("--output", help="file (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action in ("keygen", "rotate"):
            self._keygen(options, rotate=action == "rotate")
        elif action == "verify":
            self._verify(options)
        elif action == "issue-approved":
            self._issue(options)
        elif action == "revocations":
            self._revocations(options)
        elif action == "revoke":
            self._revoke(options)

    def _keygen(self, options: dict[str, Any], *, rotate: bool) -> None:
        directory = Path(options["dir"]) if options.get("dir") else keys.key_dir()
        if options.get("if_missing"):
            key_id, created = keys.ensure_key(directory, algorithm=options["algorithm"])
            if created:
                self.stdout.write(f"已创建签名密钥 {key_id}（{directory}）/ created key {key_id}")
            return
        previous = keys.active_key_id(directory)
        if not rotate and previous:
            raise CommandError(
                f"已有签名密钥 {previous}；轮换请用 rotate (key exists: use `rotate`)"
            )
        key_id = keys.generate(directory, algorithm=options["algorithm"])
        name = labels.label(options["algorithm"], "signature_algorithm")
        self.stdout.write(f"新签名密钥 {key_id}（{name}）已启用（{directory}）/ key {key_id} "
                          f"({options['algorithm']}) active")
        if previous:
            self.stdout.write(f"旧密钥 {previous} 停止签发，继续用于验证 / {previous} retired")

    def _verify(self, options: dict[str, Any]) -> None:
        source = Path(options["keys"]) if options.get("keys") else keys.key_dir()
        try:
            public_keys = keys.load_public_keys(source)
        except (keys.SigningKeyError, ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        result = verify_text(read_code(options["source"]), public_keys)
        if result.valid and options.get("revocations"):
            try:
                document = json.loads(Path(options["revocations"]).read_text(encoding="utf-8"))
                revoked = verify_revocation_list(document, public_keys)
            except (ValueError, OSError) as exc:
                self.stderr.write(str(exc))
                sys.exit(1)
            entry = revoked.get(str(result.data.get("no")))
            if entry:
                result.revoked = {
                    "revoked_on": entry.get("revoked_on"),
                    "category": entry.get("category_label") or entry.get("category"),
                }
        if result.valid:
            for key in ("no", "name", "idm", "title", "level", "specialty", "issued"):
                if key in result.data:
                    self.stdout.write(f"  {key}: {result.data[key]}")
        (self.stdout if result.ok else self.stderr).write(result.message)
        if not result.ok:
            sys.exit(1)

    def _actor(self, options: dict[str, Any]) -> Any:
        return acting_user(options.get("username"))

    def _revoke(self, options: dict[str, Any]) -> None:
        actor = self._actor(options)
        try:
            cert = Certificate.objects.filter(
                number=(options.get("number") or "").strip().upper()).first()
            if cert is None:
                raise CommandError(f"查无此证：{options.get('number')} (unknown certificate)")
            cert, now = revoke_certificate(
                cert, actor, evidence=options["evidence"],
                decision_number=options["decision_number"], category=options["category"],
            ), True
        except OperationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(revocation_line(cert, revoked_now=now))

    def _issue(self, options: dict[str, Any]) -> None:
        actor = self._actor(options)
        issued = refused = 0
        for app in Application.objects.filter(state=State.APPROVED).select_related("season"):
            try:
                # Without --approval-number: the 核准备案文号 the results were filed under.
                cert = issue_certificate(app, actor,
                                         approval_number=options["approval_number"] or "")
            except OperationError as exc:
                refused += 1
                self.stderr.write(f"{app.pk}: {exc}")
            else:
                issued += 1
                self.stdout.write(f"{cert.number} {cert.holder_name}")
        self.stdout.write(
            f"签发 {issued} 份，未签发 {refused} 份 / issued {issued}, refused {refused}"
        )

    def _revocations(self, options: dict[str, Any]) -> None:
        doc = revocation_list()
        text = json.dumps(doc, ensure_ascii=False, indent=2)
        if options.get("output"):
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)
