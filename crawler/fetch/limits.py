"""The response size cap, enforced so that the bytes before the cut are kept.

Scrapy's own ``DOWNLOAD_MAXSIZE`` cancels an oversized download and throws
away what it received (and refuses outright when ``Content-Length`` announces
too much), which would leave no record at all.  An archive should instead keep
the first ``fetch.max_response_bytes`` bytes and say that it cut there, so the
cap is enforced from the ``bytes_received`` signal with
``StopDownload(fail=False)``: the response then arrives with the partial body,
cut back to the cap in the receive buffer (so a 100 MiB body is not copied
again to drop the few kilobytes past it), and the recorder marks it
``WARC-Truncated: length``.

The same signal charges every byte to the job's budget (``crawler.budget``):
once a job has received ``fetch.max_bytes_per_job``, each of its downloads
still running stops at its next bytes, kept and marked the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.exceptions import StopDownload

from crawler.budget import BUDGET_KEY, JobBudget
from crawler.exchange import TRUNCATED_LENGTH, exchange

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class ResponseSizeCap:
    """A Scrapy extension: stop each download once it passes the cap."""

    def __init__(self, cap: int) -> None:
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResponseSizeCap:
        cap = crawler.settings.getint("CITEVAULT_MAX_RESPONSE_BYTES")
        ext = cls(cap)
        crawler.signals.connect(ext.bytes_received, signal=signals.bytes_received)
        return ext

    def bytes_received(self, data: bytes, request: Request, **_: Any) -> None:
        state = exchange(request)
        state.received += len(data)
        budget = request.meta.get(BUDGET_KEY)
        over_budget = isinstance(budget, JobBudget) and not budget.charge(len(data))
        if self.cap and state.received > self.cap:
            if state.cut_body is not None:
                state.cut_body(self.cap)
            state.truncated = TRUNCATED_LENGTH
            raise StopDownload(fail=False)
        if over_budget:
            state.truncated = TRUNCATED_LENGTH
            raise StopDownload(fail=False)
