"""Rendered citations bodies, kept while PostgreSQL says nothing under them changed.

``GET /api/documents/{id}/citations`` is the most requested body and the most
expensive one to build: a document with its captures is hundreds of rows
and a large JSON body, built again for every request.
A document's citations only change when something is committed, and
migration 0003 has PostgreSQL announce every such commit: triggers on
documents, versions, citations and their capture links ``NOTIFY`` the
document's id on ``citevault_documents`` (``*`` for anything wider).  Each API
process listens on its own connection and evicts what the notice names.

What keeps this honest:

* Nothing is served from the cache unless the listener is connected and
  listening; when its connection drops, the cache is emptied and bypassed
  until it is back.
* A body is stored only if no notice arrived while it was being built
  (``epoch``), so a render that raced a commit is never kept.
* Entries also expire after ``max_age`` seconds, a bound on staleness even if
  a notice were lost with a connection that died silently.
* Write endpoints of this process evict directly, so a client that changes a
  document and reads it back does not wait for the notice.

The one window left is between a commit in another process and its notice
reaching this one (a round trip on loopback): a read in it can return the
body as it was just before the commit, as a read that began a moment earlier
would have.  Private documents are cached like others, with their flag, and
still 404 for a caller without a key.  SQLite has no notices, so there the
cache stays off.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import psycopg

from archive.db.engine import libpq_url
from archive.errors import CitevaultError

CHANNEL = "citevault_documents"
RETRY_SECONDS = 1.0
log = logging.getLogger(__name__)

Key = tuple[str, int | None]  # document id, version asked for (None: the latest)
Built = tuple[bool, bytes]  # document private, body


@dataclass(frozen=True, slots=True)
class Entry:
    private: bool
    body: bytes
    born: float


class CitationsCache:
    def __init__(self, max_entries: int, max_age: float) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self.epoch = 0  # bumped by every eviction: a render that spans one is not kept
        self.live = False  # True only while the listener is listening
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._building: dict[Key, tuple[int, asyncio.Future[Built]]] = {}

    def get(self, key: Key) -> Entry | None:
        if not self.live:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        if time.monotonic() - entry.born > self.max_age:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: Key, private: bool, body: bytes, epoch: int) -> None:
        """Keep ``body`` if it was rendered entirely within ``epoch`` (see ``epoch``)."""
        if not self.live or epoch != self.epoch or self.max_entries <= 0:
            return
        self._entries[key] = Entry(private, body, time.monotonic())
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def shared(self, key: Key, build: Callable[[], Awaitable[Built]]) -> Built:
        """``build()``'s answer, stored, and shared with whoever asks for ``key`` meanwhile.

        When an entry is missing (first asked, evicted, expired), every
        request for it in flight would otherwise build the same body at once:
        with many in flight, as many renders of one body, and one answer at
        the end.  A request joins a build only if no notice arrived
        since it started (the rule ``put`` keeps), and only while the cache
        is live.  An error the build raises for its caller (the document is
        unknown, say) is everyone's; if the build is cancelled or fails
        otherwise, those waiting build for themselves.
        """
        pending = self._building.get(key)
        if self.live and pending is not None and pending[0] == self.epoch:
            try:
                return await asyncio.shield(pending[1])
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if not pending[1].cancelled() or (task is not None and task.cancelling()):
                    raise
        epoch = self.epoch
        future: asyncio.Future[Built] = asyncio.get_running_loop().create_future()
        self._building[key] = (epoch, future)
        try:
            private, body = await build()
        except CitevaultError as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: nobody may be waiting
            raise
        except BaseException:
            future.cancel()
            raise
        finally:
            if self._building.get(key, (0, None))[1] is future:
                del self._building[key]
        future.set_result((private, body))
        self.put(key, private, body, epoch)
        return private, body

    def evict(self, doc_id: str) -> None:
        self.epoch += 1
        if doc_id == "*":
            self._entries.clear()
            return
        for key in [k for k in self._entries if k[0] == doc_id]:
            del self._entries[key]

    def stop(self) -> None:
        self.live = False
        self.evict("*")


async def listen(cache: CitationsCache, database_url: str) -> None:
    """Keep ``cache`` in step with the database's notices until cancelled.

    TCP keepalives make a connection that died without a word fail within
    about half a minute; ``max_age`` bounds what could be served before that.
    """
    conninfo = libpq_url(database_url)
    while True:
        try:
            conn = await psycopg.AsyncConnection.connect(
                conninfo,
                autocommit=True,
                connect_timeout=5,
                keepalives=1,
                keepalives_idle=10,
                keepalives_interval=5,
                keepalives_count=3,
            )
            async with conn:
                await conn.execute(f"LISTEN {CHANNEL}")
                cache.evict("*")  # whatever was missed while not listening
                cache.live = True
                async for notice in conn.notifies():
                    cache.evict(notice.payload)
        except (psycopg.Error, OSError) as exc:
            log.warning("citations cache off: change notices unavailable (%s)", exc)
        finally:
            cache.stop()
        await asyncio.sleep(RETRY_SECONDS)


@contextlib.asynccontextmanager
async def listening(cache: CitationsCache, database_url: str) -> AsyncIterator[None]:
    task = asyncio.create_task(listen(cache, database_url))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        cache.stop()
