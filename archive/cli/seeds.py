"""``citevault seeds run FILE``: watch feeds, sitemaps, URL lists and folders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from archive.cli.exits import ExitCode
from archive.cli.state import state
from archive.clock import SystemClock
from archive.seeds import SeedProgress, SeedRunSummary, run_seed_file

app = typer.Typer(help="Seed lists: add the documents that feeds, sitemaps and folders list.")
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

PROGRESS_EVERY = 500  # unchanged entries are counted, not listed


def _show(event: SeedProgress) -> None:
    if event.outcome in ("new", "changed"):
        err.print(f"{event.outcome:>9} {escape(event.url)} → {escape(event.detail or '')}")
    elif event.outcome in ("failed", "skipped"):
        err.print(f"[red]{event.outcome:>9}[/] {escape(event.url)}: {escape(event.detail or '')}")
    if event.done % PROGRESS_EVERY == 0 or event.done == event.total:
        err.print(f"[dim]{event.seed}: {event.done}/{event.total} entries[/]", highlight=False)


def _print(summary: SeedRunSummary) -> None:
    data = summary.to_json()
    counts = data["counts"]
    console.print(
        f"seed run {summary.run_id}: "
        + ", ".join(f"{counts[k]} {k.replace('_', ' ')}" for k in counts)
        + f"; {summary.conditional_requests} conditional requests, "
        f"{summary.captures_queued} captures queued",
        highlight=False,
    )
    for label, problems in (("failed ", summary.failed), ("skipped", summary.skipped)):
        for p in problems:
            where = escape(f"[{p.seed}] {p.url}")
            console.print(f"  {label} {where}: {escape(p.reason)}", highlight=False)


@app.command("run")
def run(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A seed file (TOML, see seeds/example.toml).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines.")] = False,
) -> None:
    """Fetch every seed's source and add what is new or changed; queue what it cites.

    Entries seen before cost one conditional request. Exits 6 when an entry
    or a source failed (the summary says why), 0 otherwise.
    """
    settings = state(ctx).settings
    summary = run_seed_file(settings, file, clock=SystemClock(), progress=None if quiet else _show)
    if as_json:
        typer.echo(json.dumps(summary.to_json(), indent=2, ensure_ascii=False))
    else:
        _print(summary)
    if summary.failed:
        raise typer.Exit(ExitCode.FETCH)
