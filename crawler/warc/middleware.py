"""The recorder: a downloader middleware at priority 950.

At 950 ``process_response`` runs before RedirectMiddleware (600) and before
content decoding (590), so it sees every redirect hop and the body exactly as
received; ``process_request`` runs after every component that sets request
headers, so the request record shows what was sent (Twisted adds only
``Host``, which the record reconstructs).  The fetch policy sits above, at
960, so that a response from a refused address is never written.

The record is written before any later middleware can touch the response:
HttpCompression-style components edit ``response.headers`` in place, and a
record made afterwards would no longer match its body.  When the digest
index is a database across the network, the response waits here for the
lookup (on its own thread) while the crawl goes on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler.exchange import exchange
from crawler.session import CaptureSession

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from scrapy import Request
    from scrapy.crawler import Crawler


class RecordNotWritten(IgnoreRequest):
    """The exchange happened but could not be archived; worth trying again later."""


class WarcRecorderMiddleware:
    """Writes a request and a response (or revisit) record for every exchange."""

    def __init__(self, session: CaptureSession | None) -> None:
        self.session = session

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorderMiddleware:
        # Scrapy creates the spider, and with it the capture session, before
        # the downloader's middlewares; any other spider records nothing.
        # Imported here: the spider's module imports this one (``RecordNotWritten``).
        from crawler.spiders.capture import CaptureSpider

        spider = crawler.spider
        return cls(spider.session if isinstance(spider, CaptureSpider) else None)

    def process_request(self, request: Request) -> None:
        exchange(request).started = datetime.now(UTC)

    def process_response(
        self, request: Request, response: Response
    ) -> Response | Awaitable[Response]:
        session = self.session
        if session is None:
            return response
        try:
            result = session.record(request, response)
        except OSError as exc:
            raise _not_written(session, exc) from exc
        if isinstance(result, Response):
            return result
        return _after_lookup(session, result)


def _not_written(session: CaptureSession, exc: OSError) -> RecordNotWritten:
    session.write_failed(exc)
    return RecordNotWritten(f"the WARC record could not be written: {exc}")


async def _after_lookup(session: CaptureSession, pending: Awaitable[Response]) -> Response:
    try:
        return await pending
    except OSError as exc:
        raise _not_written(session, exc) from exc
