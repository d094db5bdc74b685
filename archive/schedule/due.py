"""Which tick of a schedule is due now, if any.

Only the latest tick at or before now is ever due: a scheduler that was down
for a week does not replay a week of nightly ticks.  ``run-once`` runs that
latest missed tick once; ``skip`` runs it only while it is fresh (at most
``missed_after`` old), so a schedule that was missed waits for its next tick.
Nothing needs recording for a skipped tick: it stays stale, and the next tick
replaces it as the latest.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from archive.errors import InputError
from archive.schedule.cron import latest_tick


class Missed(StrEnum):
    RUN_ONCE = "run-once"
    SKIP = "skip"


def parse_missed(value: str) -> Missed:
    try:
        return Missed(value)
    except ValueError:
        raise InputError(
            f"unknown missed-tick policy {value!r}",
            hint="use run-once (run the latest missed tick once) or skip",
        ) from None


def due_tick(
    cron: str,
    timezone: str,
    missed: str,
    *,
    active_since: datetime,
    last_claimed: datetime | None,
    now: datetime,
    missed_after: timedelta,
) -> datetime | None:
    """The tick to claim now, or None.

    ``last_claimed`` is the newest tick already claimed (by anyone); a tick
    at or before it, or at or before ``active_since``, is never due again.
    """
    tick = latest_tick(cron, timezone, now)
    floor = max(active_since, last_claimed) if last_claimed is not None else active_since
    if tick <= floor:
        return None
    if parse_missed(missed) is Missed.SKIP and now - tick > missed_after:
        return None
    return tick
