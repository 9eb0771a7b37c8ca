"""Queries compiled once and run again with other inputs (a prepared statement in Python).

Building and compiling a queryset costs more CPU than running it for the small reads of a
write (a locking read with its related rows: ~2.5 ms; a three-filter lookup: ~0.5 ms), and
their SQL is the same on every run but for a few values. `prepared(key, build, alias)` calls
`build(*markers)` once per thread and database, with marker values in place of the inputs,
compiles it and remembers where each marker lands in the parameters; `rows(*values)` and
`instances(*values)` put the values there and execute the same SQL:

    read = prepared(("colleague",), lambda season, level: Application.objects.filter(
        season_id=season, level=level).values_list("pk"), alias, markers=(M1, "\\x00m2"))
    rows = read.rows(season_id, level)        # tuples, as values_list() gives them
    apps = read.instances(season_id, level)   # model instances (select_related, prefetches)

Only for a query whose SQL does not depend on the values themselves (a None compiles to
IS NULL, an empty list to nothing: the key must then tell those cases apart) nor on anything
else that changes (today's date, settings): the key names everything the SQL depends on
beyond the markers. Kept per thread: the converters and the compiler belong to the thread's
connection (reviews.queries keeps its compiled worklist queries the same way). A compiler
with its query weighs up to ~100 KiB; the keys are a fixed dozen (the reads of a submission
and a pre-check), not one per input, so a thread keeps about a megabyte.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from itertools import chain
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.db.models.sql.constants import MULTI
from django.db.models.sql.query import Query

# Integer markers: no row has a negative id, so a marker never matches by accident; each is
# distinct so that its position in the parameters is unambiguous.
INT_MARKERS = (-7_020_301, -7_020_302, -7_020_303, -7_020_304, -7_020_305, -7_020_306)


class _BoundCompiler:
    """The prepared compiler with one run's parameters: what `ModelIterable` asks of a
    compiler (its select, klass_info, converters…) comes from the compiled one; its SQL is
    not built again."""

    def __init__(self, prepared: Prepared, params: Sequence[Any]) -> None:
        self._compiler = prepared.compiler
        self._sql = prepared.sql
        self._params = params
        self._converters = prepared.converters

    def __getattr__(self, name: str) -> Any:
        return getattr(self._compiler, name)

    def as_sql(self, *args: Any, **kwargs: Any) -> tuple[str, Sequence[Any]]:
        return self._sql, self._params

    def execute_sql(self, *args: Any, **kwargs: Any) -> Any:
        # The compiler class's own method, run on this object so that it asks as_sql above.
        return type(self._compiler).execute_sql(self, *args, **kwargs)

    def results_iter(self, results: Any = None, tuple_expected: bool = False,
                     **kwargs: Any) -> Any:
        """SQLCompiler.results_iter with the converters found once (not on every run)."""
        compiler = self._compiler
        if results is None:
            results = self.execute_sql(MULTI, **kwargs)
        rows: Any = chain.from_iterable(results)
        if self._converters:
            rows = compiler.apply_converters(rows, self._converters)
        if compiler.has_composite_fields([s[0] for s in compiler.select[0:compiler.col_count]]):
            rows = compiler.composite_fields_to_tuples(
                rows, [s[0] for s in compiler.select[0:compiler.col_count]])
        if tuple_expected:
            rows = map(tuple, rows)
        return rows


class _PreparedQuery(Query):
    """A query that is never compiled again: it hands out the bound compiler."""

    def __init__(self, model: Any, compiler: _BoundCompiler) -> None:
        super().__init__(model)
        self._bound = compiler

    def get_compiler(self, *args: Any, **kwargs: Any) -> Any:
        return self._bound


class Prepared:
    """One compiled query and where its inputs go (see the module's docstring)."""

    # `qs` is Any: the queryset's private state (prefetches, fetch mode) is read as the ORM's
    # own iterables read it.
    def __init__(self, qs: Any, markers: Sequence[Any]) -> None:
        self.db = qs.db
        self.model = qs.model
        self.prefetches = qs._prefetch_related_lookups
        self.fetch_mode = qs._fetch_mode
        self.iterable = qs._iterable_class
        compiler = qs.query.get_compiler(self.db)
        sql, params = compiler.as_sql()
        params = list(params)
        positions = []
        for marker in markers:
            found = [i for i, p in enumerate(params) if p == marker]
            if len(found) != 1:  # never expected: the caller's build is not one this handles
                raise LookupError(f"marker {marker!r} found {len(found)} times in the parameters")
            positions.append(found[0])
        self.sql, self.params, self.positions = sql, params, positions
        self.compiler = compiler
        self.converters = compiler.get_converters(
            [s[0] for s in compiler.select[0:compiler.col_count]])
        self.children = _prepared_children(qs, self.db)

    def _params(self, values: Sequence[Any]) -> list[Any]:
        params = list(self.params)
        for pos, value in zip(self.positions, values, strict=True):
            params[pos] = value
        return params

    def instances(self, *values: Any) -> list[Any]:
        """What iterating the queryset gives (model instances with their select_related rows,
        annotations and prefetched relations), for these values."""
        bound = _BoundCompiler(self, self._params(values))
        qs: Any = QuerySet(model=self.model, query=_PreparedQuery(self.model, bound),
                           using=self.db)
        qs._prefetch_related_lookups = self.prefetches if self.children is None else ()
        qs._fetch_mode = self.fetch_mode
        qs._iterable_class = self.iterable
        found = list(qs)
        if self.children is not None and found:
            if len(found) == 1:
                for child in self.children:
                    child.attach(found[0])
            else:  # the prepared children read one parent's rows: Django's prefetch
                prefetch_related_objects(found, *self.prefetches)
        return found

    def rows(self, *values: Any) -> list[tuple[Any, ...]]:
        """The rows as tuples, the columns' converters applied (as values_list() does)."""
        compiler = self.compiler
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, self._params(values))
            found = cursor.fetchall()
        if compiler.has_extra_select:
            found = [row[:compiler.col_count] for row in found]
        if self.converters and found:
            return [tuple(row) for row in compiler.apply_converters(found, self.converters)]
        return [tuple(row) for row in found]


