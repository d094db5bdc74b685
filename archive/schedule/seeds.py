"""``ingest-seeds``: run a seed list (``citevault seeds run FILE``) on a schedule.

A seed run fetches feeds and documents, so it runs after the tick is
claimed, not in its transaction.  Running a tick again after a scheduler
died is harmless because a seed run is: entries, documents and versions have
unique keys, and a seen entry costs one conditional request.
``options`` gives ``{"file": PATH}``; a relative path is looked up in
``seeds.directory`` (the folder the API runs seed files from by name), so a
schedule means the same file whichever host's scheduler runs it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from archive.clock import SystemClock
from archive.db.models import Schedule
from archive.errors import FetchError, InputError
from archive.schedule.action import Action
from archive.schedule.lease import TickLease
from archive.seeds.model import load_seed_file
from archive.seeds.run import run_seed_file
from archive.settings import Settings

_HINT = 'e.g. --all --options \'{"file": "news.toml"}\' (relative to seeds.directory)'


def _file(schedule: Schedule) -> Path:
    value = (schedule.options or {}).get("file")
    if not isinstance(value, str) or not value.strip():
        raise InputError("ingest-seeds needs options.file: the seed file to run", hint=_HINT)
    return Path(value).expanduser()


def validate(session: Session, schedule: Schedule) -> None:
    if schedule.document_id is not None:
        raise InputError(
            "ingest-seeds reads a seed list, not one document", hint="use --all; " + _HINT
        )
    path = _file(schedule)
    if path.is_absolute():
        load_seed_file(path)  # a typo or an unknown key is refused now, not at 3 a.m.


def run(settings: Settings, schedule: Schedule, tick_at: datetime, lease: TickLease) -> None:
    path = _file(schedule)
    if not path.is_absolute():
        path = settings.effective_seeds_directory / path
    summary = run_seed_file(settings, path, clock=SystemClock())
    if summary.failed:
        raise FetchError(
            f"seed run {summary.run_id}: {len(summary.failed)} entries or sources failed, "
            f"{summary.new} new, {summary.changed} changed",
            hint="`citevault seeds run FILE` says why each failed; the next tick tries again",
        )


ACTION = Action(
    "ingest-seeds",
    "run a seed list (options.file): add new and changed documents, queue what they cite",
    run=run,
    validate=validate,
)
