"""The hottest database paths: asyncpg connections without SQLAlchemy in between.

A TimeGate answer is one prepared statement that PostgreSQL runs quickly,
yet checking a connection out of SQLAlchemy's asyncio pool and back (events,
reset, a greenlet hop) and executing through it cost the API process more
than that, and with many requests in flight on few cores that CPU becomes
queueing for all of them.  So the statement, still
written once in SQLAlchemy Core (``lookup.memento``), is compiled once for
asyncpg, and run here on plain connections from a small pool; so are the
WARC download's lookup (``lookup.access``), the citations of a document and
the crawler's digest lookups.  The API's statements serve anonymous callers
only: a caller with a key takes the SQLAlchemy path, which checks the key.

asyncpg rather than psycopg: its protocol is compiled, and the same prepared
statement costs the client less CPU with it than with psycopg's async
connection, which ``bench/lookup.py``'s TimeGate and WARC download loads show.
Statements are prepared once per connection (asyncpg's statement cache).

The pool hands out turns first come, first served (``asyncio.Semaphore``),
so no request starves while others barge in.  A connection that fails is
closed and replaced on demand rather than returned.  asyncpg runs no
implicit transactions: these are single-statement reads.
"""

from __future__ import annotations

import asyncio
import functools
from collections import namedtuple
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg
import orjson
from sqlalchemy import Executable
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect

from archive.db.engine import libpq_url

if TYPE_CHECKING:
    Connection: TypeAlias = asyncpg.Connection[asyncpg.Record]
else:
    Connection = asyncpg.Connection  # generic in the stubs only


@dataclass(frozen=True, slots=True)
class Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters, in the order of $1, $2, ...
    defaults: dict[str, Any]  # values the statement binds itself (literals)

    def args(self, params: dict[str, Any]) -> list[Any]:
        return [params[n] if n in params else self.defaults[n] for n in self.names]


@functools.cache
def compiled(stmt: Executable) -> Compiled:
    comp = stmt.compile(dialect=asyncpg_dialect.dialect())  # type: ignore[attr-defined,no-untyped-call]
    return Compiled(str(comp), tuple(comp.positiontup or ()), dict(comp.params))


@functools.cache
def _row_type(columns: tuple[str, ...]) -> Any:
    return namedtuple("Row", columns)


class PgPool:
    def __init__(self, database_url: str, size: int) -> None:
        self.dsn = libpq_url(database_url)
        self.size = size
        self.turns = asyncio.Semaphore(size)
        self.idle: list[Connection] = []

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        async with self.turns:
            conn = self.idle.pop() if self.idle else None
            if conn is None or conn.is_closed():
                conn = await _connect(self.dsn)
            try:
                yield conn
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, asyncio.CancelledError):
                conn.terminate()  # in an unknown state: never handed out again
                raise
            finally:
                if not conn.is_closed():
                    self.idle.append(conn)

    async def fetch(self, stmt: Executable, params: dict[str, Any]) -> list[Sequence[Any]]:
        async with self.connection() as conn:
            return await run(conn, stmt, params)

    async def close(self) -> None:
        idle, self.idle = self.idle, []
        for conn in idle:
            await conn.close()


async def _connect(dsn: str) -> Connection:
    conn = await asyncpg.connect(
        dsn,
        timeout=5,
        server_settings={"TimeZone": "UTC"},  # times as SQLAlchemy's UTCDateTime gives them
    )
    for kind in ("json", "jsonb"):  # values, as SQLAlchemy's JSON type gives them; not text
        await conn.set_type_codec(
            kind, schema="pg_catalog", encoder=_json_text, decoder=orjson.loads
        )
    return conn


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


async def run(
    conn: Connection, stmt: Executable, params: dict[str, Any], *, named: bool = False
) -> list[Any]:
    """The statement's rows: tuples, or named tuples that answer column names."""
    comp = compiled(stmt)
    records = await conn.fetch(comp.sql, *comp.args(params))
    if not named:
        return [tuple(r) for r in records]
    if not records:
        return []
    row = _row_type(tuple(records[0].keys()))
    return [row(*r) for r in records]
