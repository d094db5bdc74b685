"""The scheduler: claim each due tick once, plan its jobs with the claim, run runners.

A tick is claimed by inserting its ``schedule_ticks`` row, and the action's
``plan`` writes its jobs in that same transaction.  Two schedulers that see
the same due tick both insert; the unique (schedule, tick) key makes the
second wait for the first and fail, so its jobs are rolled back with its
insert.  A scheduler killed mid-plan commits nothing, and the tick is still
due for whoever looks next.

A runner (``Action.run``: network work that cannot live in one transaction)
runs after its claim commits, under a lease on the tick row; a tick whose
lease ran out unfinished was left by a scheduler that died, and the next
scheduler takes it over and runs it again.

Each poll also sends a batch of due webhook deliveries.  The scheduler is
their one sender: it is the long-running process every deployment with
schedules has (webhooks belong to schedules), it does little but wait on
the database, and a slow receiver holds it back at most
``webhooks.send_budget_seconds``, where in a worker it would hold back
captures or checks.
``citevault webhooks send`` runs the same sending once, for a laptop setup
that runs no scheduler.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from archive.clock import Clock
from archive.db.models import Schedule, ScheduleTick
from archive.errors import CitevaultError
from archive.runtime import Runtime
from archive.schedule.actions import get_action
from archive.schedule.due import due_tick
from archive.schedule.lease import TickLease
from archive.webhooks.send import send_due

log = logging.getLogger(__name__)


def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True, slots=True)
class Done:
    """What one poll did with one tick."""

    schedule_id: int
    tick_at: datetime
    jobs: int
    ran: bool  # a runner ran (its outcome is on the tick row)
    error: str | None = None


def due_ticks(
    session: Session, now: datetime, missed_after: timedelta
) -> list[tuple[int, datetime]]:
    latest = (
        select(ScheduleTick.schedule_id, func.max(ScheduleTick.tick_at).label("tick_at"))
        .group_by(ScheduleTick.schedule_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Schedule.id,
            Schedule.cron,
            Schedule.timezone,
            Schedule.missed,
            Schedule.active_since,
            latest.c.tick_at,
        )
        .outerjoin(latest, latest.c.schedule_id == Schedule.id)
        .where(Schedule.enabled.is_(True))
        .order_by(Schedule.id)
    ).all()
    out = []
    for schedule_id, cron, tz, missed, since, last_claimed in rows:
        tick = due_tick(
            cron,
            tz,
            missed,
            active_since=since,
            last_claimed=last_claimed,
            now=now,
            missed_after=missed_after,
        )
        if tick is not None:
            out.append((schedule_id, tick))
    return out


def claim(
    rt: Runtime, schedule_id: int, tick_at: datetime, *, owner: str, now: datetime
) -> tuple[int, int, bool] | None:
    """Claim a tick and plan its jobs in one transaction: (tick id, jobs, has a runner),
    or None when another scheduler has it (or the schedule went away meanwhile)."""
    lease = timedelta(seconds=rt.settings.scheduler.run_lease_seconds)
    # Closing the session without a commit (any exception, a kill) rolls back
    # the claim together with every job the plan wrote.
    with rt.sessions()() as session:
        schedule = session.get(Schedule, schedule_id)
        if schedule is None or not schedule.enabled:
            return None
        action = get_action(schedule.action)
        tick = ScheduleTick(
            schedule_id=schedule_id, tick_at=tick_at, claimed_by=owner, claimed_at=now
        )
        session.add(tick)
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            return None
        tick.jobs = action.plan(session, schedule, tick_at)
        if action.run is None:
            tick.finished_at = now
        else:
            tick.started_at = now
            tick.lease_expires_at = now + lease
            tick.attempts = 1
        session.commit()
        return tick.id, tick.jobs, action.run is not None


def take_over(rt: Runtime, *, owner: str, now: datetime) -> list[int]:
    """Unfinished runner ticks whose lease ran out (their scheduler died), now ours."""
    lease = timedelta(seconds=rt.settings.scheduler.run_lease_seconds)
    taken: list[int] = []
    with rt.sessions()() as session:
        stale = session.scalars(
            select(ScheduleTick.id)
            .where(ScheduleTick.finished_at.is_(None), ScheduleTick.lease_expires_at < now)
            .order_by(ScheduleTick.id)
        ).all()
        for tick_id in stale:
            # Conditional: of two schedulers taking the same tick, one updates it.
            result = session.execute(
                update(ScheduleTick)
                .where(
                    ScheduleTick.id == tick_id,
                    ScheduleTick.finished_at.is_(None),
                    ScheduleTick.lease_expires_at < now,
                )
                .values(
                    claimed_by=owner,
                    started_at=now,
                    lease_expires_at=now + lease,
                    attempts=ScheduleTick.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            session.commit()
            if getattr(result, "rowcount", 0) == 1:
                taken.append(tick_id)
    return taken


def run_tick(rt: Runtime, tick_id: int, *, clock: Clock) -> str | None:
    """Run a claimed tick's runner and mark it finished; returns its error, if any."""
    with rt.sessions()() as session:
        tick = session.get(ScheduleTick, tick_id)
        schedule = session.get(Schedule, tick.schedule_id) if tick is not None else None
        if tick is None or schedule is None:
            return None  # the schedule was removed meanwhile
        session.expunge(schedule)
        tick_at = tick.tick_at
    action = get_action(schedule.action)
    error: str | None = None
    lease = TickLease(rt, tick_id, clock)
    if action.run is not None:
        try:
            action.run(rt.settings, schedule, tick_at, lease)
        except CitevaultError as exc:
            error = exc.message
        except Exception as exc:  # a bug in an action must not stop the scheduler
            log.error(
                "schedule %d tick %s failed:\n%s", schedule.id, tick_at, traceback.format_exc()
            )
            error = f"internal error: {exc.__class__.__name__}: {exc}"
    with rt.sessions()() as session, session.begin():
        session.execute(
            update(ScheduleTick)
            # A tick taken over meanwhile is the other scheduler's to finish.
            .where(ScheduleTick.id == tick_id, ScheduleTick.claimed_by == lease.owner)
            .values(finished_at=clock.now(), error=error)
            .execution_options(synchronize_session=False)
        )
    return error


