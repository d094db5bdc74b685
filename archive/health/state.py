"""A citation's health over time: dead only after repeated failures days apart.

InternetArchiveBot's rule: a failure counts towards "dead" only when it comes
at least ``dead_after_days`` after the last one that counted, so a site down
for a day, checked hourly, stays ``failing``; ``dead_after_failures`` counted
failures make it ``dead``.  Any answer from the source (alive, changed,
moved, soft 404, blocked) ends the run of failures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from archive.db.models.health import CitationHealth, HealthState
from archive.health.classify import Outcome
from archive.health.drift import Drift
from archive.settings import HealthSettings


@dataclass(frozen=True, slots=True)
class HealthChange:
    """One check's effect on a citation, as schedules' follow-ups (webhooks, fresh
    captures) need it: the state and drift label before and after."""

    citation_id: int
    document_id: str
    url: str
    schedule_id: int | None  # the schedule whose tick queued the check
    result_id: int
    checked_at: datetime
    old_state: str | None  # None: the citation's first check
    new_state: str
    old_label: str | None
    new_label: str | None
    baseline_capture_id: int | None  # the citation-time capture the live page was compared with

    @property
    def state_changed(self) -> bool:
        """A first check counts as a change only when it finds the source not alive:
        until then, the citation-time capture is all we know, and it was alive."""
        return self.new_state != (self.old_state or HealthState.ALIVE)


def advance(
    health: CitationHealth,
    outcome: Outcome,
    drift: Drift | None,
    now: datetime,
    settings: HealthSettings,
) -> None:
    """Move ``health`` (a new row has state "" and no failures) by one check's outcome."""
    if outcome.state == HealthState.FAILING:
        gap = timedelta(days=settings.dead_after_days)
        if not health.consecutive_failures:
            health.consecutive_failures = 1
            health.first_failure_at = health.last_counted_failure_at = now
        elif health.last_counted_failure_at is None or now - health.last_counted_failure_at >= gap:
            health.consecutive_failures += 1
            health.last_counted_failure_at = now
        dead = health.consecutive_failures >= settings.dead_after_failures
        state = HealthState.DEAD if dead else HealthState.FAILING
    else:
        health.consecutive_failures = 0
        health.first_failure_at = health.last_counted_failure_at = None
        state = outcome.state
    if health.state != state:
        health.state = state
        health.since = now
    if drift is not None:
        health.drift_label = drift.label
        health.drift_score = round(1.0 - drift.cosine, 4)
    health.last_checked_at = now
