"""``citevault serve`` and ``citevault keys``: the HTTP API and its keys."""

from __future__ import annotations

import functools
import os
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from archive.api.keys import create_key, list_keys, revoke_key
from archive.cli.embedded import start_worker, stop_with_server, stop_worker
from archive.cli.state import state
from archive.export import signing
from archive.runtime import Runtime
from archive.settings import Settings

console = Console()
err_console = Console(stderr=True, soft_wrap=True, highlight=False)
keys_app = typer.Typer(
    help="API keys for the write endpoints and private documents.", no_args_is_help=True
)


def default_workers(settings: Settings) -> int:
    """One process per core on PostgreSQL; one on SQLite.

    Python runs one request's code at a time per process, so a single process
    leaves all but one core idle however many requests wait.  SQLite allows
    one writer at a time and is meant for one user, so more processes would
    only contend for its lock.
    """
    if Runtime(settings).is_sqlite:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def connection_budget(settings: Settings, processes: int) -> str | None:
    """A warning when ``processes`` could open more connections than PostgreSQL allows.

    Pools open connections only as load needs them, so too many processes
    work until the first busy moment and then fail with "too many clients";
    start-up is the time to say so.
    """
    rt = Runtime(settings)
    if rt.is_sqlite:
        return None
    # The pool with its overflow, and the citations cache's listening connection.
    per_process = 2 * settings.database_pool_size + 1
    try:
        with rt.engine().connect() as conn:
            limit = int(conn.exec_driver_sql("SHOW max_connections").scalar_one())
            reserved = int(conn.exec_driver_sql("SHOW superuser_reserved_connections").scalar_one())
    except SQLAlchemyError:
        return None  # unreachable now: requests will say so, with the cause
    finally:
        rt.close()
    wanted = processes * per_process
    if wanted <= limit - reserved:
        return None
    return (
        f"{processes} server process{'es' if processes > 1 else ''} may open up to {wanted}"
        f" PostgreSQL connections ({per_process} each), but the server takes"
        f" {limit - reserved}: lower --workers or database_pool_size, or raise"
        " max_connections"
    )


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Server processes [default: one per CPU core on PostgreSQL, 1 on SQLite].",
            min=1,
            max=64,
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (/api, /openapi.json) and the web pages."""
    import uvicorn

    from archive.api.app import create_app
    from archive.api.processes import run_processes

    settings = state(ctx).settings
    count = workers or default_workers(settings)
    warning = connection_budget(settings, count)
    if warning:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    # A picklable factory rather than an app: worker processes are spawned and
    # build their own app (and database pool) from the same settings.
    config = uvicorn.Config(
        functools.partial(create_app, settings),
        factory=True,
        host=host,
        port=port,
        workers=count,
        log_level="info",
        # JSON logs: uvicorn's loggers hand their events to the JSON handler
        # (archive/logs.py) instead of formatting them with their own.
        log_config=None if settings.log_format == "json" else uvicorn.config.LOGGING_CONFIG,
        proxy_headers=False,
    )
    console.print(
        f"citevault serving on http://{host}:{port}/  (API docs: /api/docs)"
        f"  {count} worker process{'es' if count > 1 else ''}"
    )
    capture = start_worker(settings, state(ctx).config_path)
    if capture is not None:
        stop_with_server()
        console.print(f"capture worker started (process {capture.pid}; serve.embedded_worker)")
    try:
        if count > 1:
            status = run_processes(config, count)
            if status:
                raise typer.Exit(status)
        else:
            uvicorn.Server(config).run()
    finally:
        stop_worker(capture)


@keys_app.command("create")
def keys_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Who or what uses the key.")],
) -> None:
    """Create a key; it is printed once and only its hash is stored."""
    rt = state(ctx).runtime()
    with rt.sessions()() as session, session.begin():
        row, key = create_key(session, name)
        key_id = row.id
    console.print(f"key {key_id} ({name}) created. Keep it now; it cannot be shown again:")
    typer.echo(key)


@keys_app.command("list")
def keys_list(ctx: typer.Context) -> None:
    """List keys (prefix, name, created, last used, revoked)."""
    rt = state(ctx).runtime()
    table = Table()
    for col in ("id", "prefix", "name", "created", "last used", "revoked"):
        table.add_column(col)
    with rt.sessions()() as session:
        for k in list_keys(session):
            table.add_row(
                str(k.id),
                k.prefix + "…",
                k.name,
                k.created_at.isoformat(timespec="seconds"),
                k.last_used_at.isoformat(timespec="seconds") if k.last_used_at else "",
                k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "",
            )
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(ctx: typer.Context, key_id: Annotated[int, typer.Argument(help="Key id.")]) -> None:
    """Revoke a key: requests with it are refused from now on."""
    rt = state(ctx).runtime()
    with rt.sessions()() as session, session.begin():
        row = revoke_key(session, key_id)
        console.print(f"key {row.id} ({row.name}) revoked")


@keys_app.command("signing")
def keys_signing(
    ctx: typer.Context,
    pem: Annotated[
        bool, typer.Option("--pem", help="Print the public key as PEM instead of base64 DER.")
    ] = False,
) -> None:
    """The public key that signs WACZ exports (the key is created on first use).

    Base64 DER is the ``publicKey`` of a signed package's
    ``datapackage-digest.json``: publish it where readers can compare.
    """
    settings = state(ctx).settings
    if settings.signing.mode == "authsign":
        console.print(
            f"exports are signed by the authsign server {settings.signing.authsign_url}; "
            "its domain certificate is in each package"
        )
        return
    path = signing.key_path(settings)
    key = signing.load_key(path, create=True)
    if settings.signing.mode == "off":
        err_console.print("[yellow]note:[/] signing.mode is off: exports are not signed")
    err_console.print(f"private key: {path}")
    typer.echo(signing.public_key_pem(key) if pem else signing.public_key_b64(key))
