"""What the crawler learns about one HTTP exchange while it happens.

The download handler, the size cap, the WARC recorder and the spider each see
a different moment of the same exchange.  They share this state through the
request object itself, weakly keyed, rather than through ``request.meta``:
Scrapy copies ``meta`` into every redirect hop, and a hop must never inherit
"already recorded" or "truncated" from the hop before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from weakref import WeakKeyDictionary

from scrapy import Request

TRUNCATED_LENGTH = "length"
TRUNCATED_TIME = "time"
TRUNCATED_DISCONNECT = "disconnect"


@dataclass(slots=True)
class Exchange:
    """Per-request facts: when it started, what was cut, what was written."""

    started: datetime | None = None  # WARC-Date of the fetch start
    received: int = 0
    truncated: str | None = None
    reason_phrase: bytes | None = None
    record_id: str | None = None  # response or revisit record written for it
    redirect_location: bool = False  # what was written is a redirect to follow
    # cuts the body received so far to a length (set by the download handler), so
    # that a body cut at the size cap is not copied once more to drop the overshoot
    cut_body: Callable[[int], object] | None = None


_EXCHANGES: WeakKeyDictionary[Request, Exchange] = WeakKeyDictionary()


def exchange(request: Request) -> Exchange:
    """The state of ``request``'s exchange, created on first use."""
    state = _EXCHANGES.get(request)
    if state is None:
        state = Exchange()
        _EXCHANGES[request] = state
    return state
