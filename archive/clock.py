"""Time as schedules, health checks and seed runs see it.

Those features are about days and weeks (a tick every night, "dead" only after
failures three days apart), so their code takes a clock instead of reading the
system time: tests move a ``ManualClock`` by days in milliseconds, and the
service runs on ``SystemClock``.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to; safe to share between threads."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, by: timedelta) -> datetime:
        with self._lock:
            self._now += by
            return self._now

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("ManualClock needs timezone-aware times")
        with self._lock:
            self._now = at.astimezone(UTC)
