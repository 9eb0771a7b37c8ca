"""Querysets compiled once and run again: their SQL, parameters, the names of their values and
their columns' converters, without building and compiling the queryset on every request
(building and compiling a scoped, joined query costs a page more CPU than running it:
docs/performance.md, "Page budgets")."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connections
from django.db.models import Model, QuerySet

from . import pgstatements


class Compiled:
    """One values() query as the ORM compiles it (what `QuerySet.values()` does on every
    evaluation), kept to be run again.

    `kept`: run again with the same parameters, so planned once per connection on PostgreSQL
    (core.pgstatements). `stand_in`: an integer the queryset was built with in place of a value
    given to each run (`lists(value)`, `rows(value)`: e.g. the user's id), so that one compiled
    query serves everyone; such a query is not prepared (one statement per value)."""

    def __init__(self, qs: QuerySet[Any], *, kept: bool = False,
                 stand_in: int | None = None,
                 wrap: Callable[[Any], tuple[str, list[str]]] | None = None) -> None:
        query = qs.query
        self.db = qs.db
        compiler = query.get_compiler(self.db)
        try:
            self.sql, self.params = compiler.as_sql()
        except EmptyResultSet:  # as the ORM: nothing to ask the database
            self.sql, self.params = "", ()
        self.names = list(query.selected) if query.selected else [
            *query.extra_select, *query.values_select, *query.annotation_select]
        columns = [s[0] for s in compiler.select[0:compiler.col_count]]
        # Only the converters are kept, not the compiler and its query (~100 KiB each).
        self.converters = list(compiler.get_converters(columns).items()) if self.sql else []
        if wrap is not None and self.sql:
            # The query as a subquery of SQL the ORM cannot write: `wrap(connection)` gives
            # that SQL, "{inner}" standing for the query, and the names of its columns, the
            # query's own first and in their order (so its converters apply as they are).
            outer, names = wrap(connections[self.db])
            if names[:len(self.names)] != self.names:
                raise ValueError("a wrapping query selects the wrapped query's columns first")
            self.names = names
            self.sql = outer.replace("{inner}", self.sql)
        self.slots = [] if stand_in is None else [
            i for i, p in enumerate(self.params) if type(p) is int and p == stand_in]
        if stand_in is not None and self.sql and not self.slots:
            raise ValueError("the stand-in value is not among the query's parameters")
        # A query kept to be run again is planned once per connection (core.pgstatements: its
        # planning cost as much as its execution); a one-off one (a search) is not prepared.
        self.prepared_sql: str | None = None
        if kept and not self.slots and self.sql and pgstatements.enabled(connections[self.db]):
            self.prepared_sql = pgstatements.bind(connections[self.db], self.sql, self.params)

    def lists(self, value: int | None = None) -> list[list[Any]]:
        """The rows as lists of the values' Python values (in the order of `names`)."""
        if not self.sql:
            return []
        connection = connections[self.db]
        if self.prepared_sql is not None:
            try:
                found = [list(row) for row in pgstatements.fetchall(connection, self.prepared_sql)]
            except DatabaseError:
                # E.g. a plan whose result type a migration changed under this process:
                # this query runs unprepared from now on.
                self.prepared_sql = None
                raise
        else:
            params: Any = self.params
            if self.slots:
                params = list(params)
                for i in self.slots:
                    params[i] = value
            with connection.cursor() as cursor:
                cursor.execute(self.sql, params)
                found = [list(row) for row in cursor.fetchall()]
        # SQLCompiler.apply_converters, on lists.
        for pos, (converters, expression) in self.converters:
            for row in found:
                v = row[pos]
                for converter in converters:
                    v = converter(v, expression, connection)
                row[pos] = v
        return found

    def rows(self, value: int | None = None) -> list[dict[str, Any]]:
        """The rows as `QuerySet.values()` gives them."""
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.lists(value)]


# Compiled queries by everything their SQL depends on (the caller's key), per thread (the
# converters belong to the thread's connection), the least recently used dropped past
# KEPT_PER_THREAD.
_KEPT = threading.local()
KEPT_PER_THREAD = 64


def kept(key: Hashable, build: Callable[[], QuerySet[Any]], *, prepare: bool = True,
         wrap: Callable[[Any], tuple[str, list[str]]] | None = None,
         stand_in: int | None = None) -> Compiled:
    """`build()` compiled once per thread for `key`, which must name everything the SQL and
    its parameters depend on (the inputs, the business date, the page's bounds) but the
    `stand_in` value, given to each run instead. `prepare`: also a server-side prepared
    statement on PostgreSQL (a query run again and again with the same parameters, not one
    per page of a list; never with a stand-in)."""
    cache: OrderedDict[Hashable, Compiled] | None = getattr(_KEPT, "cache", None)
    if cache is None:
        cache = _KEPT.cache = OrderedDict()
    found = cache.get(key)
    if found is not None:
        cache.move_to_end(key)
        return found
    found = cache[key] = Compiled(build(), kept=prepare and stand_in is None, wrap=wrap,
                                  stand_in=stand_in)
    while len(cache) > KEPT_PER_THREAD:
        cache.popitem(last=False)
    return found


Related = tuple[str, type[Model], tuple[str, ...]]


def values_of(fields: tuple[str, ...], related: list[Related]) -> list[str]:
    """The values() names of `fields` and of each related model's fields (`instances`)."""
    return [*fields, *(f"{via}__{f}" for via, _model, names in related for f in names)]


def instances(compiled: Compiled, value: int | None, model: type[Model],
              fields: tuple[str, ...], related: list[Related]) -> list[Any]:
    """The rows of a query of `values_of(fields, related)` as instances of `model` with only
    `fields` loaded, each related row (its primary key first) an instance set on its foreign
    key (None for an empty one, as select_related sets it): `Model.from_db`, as the ORM
    builds the instances of `.only(...)` with `select_related(...)`."""
    found = []
    n = len(fields)
    for row in compiled.lists(value):
        obj = model.from_db(compiled.db, fields, row[:n])
        at = n
        for via, other, names in related:
            part = row[at:at + len(names)]
            at += len(names)
            setattr(obj, via, None if part[0] is None else other.from_db(compiled.db, names, part))
        found.append(obj)
    return found
