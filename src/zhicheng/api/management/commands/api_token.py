"""zhicheng api_token create|list|revoke: API tokens from the command line, through the
same audited operations as the page. The actor is the account given with --as (it must be
allowed to manage the organisation's tokens), else 系统."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.api.models import ApiToken
from zhicheng.api.operations import create_token, revoke_token
from zhicheng.core.operations import SYSTEM, OperationError
from zhicheng.orgs.models import Organisation


class Command(BaseCommand):
    help = "Create, list and revoke API tokens (docs/api.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token; prints the secret once")
        create.add_argument("--org", required=True, help="organisation name or short name")
        create.add_argument("--name", required=True)
        create.add_argument("--scope", action="append", default=[], dest="scopes",
                            help="applications:read, results:read, reviews:write (repeat)")
        create.add_argument("--user", help="username of the official the token acts as")
        create.add_argument("--days", type=int, help="valid for N days (default: no expiry)")
        create.add_argument("--as", dest="actor", help="account recorded as the creator")
        create.add_argument("--json", action="store_true", help="print JSON")
        listing = sub.add_parser("list", help="list tokens (never the secrets)")
        listing.add_argument("--org", help="only this organisation")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")
        revoke.add_argument("--as", dest="actor")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except OperationError as exc:
            raise CommandError(str(exc)) from exc

    def _actor(self, options: dict[str, Any]) -> Any:
        if not options.get("actor"):
            return SYSTEM
        user = User.objects.filter(username=options["actor"]).first()
        if user is None:
            raise CommandError(f"--as: 没有账户“{options['actor']}”")
        return user

    def _org(self, name: str) -> Any:
        found = list(Organisation.objects.filter(Q(name=name) | Q(short_name=name))[:2])
        if len(found) != 1:
            raise CommandError(f"--org: 没有唯一的机构“{name}”")
        return found[0]

    def _create(self, options: dict[str, Any]) -> None:
        org = self._org(options["org"])
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"--user: 没有账户“{options['user']}”")
        days = options.get("days")
        if days is not None and not 1 <= days <= 3660:
            raise CommandError("--days: 须在1到3660之间")
        expires = timezone.now() + dt.timedelta(days=days) if days else None
        new = create_token(org, self._actor(options), name=options["name"],
                           scopes=options["scopes"], user=user, expires_at=expires)
        if options["json"]:
            self.stdout.write(json.dumps({
                "token": new.secret, "prefix": new.token.prefix, "organisation": org.name,
                "scopes": new.token.scopes, "user": user.username if user else None,
            }, ensure_ascii=False))
        else:
            self.stdout.write(new.secret)
            scopes = "、".join(new.token.scopes)
            self.stderr.write(f"令牌 {new.token.prefix}（{org.name}，{scopes}）已创建；"
                              "密钥只显示这一次。")

    def _list(self, options: dict[str, Any]) -> None:
        qs = ApiToken.objects.select_related("organisation", "user").order_by("pk")
        if options.get("org"):
            qs = qs.filter(organisation=self._org(options["org"]))
        for t in qs:
            self.stdout.write("\t".join([
                t.prefix, t.organisation.name, t.name, ",".join(t.scopes),
                t.user.username if t.user else "-", t.status_label,
                t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else "-",
            ]))

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.filter(prefix=options["prefix"]).first()
        if token is None:
            raise CommandError(f"没有前缀为“{options['prefix']}”的令牌")
        revoke_token(token, self._actor(options))
        self.stdout.write(f"已吊销 {token.prefix}")
