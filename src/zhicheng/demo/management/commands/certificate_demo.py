"""zhicheng certificate_demo: the demo's revoked certificate (`make run`, after `certificate
issue-approved`; idempotent). The actor is the account given with --as, else the first
active city title office account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhicheng.accounts.models import User
from zhicheng.core.operations import OperationError
from zhicheng.demo.certificates import revoke_demo_certificate
from zhicheng.orgs.models import Membership, Role


class Command(BaseCommand):
    help = "演示数据：撤销演示证书 (revoke the demo's chosen certificate; idempotent)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="username", help="a city title office account")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("certificate_demo refuses to run with ZHICHENG_PRODUCTION set.")
        try:
            cert, now = revoke_demo_certificate(self._actor(options.get("username")))
        except OperationError as exc:
            raise CommandError(str(exc)) from exc
        if cert is None:
            self.stdout.write("演示证书尚未签发 / the demo certificate is not issued yet")
            return
        state = "已撤销 / revoked" if now else "此前已撤销 / already revoked"
        self.stdout.write(f"{cert.number} {cert.holder_name}: {state} "
                          f"({cert.revocation_decision_number}, {cert.revoked_on})")

    def _actor(self, username: str | None) -> Any:
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
