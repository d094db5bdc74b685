"""Writing a claimed tick's jobs: a chunk of citations a transaction, resumable.

A check or recapture tick over every document may have a million citations;
one transaction writing a million job rows takes minutes and holds the claim
(and every other due tick) that long.  So the claim writes only the tick row,
and the jobs follow in chunks by citation id.  Each chunk's transaction
locks the tick row, writes the jobs of the citations after
``planned_through``, and moves ``planned_through``, ``jobs`` and the lease on:
a scheduler killed mid-chunk loses that chunk's jobs together with its mark,
and whoever holds the tick next writes them again from the mark.

The tick is held under the lease of a runner (``scheduler.run_lease_seconds``,
renewed with each chunk): one left unfinished by a dead scheduler is taken
over by another once the lease ran out.  A scheduler that lost its tick that
way finds it no longer names it and stops; the job keys (tick and citation)
make a chunk that both wrote meanwhile exist once all the same.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from archive.clock import Clock
from archive.db.models import Schedule, ScheduleTick
from archive.errors import CitevaultError
from archive.runtime import Runtime
from archive.schedule.actions import ACTIONS, get_action

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Done:
    """What one poll did with one tick: claimed it, ran it, or wrote its last jobs."""

    schedule_id: int
    tick_at: datetime
    jobs: int
    ran: bool  # a runner ran (its outcome is on the tick row)
    error: str | None = None


def expanding(session: Session, owner: str) -> list[tuple[int, int | None]]:
    """The unfinished ticks ``owner`` holds whose jobs are written in chunks: (id, mark)."""
    names = [name for name, action in ACTIONS.items() if action.expand is not None]
    rows = session.execute(
        select(ScheduleTick.id, ScheduleTick.planned_through)
        .join(Schedule, Schedule.id == ScheduleTick.schedule_id)
        .where(
            ScheduleTick.claimed_by == owner,
            ScheduleTick.finished_at.is_(None),
            Schedule.action.in_(names),
        )
        .order_by(ScheduleTick.id)
    ).all()
    return [(int(tick_id), mark) for tick_id, mark in rows]


def expand_chunk(rt: Runtime, tick_id: int, *, owner: str, now: datetime) -> Done | bool:
    """Write the next chunk of a tick's jobs: the tick's ``Done`` when that was
    the last chunk, True when more remain, False when the tick is not ours (any more)."""
    settings = rt.settings.scheduler
    lease = timedelta(seconds=settings.run_lease_seconds)
    with rt.sessions()() as session:
        # The row lock makes a scheduler taking the tick over wait for this
        # chunk, and then see the lease it renewed (SQLite: writers queue).
        tick = session.scalars(
            select(ScheduleTick).where(ScheduleTick.id == tick_id).with_for_update()
        ).one_or_none()
        if tick is None or tick.claimed_by != owner or tick.finished_at is not None:
            return False
        schedule = session.get(Schedule, tick.schedule_id)
        expand = get_action(schedule.action).expand if schedule is not None else None
        if schedule is None or expand is None:
            return False
        mark, jobs, tick_at = tick.planned_through, tick.jobs, tick.tick_at
        chunk = expand(session, schedule, tick_at, mark or 0, settings.plan_chunk)
        values: dict[str, object] = {
            "jobs": jobs + chunk.jobs,
            "lease_expires_at": now + lease,
        }
        if chunk.through is not None:
            values["planned_through"] = chunk.through
        if chunk.last:
            values["finished_at"] = now
        # Conditional as well as locked: on SQLite the read above holds no lock,
        # so another scheduler may have taken the tick or written this chunk.
        same_mark = (
            ScheduleTick.planned_through.is_(None)
            if mark is None
            else ScheduleTick.planned_through == mark
        )
        result = session.execute(
            update(ScheduleTick)
            .where(
                ScheduleTick.id == tick_id,
                ScheduleTick.claimed_by == owner,
                ScheduleTick.finished_at.is_(None),
                same_mark,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            session.rollback()
            return False
        session.commit()
    if chunk.last:
        return Done(schedule.id, tick_at, jobs + chunk.jobs, ran=False)
    return True


def expand_ticks(rt: Runtime, clock: Clock, *, owner: str) -> list[Done]:
    """Write chunks of the ticks ``owner`` holds, oldest first, for at most
    ``scheduler.plan_budget_seconds`` (a chunk begun is finished); the ticks
    finished meanwhile.  The rest waits for the next poll, still leased."""
    deadline = time.monotonic() + rt.settings.scheduler.plan_budget_seconds
    with rt.sessions()() as session:
        ticks = expanding(session, owner)
    done: list[Done] = []
    for tick_id, _ in ticks:
        while True:
            try:
                step = expand_chunk(rt, tick_id, owner=owner, now=clock.now())
            except CitevaultError as exc:  # e.g. an action no longer known
                log.error("tick %d: %s", tick_id, exc.message)
                break
            except Exception:
                # Rolled back with its mark: the next poll writes this chunk again.
                log.exception("tick %d: writing a chunk of its jobs failed", tick_id)
                break
            if isinstance(step, Done):
                done.append(step)
            if step is not True or time.monotonic() >= deadline:
                break
        if time.monotonic() >= deadline:
            break
    return done
