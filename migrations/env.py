"""Alembic environment for citevault (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import pool

import archive.db.models  # noqa: F401  (registers every table)
from archive.db.base import Base, UTCDateTime
from archive.db.engine import make_engine

config = context.config


def render_item(type_: str, obj: object, autogen_context: Any) -> str | Literal[False]:
    """Render citevault's column types as plain SQLAlchemy ones in new revisions."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


target_metadata = Base.metadata


def _database_url() -> str:
    url = config.attributes.get("database_url")
    if url:
        return str(url)
    # Plain `alembic ...` from the command line: use citevault's own settings.
    from archive.settings import load_settings

    return load_settings().effective_database_url


def run_migrations_offline() -> None:
    url = _database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = _database_url()
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
