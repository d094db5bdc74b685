"""Digest lookups against a database server, batched, off the crawl's path.

Every response with a payload asks the digest index whether the payload is
archived already.  Against PostgreSQL each question is a network round trip;
asked synchronously it would stall the crawl, and asked one by one from a
thread it costs a thread hand-off (and a fight for the GIL) per response.
Here the questions that arrive while a query is in flight wait for the next
one, which asks them all at once with ``lookup_many`` on one thread of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from archive.capture.contract import DigestIndex, KnownPayload

if TYPE_CHECKING:
    from twisted.python.failure import Failure

MAX_BATCH = 500  # digests per query: a bound on statement size, far above what a crawl waits on


class BatchedLookups:
    """Hands out Deferreds for digest lookups and answers them in batches."""

    def __init__(self, index: DigestIndex) -> None:
        self.index = index
        self.queries = 0
        self._pool: ThreadPool | None = None
        self._waiting: dict[str, list[Deferred[KnownPayload | None]]] = {}
        self._asking = False

    def ask(self, digest: str) -> Deferred[KnownPayload | None]:
        answer: Deferred[KnownPayload | None] = Deferred()
        self._waiting.setdefault(digest, []).append(answer)
        if not self._asking:
            self._next()
        return answer

    def _thread(self) -> ThreadPool:
        """Started on first use: by then Scrapy has installed its reactor (importing
        ``twisted.internet.reactor`` any earlier would install the default one)."""
        from twisted.internet import reactor

        if self._pool is None:
            # one thread: lookups share one connection
            self._pool = ThreadPool(minthreads=1, maxthreads=1, name="citevault-digests")
            self._pool.start()
            # zope interface methods confuse mypy: it takes "during" for self
            reactor.addSystemEventTrigger("during", "shutdown", self._pool.stop)  # type: ignore[arg-type]
        return self._pool

    def _next(self) -> None:
        from twisted.internet import reactor

        digests = list(self._waiting)[:MAX_BATCH]
        batch = {digest: self._waiting.pop(digest) for digest in digests}
        self._asking = True
        self.queries += 1
        query: Deferred[dict[str, KnownPayload]] = deferToThreadPool(
            reactor, self._thread(), self.index.lookup_many, digests
        )

        def answered(found: dict[str, KnownPayload]) -> None:
            for digest, answers in batch.items():
                for answer in answers:
                    answer.callback(found.get(digest))

        def failed(failure: Failure) -> None:
            for answers in batch.values():
                for answer in answers:
                    answer.errback(failure)

        def done(_: object) -> None:
            self._asking = False
            if self._waiting:
                self._next()

        query.addCallbacks(answered, failed).addBoth(done)
