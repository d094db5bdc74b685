"""Cron expressions and which tick is due, over simulated days (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from archive.clock import ManualClock
from archive.errors import InputError
from archive.schedule.cron import latest_tick, next_tick, parse_cron, parse_timezone
from archive.schedule.due import due_tick

T0 = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
GRACE = timedelta(minutes=5)


@pytest.mark.parametrize(
    ("expr", "says"),
    [
        ("61 * * * *", "out of range"),
        ("* * * *", "4 fields, not 5"),
        ("", "0 fields"),
        ("* * * * * *", "6 fields"),
        ("every day", "2 fields"),
        ("0 3 * * mon-fry", "invalid cron expression"),
    ],
)
def test_invalid_cron_is_a_clear_error_with_a_hint(expr: str, says: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_cron(expr)
    assert says in caught.value.message
    assert caught.value.hint and "minute hour day-of-month month day-of-week" in caught.value.hint


def test_valid_cron_is_tidied() -> None:
    assert parse_cron("  0  3 * *   1-5 ") == "0 3 * * 1-5"


def test_unknown_timezone() -> None:
    with pytest.raises(InputError, match="unknown timezone 'Mars/Olympus'"):
        parse_timezone("Mars/Olympus")


def test_latest_tick_includes_an_exact_tick() -> None:
    at = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
    assert latest_tick("0 3 * * *", "UTC", at) == at
    assert latest_tick("0 3 * * *", "UTC", at - timedelta(microseconds=1)) == at - timedelta(days=1)
    assert next_tick("0 3 * * *", "UTC", at) == at + timedelta(days=1)


def test_ticks_follow_the_schedule_timezone_across_dst() -> None:
    # 03:00 in Berlin is 02:00 UTC in winter, 01:00 UTC after the change of 29 March 2026.
    winter = latest_tick("0 3 * * *", "Europe/Berlin", datetime(2026, 3, 28, 12, tzinfo=UTC))
    summer = latest_tick("0 3 * * *", "Europe/Berlin", datetime(2026, 3, 30, 12, tzinfo=UTC))
    assert winter == datetime(2026, 3, 28, 2, 0, tzinfo=UTC)
    assert summer == datetime(2026, 3, 30, 1, 0, tzinfo=UTC)


def _simulate(missed: str, *, down: range, days: int = 10) -> list[datetime]:
    """Claimed ticks of a nightly schedule, polled every 10 minutes except in ``down`` days."""
    clock = ManualClock(T0)
    claimed: list[datetime] = []
    while clock.now() < T0 + timedelta(days=days):
        clock.advance(timedelta(minutes=10))
        if (clock.now() - T0).days in down:
            continue
        tick = due_tick(
            "30 2 * * *",
            "UTC",
            missed,
            active_since=T0,
            last_claimed=claimed[-1] if claimed else None,
            now=clock.now(),
            missed_after=GRACE,
        )
        if tick is not None:
            claimed.append(tick)
    return claimed


def test_every_tick_is_due_once_while_schedulers_run() -> None:
    claimed = _simulate("run-once", down=range(0))
    assert claimed == [T0 + timedelta(days=d, hours=2, minutes=30) for d in range(10)]


def test_run_once_runs_the_latest_missed_tick_once() -> None:
    # down from day 3 to day 5 included: ticks of days 3, 4, 5 are missed
    claimed = _simulate("run-once", down=range(3, 6))
    day = [T0 + timedelta(days=d, hours=2, minutes=30) for d in range(10)]
    assert claimed == [day[0], day[1], day[2], day[5], day[6], day[7], day[8], day[9]]


def test_skip_waits_for_the_next_tick() -> None:
    claimed = _simulate("skip", down=range(3, 6))
    day = [T0 + timedelta(days=d, hours=2, minutes=30) for d in range(10)]
    assert claimed == [day[0], day[1], day[2], day[6], day[7], day[8], day[9]]


def test_nothing_is_due_before_the_schedule_exists() -> None:
    since = T0 + timedelta(hours=5)
    assert (
        due_tick(
            "0 * * * *",
            "UTC",
            "run-once",
            active_since=since,
            last_claimed=None,
            now=since + timedelta(minutes=59),
            missed_after=GRACE,
        )
        is None
    )
    assert due_tick(
        "0 * * * *",
        "UTC",
        "run-once",
        active_since=since,
        last_claimed=None,
        now=since + timedelta(minutes=61),
        missed_after=GRACE,
    ) == since + timedelta(hours=1)
