"""Turns settings into live resources: the database engine and the store.

The embedded default (SQLite in the data folder) creates its folder and
migrates itself on first use, so a new user's first command just works.  A
PostgreSQL database is never migrated implicitly: in a service several
processes start at once, and schema changes belong to the one-shot
``citevault db upgrade`` step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from archive import logs, metrics
from archive.db import migrate
from archive.db.engine import make_engine, session_factory
from archive.errors import DatabaseError
from archive.settings import Settings
from archive.storage import ObjectStore, open_store


def describe_db_error(url: str, exc: Exception) -> DatabaseError:
    """Say in one line why the database cannot be used, and what to try."""
    safe = make_url(url).render_as_string(hide_password=True)
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = detail[0] if detail else exc.__class__.__name__
    low = first.lower()
    if "password authentication failed" in low or "authentication failed" in low:
        hint = "check the user name and password in database_url"
    elif "does not exist" in low and "database" in low:
        hint = "create the database (createdb) or fix its name in database_url"
    elif "connection refused" in low or "could not connect" in low or "timeout" in low:
        hint = "check that the database server is running and the host/port are right"
    elif "unable to open database file" in low or "readonly" in low or "read-only" in low:
        hint = "check that the folder of the SQLite file exists and is writable"
    else:
        hint = "run `citevault doctor` for a full check"
    return DatabaseError(f"cannot use the database at {safe}: {first}", hint=hint)


@dataclass
class Runtime:
    settings: Settings
    _engine: Engine | None = field(default=None, init=False)
    _store: ObjectStore | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        # Every process builds its runtime before it counts or logs anything.
        metrics.configure(self.settings)
        logs.configure(self.settings)

    @property
    def database_url(self) -> str:
        return self.settings.effective_database_url

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "sqlite"

    def engine(self, *, migrate_embedded: bool = True) -> Engine:
        if self._engine is None:
            if self.is_sqlite:
                self._prepare_sqlite_folder()
            size = self.settings.database_pool_size
            pools = {} if self.is_sqlite else {"pool_size": size, "max_overflow": size}
            self._engine = make_engine(self.database_url, **pools)
            if migrate_embedded and self.is_sqlite:
                self._migrate_if_needed(self._engine)
        return self._engine

    def _prepare_sqlite_folder(self) -> None:
        database = make_url(self.database_url).database
        if not database or database == ":memory:":
            return
        from pathlib import Path

        folder = Path(database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                f"cannot create the folder {folder} for the SQLite database: {exc.strerror}",
                hint="choose a writable data_dir or database_url",
            ) from exc

    def _migrate_if_needed(self, engine: Engine) -> None:
        try:
            if not migrate.is_current(engine):
                migrate.upgrade(self.database_url)
        except SQLAlchemyError as exc:
            raise describe_db_error(self.database_url, exc) from exc

    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine())

    def store(self) -> ObjectStore:
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    def ping_database(self) -> None:
        """Connect and run a write in a rolled-back transaction."""
        try:
            with self.engine(migrate_embedded=False).connect() as conn:
                conn.execute(text("SELECT 1"))
                conn.execute(text("CREATE TEMPORARY TABLE citevault_doctor (x INTEGER)"))
                conn.execute(text("INSERT INTO citevault_doctor VALUES (1)"))
                conn.execute(text("DROP TABLE citevault_doctor"))
                conn.rollback()
        except SQLAlchemyError as exc:
            raise describe_db_error(self.database_url, exc) from exc

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
