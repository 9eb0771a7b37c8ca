"""Queries run again and again with the same SQL, as server-side prepared statements on
PostgreSQL: the server plans such a statement once per connection instead of on every run.

A worklist page's scoped, annotated query took ~1 ms of PostgreSQL planning for ~1 ms of
execution (docs/performance.md, "Page budgets"). Its SQL is the same whenever its inputs are
(reviews.queries compiles it once for them), so the plan can be kept. The parameters are bound
into the SQL text first, as Django's client-side-binding cursor sends them anyway: a statement
without parameters always runs the plan made for its literal values (never a generic plan for
unknown values), and the server plans it again on its own after a schema change or ANALYZE.

The statements are prepared by psycopg at the protocol level (its per-connection cache, which
deallocates the least recently used one past `STATEMENTS_PER_CONNECTION`; a rollback drops
them all and they are prepared again). Django leaves prepared statements off for the queries
it sends (connection poolers in transaction mode, older than PgBouncer 1.21, lose them):
`ZHICHENG_PREPARED_STATEMENTS = False` turns them off here too. Other backends, and psycopg 2,
run the same SQL as usual.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

# A kept statement costs the server ~200 KiB per connection (a worklist page's two queries:
# ~400 KiB); psycopg's own default is 100.
STATEMENTS_PER_CONNECTION = 32
# Prepared on first use (never on a count of runs: only the statements given here are).
_NEVER_BY_COUNT = 1 << 30


def enabled(connection: BaseDatabaseWrapper) -> bool:
    if connection.vendor != "postgresql" or not getattr(
            settings, "ZHICHENG_PREPARED_STATEMENTS", True):
        return False
    # imported here: the PostgreSQL backend's modules need psycopg, absent on SQLite installs
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return bool(is_psycopg3)


def bind(connection: BaseDatabaseWrapper, sql: str, params: Any) -> str:
    """The SQL with its parameters as literals (as the client-side cursor sends it)."""
    ops: Any = connection.ops  # PostgreSQL's (compose_sql is psycopg's mogrify)
    return str(ops.compose_sql(sql, params)) if params else sql


_CURSOR: Any = None


def _cursor_class() -> Any:
    """A server-binding cursor (Django's, with its `callproc`) that prepares what it runs."""
    global _CURSOR
    if _CURSOR is None:
        # imported here: only on PostgreSQL (the backend's module needs psycopg)
        from django.db.backends.postgresql.base import ServerBindingCursor

        base: Any = ServerBindingCursor

        class PreparingCursor(base):
            def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
                return super().execute(query, params, prepare=True)

        _CURSOR = PreparingCursor
    return _CURSOR


def fetchall(connection: BaseDatabaseWrapper, sql: str) -> list[tuple[Any, ...]]:
    """The rows of `sql` (from `bind`), run as a prepared statement, through Django's cursor
    wrapper (execute wrappers, the debug log, database errors as Django's)."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw: Any = connection.connection
    raw.prepared_max = STATEMENTS_PER_CONNECTION
    cursor = _cursor_class()(raw)
    wrapped = (connection.make_debug_cursor(cursor) if connection.queries_logged
               else connection.make_cursor(cursor))
    # psycopg prepares nothing while the connection's threshold is None (as Django leaves it):
    # set for this statement only, so that the queries Django sends meanwhile are not counted
    # by psycopg (Django's cursors bind on the client and never prepare). psycopg keeps the
    # statements prepared here and drops them all on a rollback.
    threshold = raw.prepare_threshold
    raw.prepare_threshold = _NEVER_BY_COUNT
    try:
        with wrapped:
            wrapped.execute(sql)
            return list(wrapped.fetchall())
    finally:
        raw.prepare_threshold = threshold
