"""``citevault replay install`` and ``citevault replay serve``.

Installing is a command of its own so that a deployment (or a test runner)
can put the engine in place ahead of time, with network access, instead of
paying for it on the first page view.
"""

from __future__ import annotations

import signal
from typing import Annotated, Any

import typer
from rich.console import Console

from archive.cli.state import state
from archive.replay.engine import ReplayEngine, replay_origin
from archive.replay.install import PYWB_VERSION, install, is_installed, venv_dir
from archive.runtime import Runtime

console = Console()
app = typer.Typer(
    help="The replay engine (pywb) that shows archived pages in a browser.",
    no_args_is_help=True,
)


@app.command("install")
def install_cmd(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option("--force", help="Reinstall even if present.")] = False,
) -> None:
    """Install pywb into its own environment (replay.engine_dir); idempotent."""
    settings = state(ctx).settings
    if install(settings, force=force, echo=console.print):
        return
    if is_installed(settings):
        console.print(
            f"replay engine already installed: pywb {PYWB_VERSION} in {venv_dir(settings)}"
        )


def _stop_on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@app.command("serve")
def serve_cmd(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address (default replay.host).")] = None,
    port: Annotated[
        int | None, typer.Option(help="Port (default replay.port).", min=1, max=65535)
    ] = None,
) -> None:
    """Run the replay engine in the foreground (installing it on first use)."""
    settings = state(ctx).settings
    update: dict[str, Any] = {}
    if host is not None:
        update["host"] = host
    if port is not None:
        update["port"] = port
    if update:
        settings = settings.model_copy(update={"replay": settings.replay.model_copy(update=update)})
    engine = ReplayEngine(Runtime(settings))
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    engine.start(echo=console.print)
    console.print(f"replay engine (pywb {PYWB_VERSION}) serving on {replay_origin(settings)}/")
    try:
        code = engine.wait()
        console.print(f"the replay engine exited (code {code}):\n{engine.log_tail()}")
        raise typer.Exit(1)
    except KeyboardInterrupt:
        console.print("stopping the replay engine")
    finally:
        engine.stop()
