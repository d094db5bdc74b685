"""``citevault export --all`` and ``citevault import``: moving a whole installation.

Progress goes to standard error, one line per step, so a long run can be
watched and its output still piped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from archive.cli.state import state
from archive.export import backup, restore
from archive.export.signing import signer_for

err = Console(stderr=True, soft_wrap=True, highlight=False)


def _progress(message: str) -> None:
    err.print(escape(message))


def export_all(ctx: typer.Context, dest: str) -> None:
    rt = state(ctx).runtime()
    sink = backup.open_sink(rt.settings, dest)
    signer = signer_for(rt.settings)
    with rt.sessions()() as session:
        summary = backup.export_all(session, rt.store(), sink, signer=signer, progress=_progress)
    rows = ", ".join(f"{n} {name}" for name, n in summary.rows.items())
    err.print(
        escape(
            f"exported to {summary.where}: {summary.documents} documents "
            f"({summary.packages} WACZ packages), {summary.objects} objects "
            f"({summary.object_bytes} bytes), rows: {rows}"
        )
    )


def import_export(
    ctx: typer.Context,
    source: Annotated[
        Path, typer.Argument(help="The folder `citevault export --all` wrote.", show_default=False)
    ],
) -> None:
    """Load a whole-archive export into this installation, which must be empty.

    Every file is checked against the export's SHA256SUMS first; objects are
    uploaded next and the rows committed last, in one transaction, so a
    failed import leaves no rows behind.  On PostgreSQL run `citevault db
    upgrade` on the new database first.
    """
    rt = state(ctx).runtime()
    export = restore.read_export(source.expanduser().absolute(), _progress)
    with rt.sessions()() as session:
        summary = restore.import_all(session, rt.store(), export, _progress)
    rows = ", ".join(f"{n} {name}" for name, n in summary.rows.items())
    err.print(escape(f"imported {summary.objects} objects and rows: {rows}"))
