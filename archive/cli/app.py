"""Entry point of the ``citevault`` command.

Every command shares the global options (``--config``, ``--debug``) through
the Typer context.  Errors from the ``CitevaultError`` hierarchy are printed as
one clear message plus a hint and a non-zero exit code; a traceback appears
only with ``--debug``, because users need the cause, not our stack.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from archive import __version__
from archive.cli import capture as capture_cmd
from archive.cli import db as db_cmd
from archive.cli import doctor as doctor_cmd
from archive.cli import documents as docs_cmd
from archive.cli import export as export_cmd
from archive.cli import replay as replay_cmd
from archive.cli import serve as serve_cmd
from archive.cli.state import CliState
from archive.errors import CitevaultError

# Errors name paths and URLs that must stay whole to be copied: never hard-wrapped,
# and never read as markup (a URL may hold "[...]").
err_console = Console(stderr=True, soft_wrap=True)

app = typer.Typer(
    name="citevault",
    help="Preserve what documents cite: extract every source a document cites, "
    "archive each one as WARC, and look them up by document.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command("add")(docs_cmd.add)
app.command("citations")(docs_cmd.citations)
app.command("documents")(docs_cmd.documents)
app.command("resolve")(docs_cmd.resolve)
export_cmd.register(app)
app.command("archive")(capture_cmd.archive)
app.command("capture")(capture_cmd.capture)
app.command("worker")(capture_cmd.worker)
app.command("jobs")(capture_cmd.jobs)
app.command("serve")(serve_cmd.serve)
app.add_typer(serve_cmd.keys_app, name="keys")
app.add_typer(replay_cmd.app, name="replay")
app.add_typer(db_cmd.app, name="db")
app.command("doctor")(doctor_cmd.doctor)
app.command("config")(doctor_cmd.show_config)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"citevault {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="TOML configuration file (default: $CITEVAULT_CONFIG, else built-in defaults).",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks for errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    ctx.obj = CliState(config_path=config, debug=debug)


def main() -> None:
    debug = "--debug" in sys.argv[1:]
    try:
        result = app(standalone_mode=False)
        sys.exit(result if isinstance(result, int) else 0)
    except CitevaultError as exc:
        if debug:
            err_console.print_exception()
        err_console.print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False)
        if exc.hint:
            err_console.print(f"[yellow]hint:[/] {escape(exc.hint)}", highlight=False)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except Exception as exc:  # usage errors and the unexpected
        # Usage errors come from whichever click Typer bundles; recognise them by shape.
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        if debug:
            raise
        err_console.print(
            f"[bold red]internal error:[/] {exc.__class__.__name__}: {exc}", highlight=False
        )
        err_console.print("[yellow]hint:[/] run again with --debug and report the traceback")
        sys.exit(70)
