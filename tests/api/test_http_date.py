"""Memento-Datetime and the Link header's dates in the HTTP date form."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

from archive.lookup.memento import http_date


def test_matches_the_standard_library_over_four_centuries() -> None:
    rng = random.Random(7089)
    start = datetime(1800, 1, 1, tzinfo=UTC)
    for _ in range(5000):
        when = start + timedelta(seconds=rng.randrange(400 * 365 * 86400))
        assert http_date(when) == format_datetime(when, usegmt=True)


def test_other_zones_are_converted_and_naive_times_are_utc() -> None:
    paris = timezone(timedelta(hours=1))
    assert http_date(datetime(2020, 1, 1, 0, 30, tzinfo=paris)) == "Tue, 31 Dec 2019 23:30:00 GMT"
    assert http_date(datetime(1994, 11, 6, 8, 49, 37)) == "Sun, 06 Nov 1994 08:49:37 GMT"
