"""Hot statements whose SQL the ORM writes once per process, then runs with new arguments.

Building and compiling a query costs Django more CPU than the database spends running it:
about 1 ms for the review POST's aggregate UPDATE and 2 ms for the author's history, on a
route of ten statements. For the few statements a hot path runs on every request, a `Select`
or an `Update` asks the ORM for the SQL once per database, with a marker value
in place of each argument, and afterwards only puts the arguments where the markers were. The
ORM stays the one place each statement is written, and the SQL sent is the ORM's own.

A build passes each argument through unchanged (no arithmetic on it in Python): markers are
found again by value, and one the ORM changed fails the statement's first use loudly.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connections, router, transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.db.models.query import get_related_populators
from django.db.models.sql import UpdateQuery

_serial = itertools.count(1)


def _marker(kind: type) -> Any:
    """A value of `kind` that no real argument takes, distinct from every other marker."""
    n = next(_serial)
    if kind is int:
        return -(2**62) - n
    if kind is float:
        return -1.0e300 * (1 + n / 1024)
    if kind is str:
        return f"\x1fargument-{n}\x1f"
    if kind is datetime:
        return datetime(1, 1, 1, tzinfo=UTC) + timedelta(seconds=n)
    raise TypeError(f"no marker for {kind!r}")


def _adapted(value: Any, connection) -> Any:
    """`value` as the ORM hands it to the driver (SQLite takes datetimes as text)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    # (position in params, argument name, the type the ORM gave it there if not its own)
    slots: tuple[tuple[int, str, type | None], ...]
    converters: dict
    # For a model's rows: where its columns start and end, their attnames, the annotations,
    # the populators of its `select_related` objects and its `prefetch_related` lookups.
    model_columns: tuple


class _Statement:
    def __init__(self, model, build: Callable[..., Any], **kinds: type):
        self.model = model
        self._build = build
        self._kinds = kinds
        self._compiled: dict[str, _Compiled] = {}

    def _alias(self) -> str:
        raise NotImplementedError

    def _compile(self, built: Any, alias: str) -> tuple[str, tuple, dict, tuple]:
        raise NotImplementedError

    def _bound(self, arguments: dict) -> tuple[str, _Compiled, list]:
        alias = self._alias()
        connection = connections[alias]
        compiled = self._compiled.get(alias)
        if compiled is None:
            markers = {name: _marker(kind) for name, kind in self._kinds.items()}
            sql, params, converters, model_columns = self._compile(self._build(**markers), alias)
            sent = {name: _adapted(marker, connection) for name, marker in markers.items()}
            slots = tuple(
                # psycopg's Int4 wraps an integer inside an expression: keep the wrapper.
                (position, name, None if type(value) is type(marker) else type(value))
                for position, value in enumerate(params)
                for name, marker in sent.items()
                if isinstance(value, type(marker)) and value == marker
            )
            missing = set(markers) - {name for _, name, _ in slots}
            if missing:
                raise TypeError(f"the ORM changed the arguments {sorted(missing)} of {self}")
            compiled = _Compiled(sql, tuple(params), slots, converters, model_columns)
            self._compiled[alias] = compiled
        params = list(compiled.params)
        for position, name, wrapper in compiled.slots:
            value = _adapted(arguments[name], connection)
            params[position] = value if wrapper is None else wrapper(value)
        return alias, compiled, params

    def __str__(self) -> str:
        return f"{type(self).__name__}({self._build.__qualname__})"


class Select(_Statement):
    """A SELECT: `build(**arguments)` returns the queryset as it would be run (sliced, in
    `values_list` form); rows come back converted as the ORM converts them.

    A `windowed` statement's build returns the queryset unsliced, and each call names the
    window of rows it reads (`window=(low, high)`, as `queryset[low:high]`): the SQL is the
    ORM's with the limit the ORM would write for that slice, so a page of a list is one
    compiled statement whatever the page.
    """

    def __init__(self, model, build: Callable[..., Any], *, windowed: bool = False, **kinds):
        super().__init__(model, build, **kinds)
        self.windowed = windowed

    def _alias(self) -> str:
        return router.db_for_read(self.model)

    def _compile(self, queryset: QuerySet, alias: str) -> tuple[str, tuple, dict, tuple]:
        if self.windowed and queryset.query.is_sliced:
            raise TypeError(f"the build of windowed {self} slices its queryset")
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        model_columns = ()
        if compiler.klass_info:  # a model's rows, as ModelIterable reads them
            fields = compiler.klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            names = [column[0].target.attname for column in compiler.select[start:end]]
            annotations = tuple(compiler.annotation_col_map.items())
            related = tuple(get_related_populators(compiler.klass_info, compiler.select, alias))
            prefetches = tuple(queryset._prefetch_related_lookups)
            model_columns = (start, end, names, annotations, related, prefetches)
        return sql, params, compiler.get_converters(columns), model_columns

    def rows(self, *, window: tuple[int, int] | None = None, **arguments) -> list[tuple]:
        """The rows for `arguments` (within `window`, for a windowed statement)."""
        return self._rows(arguments, window)[1]

    def instances(self, *, window: tuple[int, int] | None = None, **arguments) -> list:
        """The model instances for `arguments` (within `window`, for a windowed statement), as
        the ORM's own iteration makes them: the build's `select_related` objects joined, its
        `prefetch_related` lookups read after."""
        alias, rows = self._rows(arguments, window)
        start, end, names, annotations, related, prefetches = self._compiled[alias].model_columns
        found = []
        for row in rows:
            instance = self.model.from_db(alias, names, row[start:end])
            for populator in related:
                populator.populate(row, instance)
            for attribute, position in annotations:
                setattr(instance, attribute, row[position])
            found.append(instance)
        if prefetches and found:
            prefetch_related_objects(found, *prefetches)
        return found

    def _rows(self, arguments: dict, window: tuple[int, int] | None) -> tuple[str, list[tuple]]:
        if (window is not None) != self.windowed:
            raise TypeError(f"{self} takes a window" if self.windowed else f"{self} has no window")
        alias, compiled, params = self._bound(arguments)
        connection = connections[alias]
        sql = compiled.sql
        if window is not None:
            low, high = window
            # The clause the ORM writes for queryset[low:high]: the limit stays in the text, so
            # the database plans each page for its own limit.
            sql = f"{sql} {connection.ops.limit_offset_sql(low, high)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return alias, rows
        converted = []
        for row in rows:
            values = list(row)
            for position, (functions, expression) in compiled.converters.items():
                for function in functions:
                    values[position] = function(values[position], expression, connection)
            converted.append(tuple(values))
        return alias, converted


class Update(_Statement):
    """An UPDATE: `build(**arguments)` returns the queryset and the values, as
    `queryset.update()` takes them."""

    def _alias(self) -> str:
        return router.db_for_write(self.model)

    def _compile(self, built: tuple[QuerySet, dict], alias: str) -> tuple[str, tuple, dict]:
        queryset, values = built
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(values)
        query.clear_select_clause()
        sql, params = query.get_compiler(using=alias).as_sql()
        return sql, params, {}, ()

    def run(self, **arguments) -> int:
        """Run it (in the caller's transaction, if any); the number of rows it changed."""
        alias, compiled, params = self._bound(arguments)
        with (
            transaction.mark_for_rollback_on_error(using=alias),
            connections[alias].cursor() as cursor,
        ):
            cursor.execute(compiled.sql, params)
            return cursor.rowcount
