"""zhicheng certificate_demo: the demo's revoked certificate (`make run`, after `certificate
issue-approved`; idempotent). The actor is the account given with --as, else the first
active city title office account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhicheng.certificates.management.commands.certificate import (
    acting_user,
    revocation_line,
)
from zhicheng.core.operations import OperationError
from zhicheng.demo.certificates import revoke_demo_certificate


class Command(BaseCommand):
    help = "演示数据：撤销演示证书 (revoke the demo's chosen certificate; idempotent)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="username", help="a city title office account")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("certificate_demo refuses to run with ZHICHENG_PRODUCTION set.")
        try:
            cert, now = revoke_demo_certificate(acting_user(options.get("username")))
        except OperationError as exc:
            raise CommandError(str(exc)) from exc
        if cert is None:
            self.stdout.write("演示证书尚未签发 / the demo certificate is not issued yet")
            return
        self.stdout.write(revocation_line(cert, revoked_now=now))
