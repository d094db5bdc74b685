"""Memento-Datetime and the Link header's dates in the HTTP date form."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta, timezone

from archive.net.httpdate import http_date

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# RFC 7231 section 7.1.1.1: IMF-fixdate
_IMF_FIXDATE = re.compile(
    r"(?P<day>[A-Z][a-z]{2}), (?P<d>\d\d) (?P<mon>[A-Z][a-z]{2}) (?P<y>\d{4}) "
    r"(?P<H>\d\d):(?P<M>\d\d):(?P<S>\d\d) GMT"
)


def test_imf_fixdate_with_english_names_over_four_centuries() -> None:
    rng = random.Random(7089)
    start = datetime(1800, 1, 1, tzinfo=UTC)
    for _ in range(5000):
        when = start + timedelta(seconds=rng.randrange(400 * 365 * 86400))
        m = _IMF_FIXDATE.fullmatch(http_date(when))
        assert m is not None, http_date(when)
        assert m["day"] == _DAYS[when.weekday()] and m["mon"] == _MONTHS[when.month - 1]
        got = [int(m[k]) for k in ("y", "d", "H", "M", "S")]
        assert got == [when.year, when.day, when.hour, when.minute, when.second]


def test_other_zones_are_converted_and_naive_times_are_utc() -> None:
    paris = timezone(timedelta(hours=1))
    assert http_date(datetime(2020, 1, 1, 0, 30, tzinfo=paris)) == "Tue, 31 Dec 2019 23:30:00 GMT"
    assert http_date(datetime(1994, 11, 6, 8, 49, 37)) == "Sun, 06 Nov 1994 08:49:37 GMT"
    assert http_date(datetime(1994, 11, 6, 8, 49, 37, 999999)) == "Sun, 06 Nov 1994 08:49:37 GMT"
