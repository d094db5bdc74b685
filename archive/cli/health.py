"""``citevault check`` and ``citevault health``: checking cited URLs and reading their state."""

from __future__ import annotations

import csv
import enum
import io
import json
import uuid
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from archive.cli.state import state
from archive.clock import SystemClock
from archive.errors import InputError
from archive.health import queue
from archive.health.plan import plan_checks
from archive.health.runner import Summary, run_checks
from archive.lookup.health import document_health

console = Console()


class HealthFormat(enum.StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def check(
    ctx: typer.Context,
    document_id: Annotated[str | None, typer.Argument(help="The document to check.")] = None,
    all_documents: Annotated[
        bool, typer.Option("--all", help="Check every document's cited URLs.")
    ] = False,
) -> None:
    """Check the cited URLs of a document (or all) now: alive, changed, moved, dead..."""
    if (document_id is None) == (not all_documents):
        raise InputError(
            "give a document id or --all (not both)",
            hint="`citevault check DOC` or `citevault check --all`",
        )
    rt = state(ctx).runtime()
    clock = SystemClock()
    with rt.sessions()() as session:
        created = plan_checks(
            session, document_id=document_id, tick_key=f"now:{uuid.uuid4()}", schedule_id=None
        )
        session.commit()
        total = queue.due_count(session, clock.now(), document_id=document_id)
    console.print(f"{created} check(s) queued, {total} due")

    def show(summary: Summary) -> None:
        console.print(f"checked {summary.checked}/{total}", highlight=False)

    summary = run_checks(rt, clock, document_id=document_id, on_result=show)
    states = ", ".join(f"{n} {s}" for s, n in sorted(summary.states.items())) or "nothing"
    console.print(f"checked {summary.checked} URL(s): {states}", highlight=False)


def health(
    ctx: typer.Context,
    document_id: Annotated[str, typer.Argument(help="The document.")],
    fmt: Annotated[HealthFormat, typer.Option("--format", help="Output format.")] = (
        HealthFormat.TABLE
    ),
    history: Annotated[
        int, typer.Option(help="Checks listed per citation (json), newest first.", min=0)
    ] = 20,
) -> None:
    """Each cited URL's health state, drift and check history."""
    rt = state(ctx).runtime()
    with rt.sessions()() as session:
        data = document_health(session, document_id, privileged=True, history=history)
    if fmt == HealthFormat.JSON:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    rows = [
        [
            str(c["ordinal"]),
            c["url"] or "",
            c["state"] or "unchecked",
            c["drift_label"] or "",
            "" if c["drift_score"] is None else f"{c['drift_score']:.2f}",
            str(c["consecutive_failures"]),
            c["since"] or "",
            c["last_checked_at"] or "",
        ]
        for c in data["citations"]
    ]
    head = ["#", "url", "state", "drift", "drift_score", "failures", "since", "last_checked"]
    if fmt == HealthFormat.CSV:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(head)
        writer.writerows(rows)
        typer.echo(out.getvalue(), nl=False)
        return
    table = Table(*head, title=f"health of {data['document']}")
    for row in rows:
        table.add_row(*row)
    Console(soft_wrap=True).print(table)
