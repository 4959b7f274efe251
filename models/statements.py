"""Queries whose SQL is built once per database kind and run many times with new values.

Peewee builds the SQL text of a query anew on each run: about 0.2 ms for a page of posts, as much
as the database takes to answer it. A `Statement` is written as a Peewee query in which the values
that change are `Slot`s; its SQL and its fixed parameters are made on first use (for SQLite and
PostgreSQL each), and each run only fills in the slots. Rows are read by the query's own cursor
wrapper, with the fields' conversions (a public-enough part of Peewee: `_get_cursor_wrapper`);
a `.dicts()` query's later runs read theirs as that wrapper read its first.
On PostgreSQL, psycopg prepares a statement the server has seen a few times, so the database
plans it once too.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import peewee

from models.db import database


class Slot(peewee.ColumnBase):
    """A value given at each run of a `Statement`, by name; converted for the database as the
    field it is compared with or written to would convert it."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def __sql__(self, ctx: peewee.Context) -> peewee.Context:
        return ctx.value(_Filled(self.name, ctx.state.converter), converter=False)


class _Filled:
    """Where a slot's value goes among the parameters, and how it is converted."""

    def __init__(self, name: str, converter: Callable[[Any], Any] | None):
        self.name, self.converter = name, converter

    def value(self, values: dict[str, Any]) -> Any:
        value = values[self.name]
        return self.converter(value) if self.converter and value is not None else value


class Statement:
    """A query built by `build()` once per kind of database, with `Slot`s for its values."""

    def __init__(self, build: Callable[[], peewee.Query]):
        self.build = build
        self._made: dict[type, tuple[peewee.Query, str, list]] = {}
        self._reading: dict[type, _DictReading] = {}

    def rows(self, **values: Any) -> Iterator:
        """Run the query with `values` for its slots; its rows, as the query reads them."""
        query, cursor = self._run(values)
        reading = self._reading.get(type(database.obj))
        if reading is not None:
            rows = cursor.fetchall()
            cursor.close()
            return map(reading.row, rows)
        wrapper = query._get_cursor_wrapper(cursor)
        rows = list(wrapper)
        if isinstance(wrapper, peewee.ModelDictCursorWrapper) and wrapper.initialized:
            self._reading[type(database.obj)] = _DictReading(wrapper)
        return iter(rows)

    def first(self, **values: Any) -> Any:
        """The first row, or None."""
        return next(self.rows(**values), None)

    def insert(self, **values: Any) -> int:
        """Run an insert; the primary key of the row it wrote."""
        query, cursor = self._run(values)
        if query._returning:
            return cursor.fetchone()[0]
        return database.last_insert_id(cursor)

    def _run(self, values: dict[str, Any]) -> tuple[peewee.Query, Any]:
        db = database.obj
        made = self._made.get(type(db))
        if made is None:
            query = self.build()
            _check_no_default_is_frozen(query)
            if isinstance(query, peewee.Insert) and db.returning_clause:
                query = query.returning(query.table._meta.primary_key)
            sql, params = db.get_sql_context().sql(query).query()
            made = self._made[type(db)] = (query, sql, params)
        query, sql, params = made
        filled = [param.value(values) if isinstance(param, _Filled) else param
                  for param in params]
        return query, database.execute_sql(sql, filled)


def _check_no_default_is_frozen(query: peewee.Query) -> None:
    """Refuse an insert that leaves a column to a default worked out by a function (a
    time-ordered id, a timestamp): built once, every run would write the value of the first."""
    if not isinstance(query, peewee.ModelInsert) or not isinstance(query._insert, dict):
        return
    given = {query.model._meta.combined.get(key, key) for key in query._insert}
    frozen = [field.name for field, default in query.model._meta.defaults.items()
              if callable(default) and field not in given]
    if frozen:
        raise ValueError(f'{query.model.__name__} insert: give {", ".join(frozen)} a Slot; '
                         'a default would be worked out once, when the SQL is built')


class _DictReading:
    """How Peewee's wrapper of a `.dicts()` query read its first rows: the columns, and which
    of them it converts. Its rows are the same each run, so later runs read them this way
    without working it out again from the cursor's description."""

    def __init__(self, wrapper: peewee.ModelDictCursorWrapper):
        self.columns = wrapper.unique_columns
        self.plain = [(index, self.columns[index]) for index in wrapper.no_convert]
        self.converted = [(index, self.columns[index], wrapper.converters[index])
                          for index in wrapper.convert]

    def row(self, values: tuple) -> dict[str, Any]:
        row = {name: values[index] for index, name in self.plain}
        for index, name, convert in self.converted:
            row[name] = convert(values[index])
        return row
