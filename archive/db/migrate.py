"""Run Alembic from inside citevault (``citevault db upgrade``, first use).

The migration scripts live in the top-level ``migrations/`` folder of a source
checkout; a built wheel carries them as ``archive/_migrations``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import SQLAlchemyError as _SAError

import archive
from archive.db.engine import normalize_url
from archive.errors import CitevaultError, DatabaseError


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
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    # Passed as an attribute, not a main option: ConfigParser would choke on '%'
    # in passwords.
    cfg.attributes["database_url"] = normalize_url(url)
    return cfg


def head_revision() -> str | None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return script.get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _wrap(url: str, exc: _SAError) -> DatabaseError:
    return DatabaseError(
        f"database at {make_url(url).render_as_string(hide_password=True)} failed during "
        f"migration: {exc.__class__.__name__}: {str(exc).splitlines()[0]}",
        hint="check the database URL and that the server is running; `citevault doctor` helps",
    )


def upgrade(url: str, revision: str = "head") -> None:
    try:
        command.upgrade(alembic_config(url), revision)
    except _SAError as exc:
        raise _wrap(url, exc) from exc


def downgrade(url: str, revision: str) -> None:
    try:
        command.downgrade(alembic_config(url), revision)
    except _SAError as exc:
        raise _wrap(url, exc) from exc


def is_current(engine: Engine) -> bool:
    try:
        return current_revision(engine) == head_revision()
    except OperationalError:
        return False
