"""``citevault verify``: the fixity audit from the command line.

A run is recorded in the database as it goes; without ``--resume`` each call
starts a new one, with it the last run that did not finish goes on where it
stopped (the choice is explicit so that a cron job that wants a fresh audit
each night never silently finishes last week's).
"""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from archive.cli.state import state
from archive.clock import SystemClock
from archive.errors import FixityError, InputError
from archive.fixity import Checked, VerifyResult, runs, verify_run

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


class Format(StrEnum):
    table = "table"
    json = "json"


def _size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


class _ProgressLine:
    """A line on stderr every few seconds: a run over a large store takes hours."""

    def __init__(self, every: float) -> None:
        self.every = every
        self.started = self.shown = time.monotonic()
        self.objects = self.size = self.problems = 0

    def __call__(self, checked: Checked) -> None:
        self.objects += 1
        self.size += checked.size
        self.problems += checked.problems
        now = time.monotonic()
        if now - self.shown >= self.every:
            self.shown = now
            rate = self.size / max(now - self.started, 1e-9) / 1e6
            print(
                f"verify: {self.objects} objects, {_size(self.size)} read "
                f"({rate:.1f} MB/s), {self.problems} problems; at {checked.store_key}",
                file=sys.stderr,
                flush=True,
            )


def _table(result: VerifyResult) -> None:
    """Findings one per line, never wrapped: store keys must stay whole to be copied."""
    if result.findings:
        rows = [("problem", "subject", "row", "store key", "detail")]
        rows += [
            (f.problem, f.subject, "" if f.row_id is None else str(f.row_id), f.store_key, f.detail)
            for f in result.findings
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
            typer.echo("  ".join([*cells, row[4]]))
    sampled = "" if result.sample >= 1 else f" (a {result.sample:.0%} sample)"
    console.print(
        f"verify run #{result.run_id}{sampled}: {result.objects_checked} objects "
        f"({_size(result.bytes_checked)}) and {result.records_checked} capture records "
        f"checked, {result.keys_listed} store keys listed; "
        f"{result.missing} missing, {result.corrupt} corrupt, {result.orphaned} orphaned",
        highlight=False,
    )


def verify(
    ctx: typer.Context,
    all_objects: Annotated[
        bool, typer.Option("--all", help="Read every object (the default).")
    ] = False,
    sample: Annotated[
        float | None,
        typer.Option("--sample", help="Read a random fraction P of the objects (0 < P <= 1)."),
    ] = None,
    rate: Annotated[
        float | None,
        typer.Option(
            "--rate", help="Read at most this many MB/s (default: fixity.rate_mb_per_second)."
        ),
    ] = None,
    output: Annotated[Format, typer.Option("--format", help="Report as a table or JSON.")] = (
        Format.table
    ),
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Go on with the last run that did not finish, where it stopped "
            "(with its own sample); without one, start a new run.",
        ),
    ] = False,
) -> None:
    """Re-read stored objects and check them against the database.

    Every WARC file's SHA-256 and size, every capture's record, every document
    version's bytes; objects in the store that no row names are orphans.
    Exits 9 when anything is missing, corrupt or orphaned.
    """
    if all_objects and sample is not None:
        raise InputError("--all and --sample contradict each other", hint="give one of them")
    if rate is not None and rate < 0:
        raise InputError(f"--rate {rate} is negative", hint="0 means no limit")
    fraction = runs.check_sample(1.0 if sample is None else sample)
    rt = state(ctx).runtime()
    sessions, clock = rt.sessions(), SystemClock()
    run_id = runs.latest_unfinished(sessions) if resume else None
    if run_id is not None:
        err_console.print(f"verify: going on with run #{run_id} where it stopped", highlight=False)
    else:
        if resume:
            err_console.print("verify: no unfinished run; starting a new one", highlight=False)
        elif (left := runs.latest_unfinished(sessions)) is not None:
            err_console.print(
                f"verify: run #{left} did not finish; `citevault verify --resume` goes on with it",
                highlight=False,
            )
        run_id = runs.start_run(sessions, clock, fraction)
    progress = _ProgressLine(rt.settings.fixity.progress_seconds)
    try:
        result = verify_run(rt, run_id, rate_mb_per_second=rate, on_checked=progress, clock=clock)
    except KeyboardInterrupt:
        err_console.print(
            f"verify: run #{run_id} stopped after {progress.objects} objects this time; "
            "`citevault verify --resume` goes on from there",
            highlight=False,
        )
        raise
    finally:
        rt.close()
    if output is Format.json:
        typer.echo(json.dumps(result.to_json(), indent=2))
    else:
        _table(result)
    if not result.ok:
        raise FixityError(
            f"verify run #{result.run_id} found {result.missing} missing, "
            f"{result.corrupt} corrupt and {result.orphaned} orphaned",
            hint="restore missing or corrupt objects from a backup or replica (or capture the "
            "sources again); an orphan is an object no row names, such as an upload whose "
            "commit never happened",
        )
