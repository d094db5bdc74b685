"""The capture spider: each job's URL, then everything its page needs.

Work comes from a ``JobSource`` when ``run_crawl`` starts the spider, or from
``-a urls=URL,URL`` for ad hoc runs (``job_id`` None, failures only logged).
Jobs are leased in small batches and topped up as jobs finish, so a long
queue never sits in memory and leases are only taken for work about to start;
when the crawl runs dry (``spider_idle``) the source is asked once more
before the spider closes.

Requisites are fetched once per crawl, by the first job that finds them;
stylesheets are parsed for what they import and reference, frame documents
for their own requisites, as deep as the job's budget allows
(``crawler.budget``).  Pages and stylesheets are parsed from a decoded
stream, never decoded whole (``archive.net.decoding``).  Every callback
settles its job whatever happens inside it, because a job that never settles
would never get its metadata record.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider, signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure

from archive.capture.contract import DigestIndex, JobSource, WarcSink
from archive.net.decoding import peek
from archive.net.policy import REDIRECTS_SETTING
from crawler.budget import BUDGET_KEY, DEPTH_KEY, JobBudget
from crawler.exchange import exchange
from crawler.failures import describe
from crawler.fetch.decoding import PARSE_LIMIT, response_stream
from crawler.fetch.policy import PolicyRefused
from crawler.jobs import Job
from crawler.requisites import (
    DOCUMENT,
    STYLESHEET,
    Requisite,
    css_requisites,
    html_requisites,
    looks_like_css,
    looks_like_html,
)
from crawler.session import JOB_KEY, PAGE, ROLE, CaptureSession, NoDigests
from crawler.stats import CrawlStats

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

log = logging.getLogger(__name__)

KIND = "cv_kind"
CLAIM = "cv_claim"  # the requisite URL as claimed, kept across its redirect hops
REQUISITE = "requisite"
FRAME = "frame"
REQUISITE_PRIORITY = 10  # finish pages already started before starting new ones


def _charset(response: Response) -> str | None:
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def _content_type(response: Response) -> str | None:
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1") if value else None


class CaptureSpider(Spider):
    """Captures job URLs with their page requisites into WARC files."""

    name = "capture"
    session: CaptureSession
    batch: int
    heartbeat: LoopingCall | None = None
    heartbeat_seconds: float
    decode_limit: int
    limits: tuple[int, int, int, float] = (0, 0, 0, 0.0)

    def __init__(
        self,
        *args: Any,
        source: JobSource | None = None,
        digests: DigestIndex | None = None,
        sink: WarcSink | None = None,
        spool: str | Path | None = None,
        urls: str | list[str] | None = None,
        stats: CrawlStats | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if spool is None:
            raise ValueError("the capture spider needs a spool folder: -a spool=DIR")
        if isinstance(urls, str):
            urls = [url.strip() for url in urls.split(",") if url.strip()]
        if source is None and not urls:
            raise ValueError("the capture spider needs a job source or -a urls=URL[,URL...]")
        self.source = source
        self.digests: DigestIndex = digests or NoDigests()
        self.sink = sink
        self.spool = Path(spool)
        self.adhoc = list(urls or [])
        self.stats = stats if stats is not None else CrawlStats()
        self.drained = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CaptureSpider:
        spider: CaptureSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.batch = max(1, settings.getint("CITEVAULT_LEASE_BATCH", 8))
        spider.session = CaptureSession(
            settings,
            spool=spider.spool,
            source=spider.source,
            digests=spider.digests,
            sink=spider.sink,
            stats=spider.stats,
        )
        spider.heartbeat_seconds = settings.getfloat("CITEVAULT_HEARTBEAT_SECONDS", 30.0)
        ceiling = settings.getint("CITEVAULT_MAX_DECOMPRESSED_BYTES") or PARSE_LIMIT
        spider.decode_limit = min(ceiling, PARSE_LIMIT)
        spider.limits = (
            settings.getint("CITEVAULT_JOB_MAX_REQUESTS"),
            settings.getint("CITEVAULT_JOB_MAX_DEPTH"),
            settings.getint("CITEVAULT_JOB_MAX_BYTES"),
            settings.getfloat("CITEVAULT_JOB_MAX_SECONDS"),
        )
        spider.session.stop_crawl = spider.stop
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.on_headers, signal=signals.headers_received)
        return spider

    # -- work in --------------------------------------------------------------

    def lease(self, limit: int) -> list[Request]:
        """Up to ``limit`` new jobs as page requests (bad URLs fail right away)."""
        jobs: list[Job] = []
        if self.adhoc:
            taken, self.adhoc = self.adhoc[:limit], self.adhoc[limit:]
            jobs = [self.session.book.open(url=url) for url in taken]
        elif self.source is not None:
            try:
                specs = self.source.lease(limit)
            except Exception:
                log.exception("leasing jobs failed; no further jobs in this crawl")
                specs = []
            jobs = [self.session.book.open(spec) for spec in specs]
        if not jobs:
            self.drained = True
        requests = []
        for job in jobs:
            job.budget = JobBudget(*self.limits)
            job.budget.allow_request(0)
            try:
                requests.append(
                    Request(
                        job.url,
                        callback=self.on_page,
                        errback=self.on_page_error,
                        meta={JOB_KEY: job.key, ROLE: PAGE, BUDGET_KEY: job.budget, DEPTH_KEY: 0},
                        dont_filter=True,
                    )
                )
            except (ValueError, TypeError) as exc:
                self.session.fail(job, f"not a fetchable URL {job.url!r}: {exc}", retryable=False)
        return requests

    async def start(self) -> AsyncIterator[Any]:
        for request in self.lease(self.batch):
            yield request

    def top_up(self) -> None:
        active = len(self.session.book.active)
        if self.drained or active > self.batch // 2 or self.crawler.engine is None:
            return
        for request in self.lease(self.batch - active):
            self.crawler.engine.crawl(request)

    def on_opened(self, spider: Spider) -> None:
        # created here, not with the spider: the spider exists before Scrapy
        # installs the reactor, and LoopingCall would install the default one
        if self.source is not None and self.heartbeat_seconds > 0:
            self.heartbeat = LoopingCall(self.session.heartbeat)
            self.heartbeat.start(self.heartbeat_seconds, now=False)

    def on_headers(self, request: Request, **_: Any) -> None:
        # A job can bring its crawler down only through what it receives: its
        # page is in flight once the answer starts arriving.
        self.session.started(request)

    def on_idle(self, spider: Spider) -> None:
        for job in list(self.session.book.active.values()):
            log.warning(
                "%s still had %d open requests when the crawl went idle", job.label, job.pending
            )
            self.session.finish(job)
        self.drained = False
        requests = self.lease(self.batch)
        if requests and self.crawler.engine is not None:
            for request in requests:
                self.crawler.engine.crawl(request)
            raise DontCloseSpider

    def stop(self) -> None:
        """Close the spider early (the WARC files cannot be written)."""
        engine = self.crawler.engine
        if engine is not None:
            deferred_from_coro(engine.close_spider_async(reason="warc_write_error"))

    def closed(self, reason: str) -> None:
        if self.heartbeat is not None and self.heartbeat.running:
            self.heartbeat.stop()
        self.session.close(reason)

    # -- answers --------------------------------------------------------------

    def job_of(self, request: Request) -> Job | None:
        return self.session.book.get(request.meta.get(JOB_KEY))

    def settle(self, job: Job | None) -> None:
        if job is None:
            return
        job.pending -= 1
        if job.pending <= 0:
            self.session.finish(job)
            self.top_up()

    def _request(self, job: Job, item: Requisite, depth: int) -> Request | None:
        if job.budget is not None and not job.budget.allow_request(depth):
            return None  # the budget says which; the job ends with what it has
        callback: Callable[[Response], list[Request] | None] = self.on_requisite
        if item.kind == STYLESHEET:
            callback = self.on_stylesheet
        elif item.kind == DOCUMENT:
            callback = self.on_frame
        meta = {
            JOB_KEY: job.key,
            ROLE: REQUISITE,
            KIND: item.kind,
            CLAIM: item.url,
            BUDGET_KEY: job.budget,
            DEPTH_KEY: depth,
        }
        try:
            return Request(
                item.url,
                callback=callback,
                errback=self.on_requisite_error,
                meta=meta,
                priority=REQUISITE_PRIORITY,
                dont_filter=True,
            )
        except (ValueError, TypeError) as exc:
            job.requisite_failures[item.url] = f"not a fetchable URL: {exc}"
            self.stats.requisite_failures += 1
            return None

    def _fetch(self, wanted: list[tuple[Job, Requisite]], depth: int) -> list[Request]:
        requests = []
        for job, item in wanted:
            request = self._request(job, item, depth)
            if request is not None:
                requests.append(request)
            else:  # nothing will answer it: settle it now
                requests += self._answered(item.url, [], depth)
                self.settle(job)
        return requests

    def follow(self, job: Job, found: list[Requisite], *, depth: int) -> list[Request]:
        """List ``found`` (at ``depth``) for the job; requests for what is new to the crawl."""
        wanted = self.session.book.want(job, found)
        return self._fetch([(job, item) for item in wanted], depth)

    def _answered(self, url: str | None, found: list[Requisite], depth: int) -> list[Request]:
        """A claimed requisite is done: the jobs waiting for it move on."""
        if url is None:
            return []
        waiters, wanted = self.session.book.answered(url, found)
        requests = self._fetch(wanted, depth)
        for job in waiters:
            self.settle(job)
        return requests

    def on_page(self, response: Response) -> list[Request]:
        job = self.job_of(response.request) if response.request else None
        try:
            stream = response_stream(response, self.decode_limit)
            if job is None or stream is None:
                return []
            head, chunks = peek(iter(stream))
            if not looks_like_html(_content_type(response), head):
                return []
            found = html_requisites(chunks, response.url, _content_type(response))
            return self.follow(job, found, depth=1)
        except Exception:
            log.exception("finding the requisites of %s failed", response.url)
            return []
        finally:
            self.settle(job)

    def on_page_error(self, failure: Failure) -> None:
        request: Request | None = getattr(failure, "request", None)
        job = self.job_of(request) if request is not None else None
        if job is None or request is None:
            return
        state = exchange(request)
        exc = failure.value or Exception("unknown failure")
        if (
            state.record_id is not None
            and state.redirect_location
            and not isinstance(exc, PolicyRefused)
        ):
            self.session.fail(
                job,
                f"more than {self.session.max_redirects} redirects, the limit of "
                f"{REDIRECTS_SETTING} (stopped at {request.url}, {len(job.chain)} hops recorded)",
                retryable=False,
            )
        elif state.record_id is not None:
            log.info("%s: recorded %s but could not process it: %s", job.label, request.url, exc)
            self.settle(job)
        else:
            reason, retryable = describe(exc, request.url)
            self.session.fail(job, reason, retryable=retryable)
        self.top_up()

    def _parsed(
        self, response: Response, parse: Callable[[Response, Iterator[bytes]], list[Requisite]]
    ) -> list[Request]:
        """Common path of stylesheet and frame answers: parse, follow, release waiters."""
        job = self.job_of(response.request) if response.request else None
        depth = int(response.meta.get(DEPTH_KEY, 1)) + 1
        self.stats.requisites += 1
        found: list[Requisite] = []
        requests: list[Request] = []
        try:
            stream = response_stream(response, self.decode_limit)
            if job is not None and stream is not None:
                found = parse(response, iter(stream))
                requests = self.follow(job, found, depth=depth)
        except Exception:
            log.exception("finding what %s pulls in failed", response.url)
        try:
            requests += self._answered(response.meta.get(CLAIM), found, depth)
        finally:
            self.settle(job)
        return requests

    def on_stylesheet(self, response: Response) -> list[Request]:
        def parse(answer: Response, chunks: Iterator[bytes]) -> list[Requisite]:
            expected = answer.meta.get(KIND) == STYLESHEET
            if not looks_like_css(_content_type(answer), expected):
                return []
            return css_requisites(chunks, answer.url, _charset(answer))

        return self._parsed(response, parse)

    def on_frame(self, response: Response) -> list[Request]:
        def parse(answer: Response, chunks: Iterator[bytes]) -> list[Requisite]:
            head, chunks = peek(chunks)
            if not looks_like_html(_content_type(answer), head):
                return []
            return html_requisites(chunks, answer.url, _content_type(answer))

        return self._parsed(response, parse)

    def on_requisite(self, response: Response) -> list[Request]:
        self.stats.requisites += 1
        requests = self._answered(response.meta.get(CLAIM), [], 0)
        self.settle(self.job_of(response.request) if response.request else None)
        return requests

    def on_requisite_error(self, failure: Failure) -> list[Request]:
        request: Request | None = getattr(failure, "request", None)
        if request is None:
            return []
        job = self.job_of(request)
        exc = failure.value or Exception("unknown failure")
        if exchange(request).record_id is not None and not isinstance(exc, IgnoreRequest):
            self.stats.requisites += 1  # recorded; only the processing after it failed
        else:
            reason, _ = describe(exc, request.url)
            if job is not None:
                job.requisite_failures[request.url] = reason
            self.stats.requisite_failures += 1
        requests = self._answered(request.meta.get(CLAIM), [], 0)
        self.settle(job)
        return requests
