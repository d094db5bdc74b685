"""Engines and sessions for SQLite (embedded) and PostgreSQL (service).

SQLite gets WAL mode, a busy timeout and foreign keys switched on, because the
embedded default runs a CLI and a worker against the same file at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from archive.errors import ConfigError


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # The busy timeout first: switching to WAL takes a lock that a process
    # starting at the same moment may hold.
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def normalize_url(url: str) -> str:
    """Pick the psycopg 3 driver for plain ``postgresql://`` URLs."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"database URL is not valid: {url!r}",
            hint="use sqlite:///path/to/file.db or postgresql://user@host:port/dbname",
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"unsupported database '{parsed.get_backend_name()}' in {url!r}",
            hint="citevault runs on SQLite (embedded) or PostgreSQL",
        )
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    # Blocking endpoints run on the API's thread pool; the hot read endpoints
    # use the asyncio engine below instead, so this pool serves the slower,
    # rarer requests.  Sizes are per process (the ``database_pool_size``
    # setting, passed in by the runtime): all processes must fit PostgreSQL's
    # max_connections together with the crawl workers.
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 5)
        kwargs.setdefault("max_overflow", 5)
    kwargs.setdefault("connect_args", {"connect_timeout": 5})
    return create_engine(url, **kwargs)


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL as libpq-style drivers take it (no ``+driver``): psycopg, asyncpg."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


ASYNC_POOL_SIZE = 5


def make_async_engine(url: str, pool_size: int = ASYNC_POOL_SIZE) -> AsyncEngine:
    """An asyncio engine (psycopg 3) for the API's hot read paths; PostgreSQL only.

    No pre-ping: it would double the round trips of a one-query request.  A
    connection that died with a server restart fails one request, and the
    disconnect invalidates the whole pool so the next requests reconnect.
    Five connections (the default) are plenty for a process that runs one
    request's Python at a time: more only queue inside PostgreSQL, which has
    as few cores.

    Autocommit, because these are reads of rows that are immutable or only
    ever grow: a transaction would add a BEGIN and a ROLLBACK round trip to
    each request and buy no consistency they need.
    """
    url = normalize_url(url)
    if url.startswith("sqlite"):
        raise ConfigError("the asyncio engine is for PostgreSQL; SQLite is served from threads")
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_recycle=3600,
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 5},
    )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
