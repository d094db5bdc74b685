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
from archive.cli import health as health_cmd
from archive.cli import replay as replay_cmd
from archive.cli import schedule as schedule_cmd
from archive.cli import seeds as seeds_cmd
from archive.cli import serve as serve_cmd
from archive.cli import verify as verify_cmd
from archive.cli import webhooks as webhooks_cmd
from archive.cli.exits import ExitCode, fallback_hint, help_epilogue, one_line
from archive.cli.state import CliState
from archive.errors import CitevaultError

# Errors name paths and URLs that must stay whole to be copied: never hard-wrapped,
# and never read as markup (a URL may hold "[...]").
err_console = Console(stderr=True, soft_wrap=True)

app = typer.Typer(
    name="citevault",
    help="Preserve what documents cite: extract every source a document cites, "
    "archive each one as WARC, and look them up by document.",
    epilog=help_epilogue(),
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
app.command("check")(health_cmd.check)
app.command("health")(health_cmd.health)
app.command("serve")(serve_cmd.serve)
app.add_typer(serve_cmd.keys_app, name="keys")
app.add_typer(replay_cmd.app, name="replay")
app.add_typer(schedule_cmd.app, name="schedule")
app.command("scheduler")(schedule_cmd.scheduler)
app.add_typer(webhooks_cmd.app, name="webhooks")
app.add_typer(db_cmd.app, name="db")
app.add_typer(seeds_cmd.app, name="seeds")
app.command("doctor")(doctor_cmd.doctor)
app.command("verify")(verify_cmd.verify)
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


def _command(argv: list[str]) -> str:
    """The subcommand named on the command line, for hints that point at its help."""
    takes_value = {"--config", "-c"}
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in takes_value:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return ""


def _usage_path(ctx: object) -> str:
    """``citevault SUBCOMMAND`` of a usage error: the program name is whatever started
    us (``python -m archive``), the hint names the installed command."""
    path = str(getattr(ctx, "command_path", "") or "")
    find_root = getattr(ctx, "find_root", None)
    root = str(getattr(find_root(), "command_path", "")) if callable(find_root) else ""
    sub = path[len(root) :].strip() if root and path.startswith(root) else ""
    return f"citevault {sub}".strip()


def _error(message: str, hint: str) -> None:
    err_console.print(f"[bold red]error:[/] {escape(one_line(message))}", highlight=False)
    err_console.print(f"[yellow]hint:[/] {escape(one_line(hint))}", highlight=False)


def main() -> None:
    argv = sys.argv[1:]
    debug = "--debug" in argv
    try:
        result = app(standalone_mode=False)
        sys.exit(result if isinstance(result, int) else 0)
    except CitevaultError as exc:
        if debug:
            err_console.print_exception()
        _error(exc.message, exc.hint or fallback_hint(exc, _command(argv)))
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(ExitCode.INTERRUPTED)
    except Exception as exc:  # usage errors and the unexpected
        # Usage errors come from whichever click Typer bundles; recognise them by shape.
        message, code = getattr(exc, "format_message", None), getattr(exc, "exit_code", None)
        if callable(message) and isinstance(code, int):
            _error(
                str(message()),
                f"`{_usage_path(getattr(exc, 'ctx', None))} --help` shows what it takes",
            )
            sys.exit(code)
        if debug:
            raise
        _error(
            f"internal error: {exc.__class__.__name__}: {exc}",
            "run again with --debug and report the traceback",
        )
        sys.exit(ExitCode.INTERNAL)
