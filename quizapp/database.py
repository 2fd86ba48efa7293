"""Declarative base, column types and engine settings shared by every area's models."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

#: Stable constraint names, so Alembic can alter them later on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Model(DeclarativeBase):
    """Base class of every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


#: The largest id any table's key can hold: keys are ``INTEGER``, which PostgreSQL keeps in a
#: signed 32 bits (SQLite allows 64). An id from a request beyond it names nothing; passed on,
#: it would overflow the database's integer and abort the transaction.
MAX_ID = 2**31 - 1

#: Set inside `reading()`.
_READING: ContextVar[bool] = ContextVar("quizapp_reading", default=False)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database keeps.

    SQLite has no time zones; there the value is stored as naive UTC and given its zone back
    on the way out. Naive datetimes are refused so local time can never slip in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        """Convert an aware datetime to UTC for storage."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        """Return the stored value as an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class stored_timestamp(FunctionElement):  # noqa: N801 — used like SQLAlchemy's func.*
    """A `UTCDateTime` column, compared as the database keeps it.

    SQLite keeps a timestamp as text ("2026-12-08 00:00:00.000000", UTC, so it sorts by time),
    but the column's declared type DATETIME gives it numeric affinity: every comparison with
    a value first tries to read both as numbers. Where a report compares a timestamp per
    row (a trend's month, whether a pass is still valid), that reading took a tenth of the
    query; compared as text the result is the same. Elsewhere the column itself.
    """

    type = UTCDateTime()
    inherit_cache = True


@compiles(stored_timestamp)
def _stored_timestamp(element, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(stored_timestamp, "sqlite")
def _stored_timestamp_sqlite(element, compiler, **kw) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS TEXT)"


def configure_sqlite(engine: Engine, *, synchronous: str, busy_timeout: float) -> None:
    """Give an SQLite engine WAL, a busy timeout and write transactions that cannot deadlock.

    pysqlite's own transaction handling starts transactions lazily as DEFERRED; a transaction
    that reads and then writes can then fail at once with "database is locked" when another
    writer committed in between. We take over BEGIN: state-changing work (anything outside a
    GET or HEAD request, and every command) begins IMMEDIATE and so waits its turn for the
    write lock, while page views read concurrently under WAL.
    """
    if engine.dialect.name != "sqlite":
        return
    if synchronous not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
        raise ValueError(f"SQLITE_SYNCHRONOUS is OFF, NORMAL, FULL or EXTRA, not {synchronous}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA synchronous = {synchronous}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writes_expected() else "BEGIN")


def expect_writes() -> None:
    """Declare that this GET request may write (e.g. finalising an attempt past its deadline).

    Call it before the first query of the transaction that writes, so that on SQLite it
    begins IMMEDIATE.
    """
    from flask import g

    g.writes_expected = True


@contextmanager
def reading() -> Iterator[None]:
    """Begin the transactions started inside as readers, even in a POST or a command.

    For a long read before a short write: on SQLite a transaction begun IMMEDIATE holds the
    write lock from its first statement, and every answer being saved meanwhile waits for it.
    """
    token = _READING.set(True)
    try:
        yield
    finally:
        _READING.reset(token)


def _writes_expected() -> bool:
    """Whether the current unit of work may write: anything but a plain GET or HEAD request,
    unless it is `reading()`."""
    from flask import g, has_request_context, request

    if _READING.get():
        return False
    if not has_request_context():
        return True
    return request.method not in {"GET", "HEAD"} or g.get("writes_expected", False)


#: The dialects whose INSERT takes ON CONFLICT, the only ones quizapp runs on.
UPSERT_DIALECTS = frozenset({"postgresql", "sqlite"})


def upsert_insert(dialect: str) -> Callable:
    """`insert` of `dialect` (SQLite or PostgreSQL), whose statements take ON CONFLICT.

    Imported when first asked for, so a server process loads only the dialect it talks to
    (PostgreSQL's is about 2 MB that an SQLite server would hold for nothing).
    """
    if dialect not in UPSERT_DIALECTS:
        raise ValueError(f"no upsert on {dialect}")
    return importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
