"""PostgreSQL primary + read replicas (several machines; docs/deploy.md).

Every query goes to the primary (`default`) unless all of these hold:

- the request is a GET/HEAD to a view named in `ZHICHENG_REPLICA_VIEWS` (scoped list pages
  and public pages, where a few seconds of replication lag harm no one);
- the browser did not write in the last `ZHICHENG_REPLICA_PIN_SECONDS` (after a POST the
  user must see their own change: a short cookie pins them to the primary);
- no transaction is open on the primary: operations (`zhicheng.core.operations.operation`)
  run inside `transaction.atomic`, so their reads, locks and checks always see the primary.

Writes, migrations, Celery tasks and management commands always use the primary. Enabled by
`DATABASE_REPLICA_URLS` (settings.py adds this router and the middleware).
"""

from __future__ import annotations

import contextvars
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

PIN_COOKIE = "zhicheng_primary"
SAFE_METHODS = frozenset({"GET", "HEAD"})

_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "zhicheng_replica_reads", default=False
)
_round_robin = itertools.count()


def replica_aliases() -> list[str]:
    return list(getattr(settings, "ZHICHENG_REPLICA_DATABASES", []))


@contextmanager
def replica_reads(allowed: bool = True) -> Iterator[None]:
    """Let reads outside a primary transaction go to a replica within this block."""
    token = _replica_reads.set(allowed)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def _choose_replica(aliases: list[str]) -> str:
    return aliases[next(_round_robin) % len(aliases)]


class PrimaryReplicaRouter:
    """Django database router: see the module docstring for the rules."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        aliases = replica_aliases()
        if not aliases or not _replica_reads.get():
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return _choose_replica(aliases)

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Replicas are copies of the primary: an object read from one may point at another.
        known = {DEFAULT_DB_ALIAS, *replica_aliases()}
        if obj1._state.db in known and obj2._state.db in known:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # Replicas receive the schema through replication, never through migrate.
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Route the reads of the configured list pages to a replica (see the module docstring).

    Must come after the authentication middleware (settings.py appends it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._eligible(request):
            response = self.get_response(request)
            if request.method not in SAFE_METHODS:
                self._pin(request, response)
            return response
        # The session and the user are read lazily; read them on the primary now so that a
        # login which has not reached the replica yet is not mistaken for a visitor.
        user = getattr(request, "user", None)
        if user is not None:
            getattr(user, "pk", None)
        with replica_reads():
            return self.get_response(request)

    @staticmethod
    def _eligible(request: HttpRequest) -> bool:
        if request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES:
            return False
        if not replica_aliases():
            return False
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return False
        return match.view_name in set(getattr(settings, "ZHICHENG_REPLICA_VIEWS", ()))

    @staticmethod
    def _pin(request: HttpRequest, response: HttpResponse) -> None:
        seconds = int(getattr(settings, "ZHICHENG_REPLICA_PIN_SECONDS", 10))
        if seconds > 0:
            response.set_cookie(PIN_COOKIE, "1", max_age=seconds, httponly=True,
                                samesite="Lax", secure=request.is_secure())
