"""Run Alembic from inside citevault (``citevault db upgrade``, first use).

The migration scripts live in the top-level ``migrations/`` folder of a source
checkout; a built wheel carries them as ``archive/_migrations``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.exc import SQLAlchemyError as _SAError

import archive
from archive.db.engine import normalize_url
from archive.errors import CitevaultError, DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic takes a tenth of a second to import and more to load the scripts;
# every embedded process checks that its schema is current, so that check
# reads the revision ids straight from the script files (a test holds it to
# Alembic's own answer) and Alembic is imported only to migrate.
_REVISION = re.compile(r"^revision\b[^=]*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=]*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)


def migrations_dir() -> Path:
    package = Path(archive.__file__).resolve().parent
    for candidate in (package / "_migrations", package.parent / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise CitevaultError(
        "the database migration scripts are missing from this installation",
        hint="reinstall citevault (pip install citevault) or run from a source checkout",
    )


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    # Passed as an attribute, not a main option: ConfigParser would choke on '%'
    # in passwords.
    cfg.attributes["database_url"] = normalize_url(url)
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head: str | None = script.get_current_head()
    return head


def scripted_head() -> str | None:
    """The head revision as the script files name it, or None when that is not simple."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (migrations_dir() / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = _REVISION.search(source)
        if revision is None:
            return None
        revisions.add(revision.group(1))
        parent = _DOWN_REVISION.search(source)
        if parent is not None:
            parents.add(parent.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        current: str | None = MigrationContext.configure(conn).get_current_revision()
        return current


def _wrap(url: str, exc: _SAError) -> DatabaseError:
    return DatabaseError(
        f"database at {make_url(url).render_as_string(hide_password=True)} failed during "
        f"migration: {exc.__class__.__name__}: {str(exc).splitlines()[0]}",
        hint="check the database URL and that the server is running; `citevault doctor` helps",
    )


MIGRATION_LOCK_SECONDS = 600.0


@contextmanager
def _one_at_a_time(url: str) -> Iterator[None]:
    """Hold the SQLite file's migration lock; PostgreSQL needs none.

    Every embedded process migrates a fresh data folder on first use, so
    several commands started at once would all create the same tables; the
    losers failed with "table documents already exists".  Behind the lock the
    second finds the schema current and Alembic does nothing.  The lock is an
    OS file lock (``filelock``): it goes with the process that held it.
    """
    parsed = make_url(normalize_url(url))
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        yield
        return
    path = Path(database).expanduser()
    lock = FileLock(path.with_name(path.name + ".migrate-lock"), timeout=MIGRATION_LOCK_SECONDS)
    try:
        with lock:
            yield
    except Timeout:
        raise DatabaseError(
            f"another citevault process has been migrating {path} for over "
            f"{MIGRATION_LOCK_SECONDS:g} s",
            hint="wait for it to finish, or stop it and run `citevault db upgrade`",
        ) from None


def upgrade(url: str, revision: str = "head") -> None:
    from alembic import command

    try:
        with _one_at_a_time(url):
            command.upgrade(alembic_config(url), revision)
    except _SAError as exc:
        raise _wrap(url, exc) from exc


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    try:
        with _one_at_a_time(url):
            command.downgrade(alembic_config(url), revision)
    except _SAError as exc:
        raise _wrap(url, exc) from exc


def is_current(engine: Engine) -> bool:
    head = scripted_head() or head_revision()
    try:
        with engine.connect() as conn:
            stamped = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            return list(stamped) == [head]
    except (OperationalError, ProgrammingError):  # no alembic_version table: empty database
        return False
