"""Statements of the per-event path, compiled once and run on the driver's cursor.

Every event runs the same dozen statements (its mark in the inbox, the person, their
conversation, the case's answers, the timeline's append). Through SQLAlchemy's execution
machinery each one costs ten times what the database spends on it: the cache key is rebuilt,
the execution context, the result object, the ORM's bookkeeping. Measured, that was most of an
event's time (bench/README.md).

A :class:`Prepared` is a Core statement with named bound parameters. It is compiled for a
dialect the first time it runs there, keeping what SQLAlchemy would work out on every
execution: the SQL text, the order of the parameters, the types' bind and result converters
(aware UTC datetimes, JSON). Each run then is the driver's ``execute`` on the unit's own
connection, inside its transaction, with the same conversions, and the engine's
``before_cursor_execute`` listeners still see it. The statement itself stays SQLAlchemy's, so
it is written once for SQLite and PostgreSQL, and its errors are the driver's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Dialect, bindparam
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlalchemy.sql import ClauseElement
from sqlmodel import Session, SQLModel

from bot.storage.upsert import dialect_insert

Row = tuple[Any, ...]
M = TypeVar("M", bound=SQLModel)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: tuple[str, ...] | None  # the parameters' order; None: by name (pyformat)
    defaults: Mapping[str, Any]  # values bound in the statement itself (a LIMIT, a literal)
    binds: Mapping[str, Callable[[Any], Any]]
    columns: tuple[str, ...]
    results: tuple[Callable[[Any], Any] | None, ...]


class Prepared:
    """One statement of the per-event path (see the module's docstring).

    ``statement`` is the statement, or, for an upsert (whose ON CONFLICT clause is each
    dialect's own), a function of the dialect's ``insert`` that makes it. A statement ``only``
    for one dialect is skipped on the others (a row lock: on SQLite a unit's ``BEGIN
    IMMEDIATE`` holds the whole database already).
    """

    def __init__(
        self,
        statement: ClauseElement | Callable[[Any], ClauseElement],
        *,
        only: str | None = None,
    ) -> None:
        self.statement = statement
        self.only = only
        self._by_dialect: dict[str, _Compiled] = {}

    def _compiled(self, dialect: Dialect) -> _Compiled:
        known = self._by_dialect.get(dialect.name)
        if known is not None:
            return known
        statement = self.statement
        if not isinstance(statement, ClauseElement):
            statement = statement(dialect_insert(dialect.name))
        compiled: Any = statement.compile(dialect=dialect)
        if compiled.escaped_bind_names:
            raise ValueError(
                f"bound parameter names that need quoting: {compiled.escaped_bind_names}"
            )
        defaults = {
            compiled.bind_names[bind]: bind.value
            for bind in compiled.bind_names
            if not bind.required and bind.value is not None
        }
        results = []
        for entry in compiled._result_columns:
            results.append(entry.type._cached_result_processor(dialect, None))
        made = _Compiled(
            sql=compiled.string,
            positional=tuple(compiled.positiontup) if compiled.positiontup is not None else None,
            defaults=defaults,
            binds=dict(compiled._bind_processors),
            columns=tuple(entry.keyname for entry in compiled._result_columns),
            results=tuple(results),
        )
        self._by_dialect[dialect.name] = made
        return made

    def _execute(self, session: Session, params: Mapping[str, Any]) -> tuple[Any, _Compiled]:
        connection, driver = _connection(session)
        compiled = self._compiled(connection.dialect)
        values = {**compiled.defaults, **params} if compiled.defaults else dict(params)
        for name, convert in compiled.binds.items():
            if name in values:
                values[name] = convert(values[name])
        bound: Sequence[Any] | Mapping[str, Any] = (
            values
            if compiled.positional is None
            else tuple(values[name] for name in compiled.positional)
        )
        cursor = driver.cursor()
        sql = compiled.sql
        if connection._has_events or connection.engine._has_events:
            connection.dispatch.before_cursor_execute(connection, cursor, sql, bound, None, False)
        cursor.execute(sql, bound)
        return cursor, compiled

    def run(self, session: Session, **params: Any) -> int:
        """Run a statement that returns no rows; the number of rows it changed (-1 when it was
        skipped: ``only`` another dialect)."""
        if self.only is not None and _connection(session)[0].dialect.name != self.only:
            return -1
        cursor, _ = self._execute(session, params)
        count = cursor.rowcount
        cursor.close()
        return int(count)

    def rows(self, session: Session, **params: Any) -> list[Row]:
        """Run a query (or a statement with RETURNING); its rows, converted."""
        cursor, compiled = self._execute(session, params)
        fetched = cursor.fetchall()
        cursor.close()
        results = compiled.results
        if not any(results):
            return [tuple(row) for row in fetched]
        return [
            tuple(v if f is None else f(v) for f, v in zip(results, row, strict=True))
            for row in fetched
        ]

    def first(self, session: Session, **params: Any) -> Row | None:
        found = self.rows(session, **params)
        return found[0] if found else None

    def mappings(self, session: Session, **params: Any) -> list[dict[str, Any]]:
        """Its rows as dictionaries by column name."""
        columns = self._compiled(_connection(session)[0].dialect).columns
        return [dict(zip(columns, row, strict=True)) for row in self.rows(session, **params)]

    def scalar(self, session: Session, **params: Any) -> Any:
        row = self.first(session, **params)
        return None if row is None else row[0]


def _connection(session: Session) -> tuple[Connection, Any]:
    """The session's connection in its current transaction, and the driver's connection under
    it (kept in ``session.info`` for the transaction: asking the session costs more than most
    statements)."""
    transaction = session.get_transaction()
    known = session.info.get("prepared_connection")
    if known is not None and known[0] is transaction and transaction is not None:
        return known[1], known[2]
    connection = session.connection()
    driver = connection.connection.dbapi_connection
    session.info["prepared_connection"] = (session.get_transaction(), connection, driver)
    return connection, driver


_CONFIGURED: list[bool] = []


def loaded(model: type[M], values: Mapping[str, Any]) -> M:
    """A model instance made from a row's values (every column), as the ORM makes one when it
    loads a row: no validation, no defaults to work out. It is not in any session (a plain
    object: the code that changes it writes it back)."""
    if not _CONFIGURED:
        configure_mappers()
        _CONFIGURED.append(True)
    instance: M = manager_of_class(model).new_instance()
    instance.__dict__.update(values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(values))
    return instance


def attached(session: Session, model: type[M], values: Mapping[str, Any]) -> M:
    """The same, made part of ``session`` as if the session had loaded it (changes to it are
    flushed, ``session.get`` finds it); the session's own copy when it has one already."""
    key = session.identity_key(model, values["id"])  # type: ignore[arg-type]
    known = session.identity_map.get(key)
    if known is not None:
        return known  # type: ignore[return-value]
    instance = loaded(model, values)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


_INSERTS: dict[str, Prepared] = {}


def inserted(session: Session, instance: M) -> M:
    """INSERT a new model instance with every column but its id, the id coming back from
    RETURNING (one prepared statement per table, not the ORM's flush); the instance then
    belongs to ``session`` as if loaded from it."""
    table: Any = type(instance).__table__  # type: ignore[attr-defined]
    prepared = _INSERTS.get(table.name)
    if prepared is None:
        columns = [c for c in table.c if c.name != "id"]
        statement = (
            table.insert()
            .values({c.name: bindparam(c.name, type_=c.type) for c in columns})
            .returning(table.c.id)
        )
        prepared = _INSERTS[table.name] = Prepared(statement)
    values = {c.name: getattr(instance, c.name) for c in table.c if c.name != "id"}
    instance.id = prepared.scalar(session, **values)  # type: ignore[attr-defined]
    make_transient_to_detached(instance)
    session.add(instance)
    return instance
