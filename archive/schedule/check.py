"""``check``: queue a health check of every cited URL of the document(s).

Its one option, ``recapture_on``, asks for a fresh capture when a check finds
the named states or drift labels (``archive.schedule.recapture_on``).

The checks are written after the tick's claim, a chunk of citations a
transaction: the check jobs' keys name the schedule and the tick, so a chunk
written twice (two schedulers, a chunk rolled back and redone) queues each
check once.  Workers run them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from archive.db.models import Schedule
from archive.errors import InputError
from archive.health.plan import plan_check_chunk
from archive.schedule import recapture_on
from archive.schedule.action import Action, Chunk


def expand(
    session: Session, schedule: Schedule, tick_at: datetime, after: int, limit: int
) -> Chunk:
    # Jobs of a tick are due at the tick's time, not at whenever the chunk is written.
    planned = plan_check_chunk(
        session,
        document_id=schedule.document_id,
        tick_key=f"schedule:{schedule.id}:{tick_at.isoformat()}",
        schedule_id=schedule.id,
        now=tick_at,
        after=after,
        limit=limit,
    )
    return Chunk(planned.created, planned.through, planned.seen < limit)


def validate(session: Session, schedule: Schedule) -> None:
    unknown = sorted(set(schedule.options or {}) - {recapture_on.OPTION})
    if unknown:
        raise InputError(
            f"unknown option(s) for a check schedule: {', '.join(unknown)}",
            hint=f"the one option is {recapture_on.OPTION!r}, "
            f'e.g. {{"{recapture_on.OPTION}": ["major", "off-topic", "dead"]}}',
        )
    recapture_on.parse(schedule.options)


ACTION = Action(
    "check",
    "check the health of every cited URL of the document(s) (workers run the checks)",
    expand=expand,
    validate=validate,
)
