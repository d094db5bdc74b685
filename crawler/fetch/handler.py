"""The http(s) download handler: Scrapy's, except that a deadline keeps the body.

When ``DOWNLOAD_TIMEOUT`` fires after the response headers arrived, Scrapy
discards what was received and reports a timeout, so a slow page would leave
nothing in the archive.  This handler answers instead with the response as
received so far, flagged ``download_timeout`` and marked truncated by time on
the exchange, and the recorder writes it with ``WARC-Truncated: time``.  A
deadline that fires before the headers is still an error: there is no
response to keep.

Each download's deadline is also the job's: a request of a job whose
wall-time budget (``crawler.budget``) is spent is not started, and one that
starts gets what is left of it as its timeout when that is shorter than
``DOWNLOAD_TIMEOUT``, so that a job ends at its deadline however many slow
requests it makes or redirects it follows.

It also keeps the reason phrase of the status line, which Scrapy's
``Response`` does not carry, so that the WARC record shows the status line
the server sent.

This leans on the internals of Scrapy's HTTP/1.1 handler (``_ScrapyAgent``);
the tests of truncation by time pin the behaviour on the Scrapy version in use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler, _ScrapyAgent
from scrapy.exceptions import DownloadTimeoutError
from scrapy.utils._download_handlers import wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.python.failure import Failure

from crawler.budget import BUDGET_KEY, BYTES, TIME, BudgetExhausted, JobBudget
from crawler.exchange import TRUNCATED_TIME, exchange

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.internet.defer import Deferred
    from twisted.web.client import Response as TxResponse


class _DeadlineAgent(_ScrapyAgent):
    def download_request(self, request: Request) -> Deferred[Response]:
        self._cv_request = request
        self._cv_reader: Any = None
        response: Deferred[Response] = super().download_request(request)
        return response

    def _cb_bodyready(self, txresponse: TxResponse, request: Request) -> Any:
        deliver: Any = txresponse.deliverBody

        def remember(protocol: Any) -> None:
            self._cv_reader = protocol
            exchange(request).cut_body = protocol._bodybuf.truncate
            deliver(protocol)

        txresponse.deliverBody = remember  # type: ignore[method-assign]
        return super()._cb_bodyready(txresponse, request)

    def _cb_bodydone(self, result: Any, url: str) -> Response:
        exchange(self._cv_request).reason_phrase = result["txresponse"].phrase
        return super()._cb_bodydone(result, url)

    def _cb_timeout(self, result: Any, request: Request, url: str, timeout: float) -> Any:
        timer: Any = self._timeout_cl
        fired = not timer.active()
        reader = self._cv_reader
        if not fired or not isinstance(result, Failure) or reader is None:
            return super()._cb_timeout(result, request, url, timeout)
        txresponse = cast("Any", self._txresponse)
        txresponse._transport.stopProducing()
        exchange(request).truncated = TRUNCATED_TIME
        return self._cb_bodydone(
            {
                "txresponse": txresponse,
                "body": reader._bodybuf.getvalue(),
                "flags": ["download_timeout"],
                "certificate": reader._certificate,
                "ip_address": reader._ip_address,
            },
            url,
        )


class CaptureDownloadHandler(HTTP11DownloadHandler):
    """Registered for http and https in ``DOWNLOAD_HANDLERS``."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._timeout = crawler.settings.getfloat("DOWNLOAD_TIMEOUT")

    async def download_request(self, request: Request) -> Response:
        budget = request.meta.get(BUDGET_KEY)
        if not isinstance(budget, JobBudget):
            return await self._download(request)
        if budget.exhausted == BYTES:  # made before the job ran out: not started now
            raise BudgetExhausted(f"the job's byte budget ran out before {request.url}")
        budget.start_clock()
        left = budget.time_left()
        timeout = float(request.meta.get("download_timeout") or self._timeout)
        if left is None or left >= timeout:
            return await self._download(request)
        if left <= 0:
            budget.spend(TIME)
            raise BudgetExhausted(f"the job's time budget ran out before {request.url}")
        request.meta["download_timeout"] = left
        try:
            response = await self._download(request)
        except (DownloadTimeoutError, TxTimeoutError, TimeoutError):
            budget.spend(TIME)  # the job's deadline was the one that fired
            raise
        if "download_timeout" in response.flags:
            budget.spend(TIME)
        return response

    async def _download(self, request: Request) -> Response:
        agent = _DeadlineAgent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        with wrap_twisted_exceptions():
            return await maybe_deferred_to_future(agent.download_request(request))
