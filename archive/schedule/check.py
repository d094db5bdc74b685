"""``check``: queue a health check of every cited URL of the document(s).

The checks are planned in the tick's own transaction: the check jobs' keys
name the schedule and the tick, so a tick planned twice (two schedulers, a
plan rolled back and redone) queues each check once.  Workers run them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from archive.db.models import Schedule
from archive.health.plan import plan_checks
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


ACTION = Action(
    "check",
    "check the health of every cited URL of the document(s) (workers run the checks)",
    plan=plan,
)
