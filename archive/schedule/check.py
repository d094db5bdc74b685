"""``check``: queue a health check of every cited URL of the document(s).

Its one option, ``recapture_on``, asks for a fresh capture when a check finds
the named states or drift labels (``archive.schedule.recapture_on``).

The checks are planned in the tick's own transaction: the check jobs' keys
name the schedule and the tick, so a tick planned twice (two schedulers, a
plan rolled back and redone) queues each check once.  Workers run them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from archive.db.models import Schedule
from archive.errors import InputError
from archive.health.plan import plan_checks
from archive.schedule import recapture_on
from archive.schedule.action import Action


class _TickClock:
    """Jobs of a tick are due at the tick's time, not at whenever it was planned."""

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at


def plan(session: Session, schedule: Schedule, tick_at: datetime) -> int:
    return plan_checks(
        session,
        document_id=schedule.document_id,
        tick_key=f"schedule:{schedule.id}:{tick_at.isoformat()}",
        schedule_id=schedule.id,
        clock=_TickClock(tick_at),
    )


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
    plan=plan,
    validate=validate,
)
