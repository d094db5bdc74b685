"""A running tick's lease, renewed by its runner between units of network work.

A runner (a refetch) may fetch for longer than ``scheduler.run_lease_seconds``
in all; another scheduler would then take the tick over and fetch the same
documents again.  Renewing between documents keeps the tick as long as each
single fetch ends within the lease.  A renewal that finds the tick taken over
raises ``LeaseLostError``: the runner stops there and writes nothing more, so
two schedulers never both write for one tick.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from archive.clock import Clock
from archive.db.models import ScheduleTick
from archive.errors import LeaseLostError
from archive.runtime import Runtime


class TickLease:
    """The lease of one claimed tick, as held by the scheduler that claimed it."""

    def __init__(self, rt: Runtime, tick_id: int, clock: Clock) -> None:
        self._rt = rt
        self._clock = clock
        self.tick_id = tick_id
        # Whoever claimed the tick (or took it over) just before running it: us.
        with rt.sessions()() as session:
            self.owner = session.scalar(
                select(ScheduleTick.claimed_by).where(ScheduleTick.id == tick_id)
            )

    def renew(self) -> None:
        """Hold the tick for another ``run_lease_seconds`` from now, if it is still ours."""
        lease = timedelta(seconds=self._rt.settings.scheduler.run_lease_seconds)
        now = self._clock.now()
        with self._rt.sessions()() as session, session.begin():
            # Conditional, like take_over: of a renewal and a take-over, one wins.
            result = session.execute(
                update(ScheduleTick)
                .where(
                    ScheduleTick.id == self.tick_id,
                    ScheduleTick.claimed_by == self.owner,
                    ScheduleTick.finished_at.is_(None),
                )
                .values(lease_expires_at=now + lease)
                .execution_options(synchronize_session=False)
            )
        if getattr(result, "rowcount", 0) != 1:
            raise LeaseLostError(
                f"tick {self.tick_id} was taken over by another scheduler: its lease "
                "ran out during a fetch",
                hint="the other scheduler runs it; raise scheduler.run_lease_seconds above "
                "the longest single fetch",
            )
