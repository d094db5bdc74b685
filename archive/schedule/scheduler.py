"""The scheduler: claim each due tick once, write its jobs, run runners.

A tick is claimed by inserting its ``schedule_ticks`` row.  Two schedulers
that see the same due tick both insert; the unique (schedule, tick) key makes
the second wait for the first and fail.  The claim is one short transaction
whatever the tick: a check or recapture tick's jobs are written after it, a
chunk of citations a transaction (``archive.schedule.expand``), so a tick
over a million citations neither holds the claim for minutes nor keeps the
other due ticks waiting.

Writing those chunks, like a runner (``Action.run``: network work that
cannot live in one transaction), happens under a lease on the tick row; a
tick whose lease ran out unfinished was left by a scheduler that died, and
the next scheduler takes it over: it writes the chunks from the tick's mark
on, or runs the runner again.

Each poll claims every due tick first (always quick), then writes chunks for
at most ``scheduler.plan_budget_seconds``, then runs runners; a tick not
written by then goes on at the next poll.  ``--once`` polls until the ticks
it holds are all written.

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
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from archive.clock import Clock
from archive.db.models import Schedule, ScheduleTick
from archive.errors import CitevaultError
from archive.runtime import Runtime
from archive.schedule.actions import ACTIONS, get_action
from archive.schedule.due import due_tick
from archive.schedule.expand import Done, expand_ticks, expanding
from archive.schedule.lease import TickLease
from archive.webhooks.send import send_due

log = logging.getLogger(__name__)


def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


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


class Claimed(NamedTuple):
    tick_id: int
    runs: bool  # its action has a runner, run after the claim
    finished: bool  # nothing to do after the claim (no runner, no jobs to write)


def claim(
    rt: Runtime, schedule_id: int, tick_at: datetime, *, owner: str, now: datetime
) -> Claimed | None:
    """Claim a tick: one short transaction writing its row, leased to ``owner`` when
    its action has work to do after it; None when another scheduler has it (or the
    schedule went away meanwhile)."""
    lease = timedelta(seconds=rt.settings.scheduler.run_lease_seconds)
    with rt.sessions()() as session:
        schedule = session.get(Schedule, schedule_id)
        if schedule is None or not schedule.enabled:
            return None
        action = get_action(schedule.action)
        tick = ScheduleTick(
            schedule_id=schedule_id, tick_at=tick_at, claimed_by=owner, claimed_at=now
        )
        if action.run is None and action.expand is None:
            tick.finished_at = now
        else:
            tick.started_at = now
            tick.lease_expires_at = now + lease
            tick.attempts = 1
        session.add(tick)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return None
        return Claimed(tick.id, action.run is not None, tick.finished_at is not None)


def take_over(rt: Runtime, *, owner: str, now: datetime) -> list[tuple[int, int, datetime, str]]:
    """Unfinished ticks whose lease ran out (their scheduler died), now ours:
    (tick id, schedule id, tick time, action)."""
    lease = timedelta(seconds=rt.settings.scheduler.run_lease_seconds)
    taken: list[tuple[int, int, datetime, str]] = []
    with rt.sessions()() as session:
        stale = session.execute(
            select(ScheduleTick.id, ScheduleTick.schedule_id, ScheduleTick.tick_at, Schedule.action)
            .join(Schedule, Schedule.id == ScheduleTick.schedule_id)
            .where(ScheduleTick.finished_at.is_(None), ScheduleTick.lease_expires_at < now)
            .order_by(ScheduleTick.id)
        ).all()
        for tick_id, schedule_id, tick_at, action in stale:
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
                taken.append((tick_id, schedule_id, tick_at, action))
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
    """One look: claim every due tick, write chunks of the ticks held (within the
    budget), then run the runners claimed or taken over."""
    now = clock.now()
    missed_after = timedelta(seconds=rt.settings.scheduler.missed_after_seconds)
    with rt.sessions()() as session:
        due = due_ticks(session, now, missed_after)
    done: list[Done] = []
    runners: list[tuple[int, int, datetime]] = []
    for schedule_id, tick_at in due:
        try:
            claimed = claim(rt, schedule_id, tick_at, owner=owner, now=now)
        except CitevaultError as exc:  # e.g. an action no longer known
            log.error("schedule %d: %s", schedule_id, exc.message)
            continue
        except Exception:
            # Rolled back: the tick stays due, and the other schedules' ticks
            # are not held up by this one.
            log.exception("schedule %d: claiming the tick of %s failed", schedule_id, tick_at)
            continue
        if claimed is None:
            continue
        if claimed.runs:
            runners.append((claimed.tick_id, schedule_id, tick_at))
        elif claimed.finished:
            done.append(Done(schedule_id, tick_at, 0, ran=False))
    for tick_id, schedule_id, tick_at, action in take_over(rt, owner=owner, now=now):
        if action in ACTIONS and ACTIONS[action].run is not None:
            runners.append((tick_id, schedule_id, tick_at))
    # Taken-over ticks whose jobs are written in chunks are ours now: written here.
    done.extend(expand_ticks(rt, clock, owner=owner))
    for tick_id, schedule_id, tick_at in runners:
        error = run_tick(rt, tick_id, clock=clock)
        done.append(Done(schedule_id, tick_at, 0, ran=True, error=error))
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
    """Poll every ``scheduler.poll_seconds`` until ``stop`` is set.

    ``once`` looks once, then polls again at once while ticks it holds have
    jobs left to write and the last poll wrote some: it returns with every
    job of its ticks written (or with a tick whose chunks keep failing logged).
    """
    owner = owner or new_owner()
    done: list[Done] = []
    held: list[tuple[int, int | None]] | None = None
    while not stop.is_set():
        try:
            done.extend(poll(rt, clock, owner=owner))
        except (CitevaultError, SQLAlchemyError):
            # The database went away for a moment: look again at the next poll.
            log.exception("scheduler %s: this look for due ticks failed", owner)
            if once:
                break
        if once:
            with rt.sessions()() as session:
                now_held = expanding(session, owner)
            if not now_held or now_held == held:  # all written, or no progress
                break
            held = now_held
            continue
        if stop.wait(rt.settings.scheduler.poll_seconds):
            break
    return done
