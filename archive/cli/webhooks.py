"""``citevault webhooks send``: post the due webhook deliveries once.

``citevault scheduler`` sends them at every poll; this is for a setup that
runs no scheduler (a laptop, a cron job) or an operator who wants them out now.
"""

from __future__ import annotations

import typer
from rich.console import Console

from archive.cli.state import state
from archive.clock import SystemClock
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
