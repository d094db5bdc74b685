"""What one job may spend: requests, requisite depth, bytes and wall time.

A hostile page can make a crawl endless without any single fetch being
unreasonable: stylesheets that each import two new ones, frames within
frames, thousands of large images, servers that answer slowly but never
stop.  Each job therefore carries a ``JobBudget``; every request made for
the job holds a reference to it in ``request.meta`` (redirect hops share it,
since Scrapy copies ``meta``), so the download handler and the size cap can
charge it without knowing the job.  A job whose budget runs out ends with
what it has: nothing new is fetched for it, downloads in flight are cut (and
marked ``WARC-Truncated``), and its metadata record names the budget.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from scrapy.exceptions import IgnoreRequest

BUDGET_KEY = "cv_budget"
DEPTH_KEY = "cv_depth"  # 0 for the page, 1 for what it names, 2 for what those pull in, ...

REQUESTS = "requests"
DEPTH = "depth"
BYTES = "bytes"
TIME = "time"


class BudgetExhausted(IgnoreRequest):
    """A request not made because its job's budget ran out."""


@dataclass(slots=True)
class JobBudget:
    """Limits of one job and what it has spent; 0 means unlimited."""

    max_requests: int
    max_depth: int
    max_bytes: int
    max_seconds: float
    requests: int = 0
    received: int = 0
    deadline: float | None = None  # monotonic; set when the job's first download starts
    exhausted: str | None = None  # the first budget that ran out

    def spend(self, reason: str) -> None:
        if self.exhausted is None:
            self.exhausted = reason

    def allow_request(self, depth: int) -> bool:
        """Whether one more request at ``depth`` fits; counts it if so."""
        if self.exhausted in (BYTES, TIME):
            return False
        if self.max_depth and depth > self.max_depth:
            self.spend(DEPTH)
            return False
        if self.max_requests and self.requests >= self.max_requests:
            self.spend(REQUESTS)
            return False
        self.requests += 1
        return True

    def start_clock(self) -> None:
        if self.deadline is None and self.max_seconds:
            self.deadline = time.monotonic() + self.max_seconds

    def time_left(self) -> float | None:
        """Seconds until the job's deadline (None: no deadline)."""
        if self.deadline is None:
            return None
        return self.deadline - time.monotonic()

    def charge(self, nbytes: int) -> bool:
        """Count bytes received; False once the job has received more than it may."""
        self.received += nbytes
        if self.max_bytes and self.received > self.max_bytes:
            self.spend(BYTES)
            return False
        return True
