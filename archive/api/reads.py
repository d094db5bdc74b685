"""The API's one way to the database: ``read(request, fn)``.

Every route parses its input, then hands one plain function to ``read``,
which runs it on a worker thread with a connection of the runtime's engine:
the engine, and the query and service functions, that the command line uses
too, on SQLite and PostgreSQL alike.  The caller's key is checked inside that
function (``key_checker``), so a request is one database turn and one thread
hop, and nothing that blocks (queries, ORM loads, store reads) runs on the
event loop.

The functions run on threads of their own, ``database_pool_size`` of them
(a ``ThreadPoolExecutor`` opened by the lifespan), so a process never asks
for more connections than that, and turns are handed out first come, first
served from the executor's queue.  Waiting in the pool's own queue instead, a
newcomer could take a connection returned for a waiter, so under load a few
requests starved while later ones were served; and waiters on the
framework's thread pool would hold the threads that submissions need.

Responses are rendered with orjson into ``JsonBytes`` and returned as a
``Response``, which FastAPI passes through as is: no ``jsonable_encoder`` and
no pydantic validation of a body this code has just built itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import Connection, Engine

from archive.api import ranged
from archive.api.cache import CitationsCache, listening
from archive.api.errors import ApiError
from archive.api.keys import key_is_active
from archive.ingest.extraction import ExtractionPool
from archive.runtime import Runtime

T = TypeVar("T")


class JsonBytes(Response):
    """JSON already rendered to bytes (or a value orjson renders)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        if isinstance(content, bytes):
            return content
        return orjson.dumps(content)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Opens, on the serving loop, what requests share: the turns, S3 session, cache,
    and the processes that extract submitted documents."""
    rt = runtime(app)
    state = app.state
    state.citations_cache = None
    async with contextlib.AsyncExitStack() as stack:
        state.read_threads = threads = ThreadPoolExecutor(
            rt.settings.database_pool_size, thread_name_prefix="citevault-read"
        )
        stack.push_async_callback(_in_thread, threads.shutdown)
        # Submissions extract in these child processes (archive/ingest/extraction.py);
        # closed in a thread, since the last extractions under way are waited for.
        state.extraction_pool = extraction = ExtractionPool(rt.settings.api_extraction_processes)
        stack.push_async_callback(_in_thread, extraction.close)
        state.s3_session = await stack.enter_async_context(ranged.new_session(rt))
        cache = CitationsCache(
            rt.settings.citations_cache_entries, rt.settings.citations_cache_seconds
        )
        if not rt.is_sqlite and cache.max_entries > 0:
            await stack.enter_async_context(listening(cache, rt.database_url))
            state.citations_cache = cache
        # Everything built so far (the app, its routes, SQLAlchemy's metadata)
        # lives as long as the process: moved out of the collector's sight, a
        # full collection no longer walks it and pauses every request in flight.
        # Thawed at shutdown, so that an app started and stopped many times
        # in one process (the tests) leaves nothing behind for good.
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            state.citations_cache = state.s3_session = state.read_threads = None


async def _in_thread(fn: Callable[[], None]) -> None:
    await asyncio.to_thread(fn)


def runtime(app_or_request: FastAPI | Request) -> Runtime:
    app = app_or_request.app if isinstance(app_or_request, Request) else app_or_request
    rt = app.state.runtime
    assert isinstance(rt, Runtime)
    return rt


def citations_cache(request: Request) -> CitationsCache | None:
    cache: CitationsCache | None = getattr(request.app.state, "citations_cache", None)
    return cache


def evict_citations(request: Request, doc_id: str) -> None:
    """This process's writes evict at once; the change notice follows for the others."""
    cache = citations_cache(request)
    if cache is not None:
        cache.evict(doc_id)


def _turn(engine: Engine, fn: Callable[[Connection], T]) -> T:
    # Autocommit: a transaction would add a BEGIN and a ROLLBACK round trip to
    # each turn, and buy these reads nothing: under PostgreSQL's READ COMMITTED
    # each statement sees its own snapshot anyway.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        return fn(conn)


async def read(request: Request, fn: Callable[[Connection], T]) -> T:
    """``fn(connection)`` on a reading thread, in its turn (see the module's docstring).

    An application driven without its lifespan (a bare ``TestClient``) has
    no reading threads: its requests run on the event loop's default executor.
    """
    engine = runtime(request).engine()
    threads: ThreadPoolExecutor | None = getattr(request.app.state, "read_threads", None)
    return await asyncio.get_running_loop().run_in_executor(threads, _turn, engine, fn)


def key_checker(request: Request, *, required: bool = False) -> Callable[[Connection], bool]:
    """Whether the caller is privileged, checked inside the request's one database turn.

    A malformed ``Authorization`` header, or none where ``required``, fails at
    once (401), before any body is read; a presented key is looked up inside
    the turn (``keys.key_is_active``), and an unknown or revoked one is a 401.
    """
    key = presented_key(request)
    if key is None and required:
        raise ApiError(401, "api_key_required", "this endpoint needs 'Authorization: ApiKey <key>'")

    def check(conn: Connection) -> bool:
        if key is None:
            return False
        if not key_is_active(conn, key):
            raise ApiError(401, "invalid_api_key", "the API key is unknown or has been revoked")
        return True

    return check


def presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "apikey" or not value.strip():
        raise ApiError(401, "bad_authorization", "use the header 'Authorization: ApiKey <key>'")
    return value.strip()
