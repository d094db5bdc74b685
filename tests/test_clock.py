from datetime import UTC, datetime, timedelta

import pytest

from archive.clock import ManualClock, SystemClock


def test_manual_clock_moves_only_when_told() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock = ManualClock(start)
    assert clock.now() == start
    assert clock.now() == start
    assert clock.advance(timedelta(days=3)) == start + timedelta(days=3)
    clock.set(datetime(2027, 5, 1, 12, tzinfo=UTC))
    assert clock.now() == datetime(2027, 5, 1, 12, tzinfo=UTC)


def test_clocks_refuse_naive_times_and_give_utc() -> None:
    with pytest.raises(ValueError):
        ManualClock(datetime(2026, 1, 1))
    assert SystemClock().now().tzinfo is UTC
