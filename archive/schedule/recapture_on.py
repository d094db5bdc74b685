"""A ``check`` schedule's ``recapture_on``: a fresh capture when a check finds the
source changed for the worse, once per change.

``{"recapture_on": ["major", "off-topic", "dead"]}`` names health states and
drift labels.  A check under the schedule that finds one of them, where the
citation's previous check did not, queues a forced capture of the citation;
a source that stays dead is captured once, not at every check.  Earlier
captures stay: the citation-time copy is what drift is measured against.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.capture import queue
from archive.db.models import Citation, Schedule
from archive.db.models.health import DriftLabel, HealthState
from archive.errors import InputError
from archive.health.state import HealthChange

OPTION = "recapture_on"
# Every state or label but the ones that say "as cited".
ALLOWED = tuple(
    [str(label) for label in DriftLabel if label != DriftLabel.SAME]
    + [str(state) for state in HealthState if state != HealthState.ALIVE]
)


def parse(options: dict[str, Any] | None) -> frozenset[str]:
    """The states and labels a schedule's options ask a fresh capture for."""
    allowed = ", ".join(ALLOWED)
    value = (options or {}).get(OPTION)
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(
            f"option {OPTION!r} must be a list of names, not {value!r}",
            hint=f'e.g. {{"{OPTION}": ["major", "off-topic", "dead"]}}; allowed: {allowed}',
        )
    unknown = [v for v in value if v not in ALLOWED]
    if unknown:
        raise InputError(
            f"option {OPTION!r} has unknown value(s): {', '.join(map(repr, unknown))}",
            hint=f"allowed values: {allowed}",
        )
    return frozenset(value)


def _found(state: str | None, label: str | None) -> set[str]:
    return {v for v in (state, label) if v}


def queue_recaptures(session: Session, changes: Sequence[HealthChange]) -> int:
    """Queue a forced capture for each change its schedule asks one for; does not commit.

    A change asks one when its new state or label is wanted and was not found
    by the check before.  The job key names the check result, so the same
    change queued twice is one job.
    """
    schedule_ids = sorted({c.schedule_id for c in changes if c.schedule_id is not None})
    if not schedule_ids:
        return 0
    wanted: dict[int, frozenset[str]] = {}
    for schedule_id, options in session.execute(
        select(Schedule.id, Schedule.options).where(Schedule.id.in_(schedule_ids))
    ):
        names = parse(options)
        if names:
            wanted[schedule_id] = names
    due = [
        c
        for c in changes
        if c.schedule_id in wanted
        and (_found(c.new_state, c.new_label) - _found(c.old_state, c.old_label))
        & wanted[c.schedule_id]
    ]
    if not due:
        return 0
    citations = {
        c.id: c
        for c in session.scalars(
            select(Citation).where(Citation.id.in_([c.citation_id for c in due]))
        )
    }
    jobs = 0
    for change in due:
        citation = citations.get(change.citation_id)
        if citation is None:
            continue
        queue.enqueue_citations(
            session,
            [(citation, change.url)],
            window=timedelta(0),
            force=True,
            token=f"recapture-on:{change.result_id}",
            schedule_id=change.schedule_id,
        )
        jobs += 1
    return jobs
