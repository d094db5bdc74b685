"""Cron expressions, read by croniter, in a schedule's own timezone.

Ticks are computed in the schedule's timezone (``0 2 * * *`` in
Europe/Berlin is 02:00 there, summer and winter) and handed out in UTC,
the only time citevault stores.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import CroniterError, croniter

from archive.errors import InputError

_CRON_HINT = (
    "give five fields: minute hour day-of-month month day-of-week, "
    "e.g. '0 3 * * *' (03:00 every day) or '*/15 * * * 1-5'; quote it in the shell"
)


def parse_cron(expr: str) -> str:
    """``expr`` tidied, or an ``InputError`` saying why it is no cron expression."""
    text = " ".join(expr.split())
    fields = text.split(" ") if text else []
    if len(fields) != 5:
        raise InputError(
            f"invalid cron expression {expr!r}: it has {len(fields)} fields, not 5",
            hint=_CRON_HINT,
        )
    try:
        croniter(text, datetime(2000, 1, 1, tzinfo=UTC))
    except (CroniterError, ValueError, KeyError) as exc:
        raise InputError(f"invalid cron expression {expr!r}: {exc}", hint=_CRON_HINT) from None
    return text


def parse_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"unknown timezone {name!r}",
            hint="give an IANA name such as UTC, Europe/Berlin or America/New_York",
        ) from None


def latest_tick(expr: str, timezone: str, at: datetime) -> datetime:
    """The last tick at or before ``at``, in UTC."""
    local = at.astimezone(parse_timezone(timezone))
    # croniter's get_prev excludes its start: start one second later so that
    # a tick exactly at ``at`` counts, then step back once if that overshot.
    tick: datetime = croniter(expr, local + timedelta(seconds=1)).get_prev(datetime)
    if tick > local:
        tick = croniter(expr, tick).get_prev(datetime)
    return tick.astimezone(UTC)


def next_tick(expr: str, timezone: str, after: datetime) -> datetime:
    """The first tick strictly after ``after``, in UTC."""
    local = after.astimezone(parse_timezone(timezone))
    tick: datetime = croniter(expr, local).get_next(datetime)
    return tick.astimezone(UTC)
