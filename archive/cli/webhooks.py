"""``citevault webhooks send|list``: post the due deliveries once; see what became of them.

``citevault scheduler`` sends them at every poll; ``send`` is for a setup that
runs no scheduler (a laptop, a cron job) or an operator who wants them out now.
"""

from __future__ import annotations

import enum
import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from archive.cli.state import state
from archive.clock import SystemClock
from archive.webhooks.listing import STATES, list_deliveries
from archive.webhooks.send import send_all

console = Console()
app = typer.Typer(
    help="Schedules' webhooks (signed POSTs on health changes).", no_args_is_help=True
)


@app.command("send")
def send(ctx: typer.Context) -> None:
    """Post every due webhook delivery now, then exit (failures are retried later)."""
    rt = state(ctx).runtime()
    summary = send_all(rt, SystemClock())
    console.print(
        f"{summary.delivered} delivered, {summary.retrying} to retry later, "
        f"{summary.failed} given up",
        highlight=False,
    )


class ListFormat(enum.StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    schedule: Annotated[
        str | None, typer.Option("--schedule", help="Only this schedule's (id or name).")
    ] = None,
    delivery_state: Annotated[
        str | None, typer.Option("--state", help=f"Only this state: {', '.join(STATES)}.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Deliveries shown, newest first.")] = 50,
    offset: Annotated[int, typer.Option("--offset", help="Newest deliveries skipped.")] = 0,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = (
        ListFormat.TABLE
    ),
) -> None:
    """Webhook deliveries, newest first: state, attempts, the receiver's last answer."""
    rt = state(ctx).runtime()
    with rt.sessions()() as session:
        total, items = list_deliveries(
            session, schedule=schedule, state=delivery_state, limit=limit, offset=offset
        )
    if fmt == ListFormat.JSON:
        data = {"total": total, "limit": limit, "offset": offset, "items": items}
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    table = Table()
    columns = ("schedule", "key", "event", "citation", "created", "state", "tries")
    for col in (*columns, "last answer", "next attempt"):
        table.add_column(col)
    for d in items:
        answer = str(d["last_status"]) if d["last_status"] is not None else ""
        if d["last_error"] and d["last_error"] != f"HTTP {d['last_status']}":
            answer = f"{answer} {d['last_error']}".strip()
        table.add_row(
            str(d["schedule_id"]),
            d["key"][:12],
            d["event"],
            "" if d["citation_id"] is None else str(d["citation_id"]),
            d["created_at"],
            d["state"] + (f" {d['delivered_at']}" if d["delivered_at"] else ""),
            str(d["attempts"]),
            answer,
            d["next_attempt_at"] or "",
        )
    # Made here, not at import: it takes the terminal's width (COLUMNS) as it is now.
    out = Console(highlight=False)
    out.print(table)
    shown = f"{len(items)} of {total} deliveries"
    if offset + len(items) < total:
        shown += f"; --offset {offset + len(items)} shows the next"
    out.print(shown)
