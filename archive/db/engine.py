"""Engines and sessions for SQLite (embedded) and PostgreSQL (service).

SQLite gets WAL mode, a busy timeout and foreign keys switched on, because the
embedded default runs a CLI and a worker against the same file at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
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
    # One pool per process, the API's included (``archive.api.reads``).  Sizes
    # come from the ``database_pool_size`` setting, passed in by the runtime:
    # all processes must fit PostgreSQL's max_connections with the crawl workers.
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 5)
        kwargs.setdefault("max_overflow", 5)
    kwargs.setdefault("connect_args", {"connect_timeout": 5})
    return create_engine(url, **kwargs)


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL as libpq takes it (no ``+driver``), for psycopg's own connections."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