def poll(rt: Runtime, clock: Clock, *, owner: str) -> list[Done]:
    """One look: claim every due tick, then run the runners claimed or taken over."""
    now = clock.now()
    missed_after = timedelta(seconds=rt.settings.scheduler.missed_after_seconds)
    with rt.sessions()() as session:
        due = due_ticks(session, now, missed_after)
    done: list[Done] = []
    runners: list[tuple[int, int, datetime, int]] = []
    for schedule_id, tick_at in due:
        try:
            claimed = claim(rt, schedule_id, tick_at, owner=owner, now=now)
        except CitevaultError as exc:  # e.g. an action no longer known
            log.error("schedule %d: %s", schedule_id, exc.message)
            continue
        except Exception:
            # Rolled back with its jobs: the tick stays due, and the other
            # schedules' ticks are not held up by this one.
            log.exception("schedule %d: planning the tick of %s failed", schedule_id, tick_at)
            continue
        if claimed is None:
            continue
        tick_id, jobs, has_runner = claimed
        if has_runner:
            runners.append((tick_id, schedule_id, tick_at, jobs))
        else:
            done.append(Done(schedule_id, tick_at, jobs, ran=False))
    for tick_id in take_over(rt, owner=owner, now=now):
        with rt.sessions()() as session:
            tick = session.get(ScheduleTick, tick_id)
            if tick is not None:
                runners.append((tick_id, tick.schedule_id, tick.tick_at, tick.jobs))
    for tick_id, schedule_id, tick_at, jobs in runners:
        error = run_tick(rt, tick_id, clock=clock)
        done.append(Done(schedule_id, tick_at, jobs, ran=True, error=error))
    try:
        send_due(rt, clock, owner=owner)
    except Exception:
        # The ticks above are committed; unsent deliveries stay due for the next poll.
        log.exception("scheduler %s: sending webhook deliveries failed", owner)
    return done


def run_scheduler(
    rt: Runtime,
    clock: Clock,
    *,
    stop: threading.Event,
    once: bool = False,
    owner: str | None = None,
) -> list[Done]:
    """Poll every ``scheduler.poll_seconds`` until ``stop`` is set (or once)."""
    owner = owner or new_owner()
    done: list[Done] = []
    while not stop.is_set():
        try:
            done.extend(poll(rt, clock, owner=owner))
        except (CitevaultError, SQLAlchemyError):
            # The database went away for a moment: look again at the next poll.
            log.exception("scheduler %s: this look for due ticks failed", owner)
        if once or stop.wait(rt.settings.scheduler.poll_seconds):
            break
    return done
