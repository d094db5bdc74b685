"""``citevault schedule add|list|pause|resume|remove`` and ``citevault scheduler``."""

from __future__ import annotations

import json
import signal
import threading
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from archive import probes
from archive.cli.state import state
from archive.clock import SystemClock
from archive.db.base import utcnow
from archive.errors import InputError
from archive.schedule import manage
from archive.schedule.actions import ACTIONS
from archive.schedule.scheduler import new_owner, run_scheduler

console = Console()
app = typer.Typer(
    help="Recurring work on documents (recapture, refetch, ...), run by `citevault scheduler`.",
    no_args_is_help=True,
)


class Missed(StrEnum):
    run_once = "run-once"
    skip = "skip"


@app.command("add")
def add(
    ctx: typer.Context,
    cron: Annotated[str, typer.Option("--cron", help="Cron expression, five fields: '0 3 * * *'.")],
    action: Annotated[
        str, typer.Option("--action", help=f"What to do: {', '.join(sorted(ACTIONS))}.")
    ],
    document: Annotated[
        str | None, typer.Option("--document", help="The document id to act on.")
    ] = None,
    all_documents: Annotated[bool, typer.Option("--all", help="Act on every document.")] = False,
    name: Annotated[str | None, typer.Option("--name", help="A unique name.")] = None,
    timezone: Annotated[
        str, typer.Option("--timezone", help="Timezone of the cron expression.")
    ] = "UTC",
    missed: Annotated[
        Missed,
        typer.Option(
            "--missed",
            help="A tick missed while no scheduler ran: run it once, or skip to the next.",
        ),
    ] = Missed.run_once,
    options: Annotated[
        str | None, typer.Option("--options", help="Action arguments as a JSON object.")
    ] = None,
    webhook: Annotated[
        str | None, typer.Option("--webhook", help="URL told of health changes (JSON POST).")
    ] = None,
    webhook_secret: Annotated[
        str | None, typer.Option("--webhook-secret", help="Secret the webhook is signed with.")
    ] = None,
) -> None:
    """Add a schedule; nothing is stored unless every part of it is valid."""
    if (document is None) == (not all_documents):
        raise InputError(
            "give either --document ID or --all",
            hint="`citevault documents` lists the ids",
        )
    parsed: dict[str, Any] | None = None
    if options is not None:
        try:
            parsed = json.loads(options)
        except ValueError as exc:
            raise InputError(
                f"--options is not valid JSON: {exc}", hint="e.g. --options '{\"key\": 1}'"
            ) from None
        if not isinstance(parsed, dict):
            raise InputError("--options must be a JSON object", hint='e.g. {"key": 1}')
    new = manage.NewSchedule(
        cron=cron,
        action=action,
        document_id=document,
        name=name,
        timezone=timezone,
        missed=missed.value,
        options=parsed,
        webhook_url=webhook,
        webhook_secret=webhook_secret,
    )
    rt = state(ctx).runtime()
    now = utcnow()
    with rt.sessions()() as session, session.begin():
        schedule = manage.add_schedule(session, new, now=now)
        data = manage.schedule_json(schedule, now=now)
    console.print(
        f"schedule {data['id']} ({data['name']}) added; next tick {data['next_tick_at']}",
        highlight=False,
        soft_wrap=True,
    )


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List schedules with their next tick and their last one."""
    rt = state(ctx).runtime()
    with rt.sessions()() as session:
        rows = manage.list_schedules(session, now=utcnow())
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table()
    for col in ("id", "name", "cron", "action", "document", "state", "next tick", "last tick"):
        table.add_column(col)
    for r in rows:
        last = r["last_tick"]
        last_text = ""
        if last is not None:
            last_text = f"{last['tick_at']}: {last['jobs']} jobs"
            if last["error"]:
                last_text += f", error: {last['error']}"
            elif last["finished_at"] is None:
                last_text += ", running"
        table.add_row(
            str(r["id"]),
            r["name"],
            f"{r['cron']} ({r['timezone']})",
            r["action"],
            r["document_id"] or "(all)",
            "active" if r["enabled"] else "paused",
            r["next_tick_at"] or "",
            last_text,
        )
    console.print(table)
    if not rows:
        console.print("no schedules yet: add one with `citevault schedule add`")


def _toggle(ctx: typer.Context, ref: str, enabled: bool) -> None:
    rt = state(ctx).runtime()
    with rt.sessions()() as session, session.begin():
        schedule = manage.set_enabled(session, ref, enabled, now=utcnow())
        label = f"schedule {schedule.id} ({schedule.name})"
    console.print(f"{label} {'resumed' if enabled else 'paused'}", highlight=False)


@app.command("pause")
def pause(
    ctx: typer.Context, ref: Annotated[str, typer.Argument(help="Schedule id or name.")]
) -> None:
    """Pause a schedule: its ticks are not run until it is resumed."""
    _toggle(ctx, ref, False)


@app.command("resume")
def resume(
    ctx: typer.Context, ref: Annotated[str, typer.Argument(help="Schedule id or name.")]
) -> None:
    """Resume a paused schedule from its next tick (ticks of the pause are not run)."""
    _toggle(ctx, ref, True)


@app.command("remove")
def remove(
    ctx: typer.Context, ref: Annotated[str, typer.Argument(help="Schedule id or name.")]
) -> None:
    """Remove a schedule; the jobs it queued stay."""
    rt = state(ctx).runtime()
    with rt.sessions()() as session, session.begin():
        schedule = manage.remove_schedule(session, ref)
        label = f"schedule {schedule.id} ({schedule.name})"
    console.print(f"{label} removed", highlight=False)


def scheduler(
    ctx: typer.Context,
    once: Annotated[
        bool,
        typer.Option("--once", help="Run the ticks due now, write all their jobs, then exit."),
    ] = False,
) -> None:
    """Run due schedule ticks until stopped (SIGTERM or Ctrl-C stop it cleanly).

    Several schedulers may run on one PostgreSQL database: each tick is run once.
    """
    rt = state(ctx).runtime()
    clock = SystemClock()
    owner = new_owner()
    if once:
        _report(run_scheduler(rt, clock, stop=threading.Event(), once=True, owner=owner))
        return
    stop = threading.Event()

    def _stop(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    rt.engine()  # the embedded database migrated before the probes look at it
    server = probes.serve_in_thread(rt, "scheduler")
    console.print(
        f"scheduler {owner} polling every {rt.settings.scheduler.poll_seconds:g} s",
        highlight=False,
    )
    if server is not None:
        host, port = server.server_address[:2]
        console.print(f"health checks and metrics on http://{host!s}:{port}/", highlight=False)
    try:
        run_scheduler(rt, clock, stop=stop, owner=owner)
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
    console.print("scheduler stopped", highlight=False)


def _report(done: list[Any]) -> None:
    for d in done:
        what = f"schedule {d.schedule_id} tick {d.tick_at.isoformat()}: {d.jobs} jobs"
        if d.ran:
            what += f", ran: {'error: ' + d.error if d.error else 'ok'}"
        console.print(what, highlight=False, soft_wrap=True)
    if not done:
        console.print("no ticks due", highlight=False)
