"""The hottest database paths: psycopg connections without SQLAlchemy in between.

A TimeGate answer is one prepared statement that PostgreSQL runs in a tenth
of a millisecond, yet checking a connection out of SQLAlchemy's asyncio pool
and back (events, reset, a greenlet hop) and executing through it cost the
API process three times that, and at 50 requests in flight on two cores every
tenth of a millisecond is some 2.5 ms of queueing.  So the statement, still
written once in SQLAlchemy Core (``lookup.timegate``), is compiled for psycopg
once, and run here on plain psycopg connections from a small pool; so is the
WARC download's lookup (``lookup.access``).  Both serve anonymous callers
only: a caller with a key takes the SQLAlchemy path, which checks the key.

The pool hands out turns first come, first served (``asyncio.Semaphore``),
so no request starves while others barge in.  A connection that fails is
closed and replaced on demand rather than returned, and connections are in
autocommit mode: these are single-statement reads.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy import Executable
from sqlalchemy.dialects import postgresql

from archive.api.cache import libpq_url


@functools.cache
def compiled(stmt: Executable) -> tuple[str, dict[str, Any]]:
    """The statement's psycopg SQL and the values of the parameters it binds itself."""
    comp = stmt.compile(dialect=postgresql.psycopg.dialect())  # type: ignore[attr-defined,no-untyped-call]
    return str(comp), dict(comp.params)


class PgPool:
    def __init__(self, database_url: str, size: int) -> None:
        self.conninfo = libpq_url(database_url)
        self.turns = asyncio.Semaphore(size)
        self.idle: list[psycopg.AsyncConnection[Any]] = []

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        async with self.turns:
            conn = self.idle.pop() if self.idle else None
            if conn is None or conn.closed:
                conn = await psycopg.AsyncConnection.connect(
                    self.conninfo,
                    autocommit=True,
                    connect_timeout=5,
                    options="-c TimeZone=UTC",  # times as SQLAlchemy's UTCDateTime gives them
                )
            try:
                yield conn
            except (psycopg.Error, OSError, asyncio.CancelledError):
                await conn.close()  # in an unknown state: never handed out again
                raise
            finally:
                if not conn.closed:
                    self.idle.append(conn)

    async def fetch(self, stmt: Executable, params: dict[str, Any]) -> list[Sequence[Any]]:
        async with self.connection() as conn:
            return await run(conn, stmt, params)

    async def close(self) -> None:
        idle, self.idle = self.idle, []
        for conn in idle:
            await conn.close()


async def run(
    conn: psycopg.AsyncConnection[Any],
    stmt: Executable,
    params: dict[str, Any],
    *,
    named: bool = False,
) -> list[Any]:
    """The statement's rows: tuples, or named tuples that answer column names."""
    sql, defaults = compiled(stmt)
    cur = conn.cursor(row_factory=namedtuple_row) if named else conn.cursor()
    async with cur:
        await cur.execute(sql, {**defaults, **params}, prepare=True)
        return await cur.fetchall()
