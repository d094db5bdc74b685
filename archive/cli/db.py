"""``citevault db``: schema migrations."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from archive.cli.state import state
from archive.db import migrate
from archive.runtime import describe_db_error

app = typer.Typer(help="Database schema: upgrade, inspect.", no_args_is_help=True)
console = Console()


@app.command()
def upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply schema migrations (run once per deployment; SQLite does this by itself)."""
    rt = state(ctx).runtime()
    rt.ping_database()
    migrate.upgrade(rt.database_url, revision)
    console.print(f"database at revision {migrate.current_revision(rt.engine()) or '(empty)'}")


@app.command()
def current(ctx: typer.Context) -> None:
    """Show the schema revision of the database and the newest one available."""
    rt = state(ctx).runtime()
    try:
        have = migrate.current_revision(rt.engine(migrate_embedded=False))
    except Exception as exc:
        raise describe_db_error(rt.database_url, exc) from exc
    head = migrate.head_revision()
    console.print(f"database: {have or '(empty)'}  newest: {head}")
    if have != head:
        console.print("run `citevault db upgrade` to bring the database up to date")
        raise typer.Exit(1)
