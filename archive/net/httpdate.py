"""Dates in HTTP headers (RFC 7231 IMF-fixdate), as Memento headers carry them."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime


def http_date(when: datetime) -> str:
    """``when`` as ``Sun, 06 Nov 1994 08:49:37 GMT``.

    A naive ``when`` is UTC, as the database's times are.  Not ``strftime``:
    it names days and months in the C library's locale.
    """
    utc = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return format_datetime(utc, usegmt=True)
