"""``citevault doctor`` and ``citevault config``: is this installation usable?

Doctor runs every check even after one fails, because an operator fixing a
deployment wants the whole list at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from archive.cli.state import state
from archive.db import migrate
from archive.errors import CitevaultError
from archive.runtime import Runtime, describe_db_error

console = Console()


def _database(rt: Runtime) -> str:
    rt.ping_database()
    try:
        have = migrate.current_revision(rt.engine(migrate_embedded=False))
    except SQLAlchemyError as exc:
        raise describe_db_error(rt.database_url, exc) from exc
    head = migrate.head_revision()
    if have == head:
        return f"reachable and writable, schema at {have}"
    if rt.is_sqlite and have is None:
        return "reachable and writable; empty, will be created on first use"
    raise CitevaultError(
        f"reachable, but the schema is at {have or '(empty)'} and citevault needs {head}",
        hint="run `citevault db upgrade`",
    )


def _store(rt: Runtime) -> str:
    rt.store().check()
    return f"reachable and writable ({rt.settings.effective_store_url})"


def doctor(ctx: typer.Context) -> None:
    """Check that the database and the store are reachable and writable."""
    rt = state(ctx).runtime()
    checks: list[tuple[str, Callable[[Runtime], str]]] = [
        ("database", _database),
        ("store", _store),
    ]
    table = Table(show_header=True, header_style="bold")
    table.add_column("check")
    table.add_column("status")
    table.add_column("details", overflow="fold")
    failed = 0
    for name, check in checks:
        try:
            detail = check(rt)
            table.add_row(name, "[green]ok[/]", detail)
        except CitevaultError as exc:
            failed += 1
            msg = exc.message + (f"\nhint: {exc.hint}" if exc.hint else "")
            table.add_row(name, "[red]FAIL[/]", msg)
    console.print(table)
    rt.close()
    if failed:
        console.print(f"[red]{failed} check(s) failed[/]")
        raise typer.Exit(1)
    console.print("[green]all checks passed[/]")


def show_config(ctx: typer.Context) -> None:
    """Print the settings in effect (defaults, config file, environment), secrets hidden."""
    settings = state(ctx).settings
    data = json.loads(settings.model_dump_json())
    data["effective_database_url"] = settings.effective_database_url
    data["effective_store_url"] = settings.effective_store_url
    typer.echo(json.dumps(data, indent=2))
