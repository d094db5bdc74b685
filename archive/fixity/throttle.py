"""Keeping an audit's reads under a rate, so it does not starve the service it checks."""

from __future__ import annotations

import time
from collections.abc import Callable


class Throttle:
    """Sleeps whenever more bytes went through than ``rate`` allows since the start.

    Measured from the start rather than per chunk, so short stalls of the
    store are made up for and the average holds; ``rate`` 0 never sleeps.
    """

    def __init__(
        self,
        bytes_per_second: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = bytes_per_second
        self._monotonic = monotonic
        self._sleep = sleep
        self._start = monotonic()
        self._bytes = 0

    def consumed(self, count: int) -> None:
        if self.rate <= 0:
            return
        self._bytes += count
        ahead = self._bytes / self.rate - (self._monotonic() - self._start)
        if ahead > 0:
            self._sleep(ahead)
