"""``verify``: a fixity audit of the store (``citevault verify``) on a schedule.

It reads every stored object, so it runs after the tick is claimed, not in
its transaction.  The run is keyed by the schedule and the tick: a scheduler
that died mid-audit leaves the tick unfinished, and the next one resumes the
same run where it stopped instead of starting over.  ``options`` may give
``{"sample": P}`` (0 < P <= 1, default 1: everything).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from archive.db.models import Schedule
from archive.errors import FixityError, InputError
from archive.fixity import run_scheduled
from archive.schedule.action import Action
from archive.schedule.lease import TickLease
from archive.settings import Settings


def _sample(schedule: Schedule) -> float:
    value = (schedule.options or {}).get("sample", 1.0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise InputError(
            f"verify: options.sample must be a number above 0 and at most 1, not {value!r}",
            hint="e.g. --options '{\"sample\": 0.1}' to read a tenth of the store each tick",
        )
    return float(value)


def validate(session: Session, schedule: Schedule) -> None:
    if schedule.document_id is not None:
        raise InputError(
            "verify audits the whole store, not one document",
            hint="use --all with --action verify",
        )
    _sample(schedule)


def run(settings: Settings, schedule: Schedule, tick_at: datetime, lease: TickLease) -> None:
    result = run_scheduled(
        settings, sample=_sample(schedule), run_key=f"schedule:{schedule.id}:{tick_at.isoformat()}"
    )
    if not result.ok:
        raise FixityError(
            f"verify run {result.run_id} found {result.missing} missing, {result.corrupt} "
            f"corrupt and {result.orphaned} orphaned object(s)",
            hint=f"`citevault verify --format json` lists them; run {result.run_id} is kept",
        )


ACTION = Action(
    "verify",
    "re-read the store and check every object against the database (--all only)",
    run=run,
    validate=validate,
)