class _Child:
    """A prefetch of a reverse foreign key (`Prefetch("materials", queryset=…)`), prepared
    for one parent and stored as `prefetch_related_objects` stores it: the related manager's
    queryset with its result cache, each child's foreign key cached to the parent."""

    def __init__(self, lookup: Any, rel: Any, qs: QuerySet[Any], db: str) -> None:
        self.lookup = lookup
        self.name = lookup.prefetch_to
        self.field = rel.field  # the child's foreign key
        self.read = Prepared(qs.filter(**{self.field.name: INT_MARKERS[-1]}).using(db),
                             INT_MARKERS[-1:])

    def attach(self, parent: Any) -> None:
        (value,) = self.field.get_foreign_related_value(parent)
        rows = self.read.instances(value)
        for row in rows:
            self.field.set_cached_value(row, parent)
        manager = getattr(parent, self.name)
        cached = manager._apply_rel_filters(self.lookup.queryset._chain())
        cached._result_cache = rows
        cached._prefetch_done = True
        if not hasattr(parent, "_prefetched_objects_cache"):
            parent._prefetched_objects_cache = {}
        parent._prefetched_objects_cache[self.field.remote_field.cache_name] = cached


def _prepared_children(qs: Any, db: str) -> list[_Child] | None:
    """The prefetches prepared as children, or None: Django's prefetch (a nested or
    to_attr lookup, a many-to-many or a sliced queryset are not prepared)."""
    children = []
    for lookup in qs._prefetch_related_lookups:
        if not isinstance(lookup, Prefetch) or lookup.queryset is None or lookup.to_attr \
                or "__" in lookup.prefetch_through or lookup.queryset.query.is_sliced:
            return None
        rel = qs.model._meta.get_field(lookup.prefetch_through)
        if not (rel.one_to_many and rel.auto_created) or len(rel.field.foreign_related_fields) != 1:
            return None
        children.append(_Child(lookup, rel, lookup.queryset, db))
    return children


def key_value(model: Any, value: Any) -> int | None:
    """`value` as the integer primary key of `model`, or None where the ORM would find no
    row (not a number, or out of the column's range: the ORM's lookup matches nothing, a
    prepared statement's parameter would be refused by the database)."""
    field = model._meta.pk
    try:
        number = field.to_python(value)
    except (TypeError, ValueError, ValidationError):
        return None
    if not isinstance(number, int):
        return None
    low, high = connections[router.db_for_read(model)].ops.integer_field_range(
        field.get_internal_type())
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


def first_of(qs: QuerySet[Any]) -> QuerySet[Any]:
    """The query `qs.first()` runs (its ordering, else the primary key's; one row)."""
    return (qs if qs.ordered else qs.order_by("pk"))[:1]


_PREPARED = threading.local()


def prepared(key: Hashable, build: Callable[..., QuerySet[Any]], alias: str,
             markers: Sequence[Any] = INT_MARKERS[:1]) -> Prepared:
    """The query `build(*markers)` compiled for `alias`, once per thread (see the module's
    docstring for what `key` must name)."""
    cache: dict[Hashable, Prepared] | None = getattr(_PREPARED, "cache", None)
    if cache is None:
        cache = _PREPARED.cache = {}
    found = cache.get((alias, key))
    if found is None:
        found = cache[(alias, key)] = Prepared(build(*markers).using(alias), markers)
    return found
