"""The hot read paths' plumbing: one database round trip per request, no thread hops.

FastAPI runs every plain ``def`` endpoint and dependency in a thread pool, and
each hand-over costs a thread wake-up and a fight for the GIL; a request with
a session dependency and a key dependency made five of them.  The lookups
the benchmark holds to targets (citations of a document, the TimeGate, WARC
records) are instead ``async`` endpoints that hand one function to ``read``:
on PostgreSQL it runs in the event loop on an asyncio connection
(SQLAlchemy's ``run_sync`` lets the same Core code serve both drivers); on
SQLite, whose driver has no asyncio mode, it runs once on the thread pool.
Anonymous requests on PostgreSQL go leaner still, on plain asyncpg
connections (``archive.db.pgpool``).  The CDX API and the rest still run on threads.

The asyncio engine is opened by the application's lifespan, so it belongs to
the loop that serves requests; an application driven without its lifespan
(a bare ``TestClient``) falls back to the thread pool.

Responses are rendered with orjson into ``JsonBytes`` and returned as a
``Response``, which FastAPI passes through as is: no ``jsonable_encoder`` and
no pydantic validation of a body this code has just built itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.concurrency import run_in_threadpool

from archive.api import ranged
from archive.api.cache import CitationsCache, listening
from archive.api.deps import presented_key
from archive.api.errors import ApiError
from archive.api.keys import hash_key, is_stale
from archive.db.base import utcnow
from archive.db.engine import make_async_engine
from archive.db.models import ApiKey
from archive.db.pgpool import PgPool
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
    """Opens, on the serving loop, what the hot paths share: pools, S3 session, cache,
    and the processes that extract submitted documents."""
    rt = app.state.runtime
    assert isinstance(rt, Runtime)
    state = app.state
    state.async_engine = state.citations_cache = state.pg_pool = None
    async with contextlib.AsyncExitStack() as stack:
        # Submissions extract in these child processes (archive/ingest/extraction.py);
        # closed in a thread, since the last extractions under way are waited for.
        state.extraction_pool = extraction = ExtractionPool(rt.settings.api_extraction_processes)
        stack.push_async_callback(_in_thread, extraction.close)
        state.s3_session = await stack.enter_async_context(ranged.new_session(rt))
        if not rt.is_sqlite:
            size = rt.settings.database_pool_size
            state.async_engine = engine = make_async_engine(rt.database_url, size)
            stack.push_async_callback(engine.dispose)
            state.async_turns = asyncio.Semaphore(size)
            state.pg_pool = pool = PgPool(rt.database_url, size)
            stack.push_async_callback(pool.close)
            cache = CitationsCache(
                rt.settings.citations_cache_entries, rt.settings.citations_cache_seconds
            )
            if cache.max_entries > 0:
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
            state.async_engine = state.citations_cache = state.pg_pool = None
            state.s3_session = None


async def _in_thread(fn: Callable[[], None]) -> None:
    await asyncio.to_thread(fn)


def citations_cache(request: Request) -> CitationsCache | None:
    cache: CitationsCache | None = getattr(request.app.state, "citations_cache", None)
    return cache


def evict_citations(request: Request, doc_id: str) -> None:
    """This process's writes evict at once; the change notice follows for the others."""
    cache = citations_cache(request)
    if cache is not None:
        cache.evict(doc_id)


def _blocking(engine: Engine, fn: Callable[[Connection], T]) -> T:
    with engine.connect() as conn:
        return fn(conn)


async def read(request: Request, fn: Callable[[Connection], T]) -> T:
    """``fn(connection)``, on the asyncio engine if there is one, else on a thread.

    The connection's transaction is rolled back afterwards unless ``fn``
    commits: these are reads.
    """
    engine: AsyncEngine | None = getattr(request.app.state, "async_engine", None)
    if engine is not None:
        # Queue for a turn here, first come first served, rather than in the
        # pool: asyncio.Queue lets a newcomer take a connection that was
        # returned for a waiter, and the waiter rejoins at the back, so under
        # load a few requests starved while later ones were served.
        async with request.app.state.async_turns, engine.connect() as conn:
            return await conn.run_sync(fn)
    rt = request.app.state.runtime
    assert isinstance(rt, Runtime)
    return await run_in_threadpool(_blocking, rt.engine(), fn)


def key_checker(request: Request) -> Callable[[Connection], bool]:
    """Whether the caller is privileged, checked inside the request's one round trip.

    A malformed ``Authorization`` header fails at once (401); a presented key
    is looked up, and stamped as used when its stamp is due (``keys.is_stale``),
    as ``deps.optional_key`` does; an unknown or revoked one is a 401 too.
    """
    key = presented_key(request)

    def check(conn: Connection) -> bool:
        if key is None:
            return False
        found = conn.execute(
            select(ApiKey.id, ApiKey.last_used_at).where(
                ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None)
            )
        ).first()
        if found is None:
            raise ApiError(401, "invalid_api_key", "the API key is unknown or has been revoked")
        now = utcnow()
        if is_stale(found.last_used_at, now):
            conn.execute(update(ApiKey).where(ApiKey.id == found.id).values(last_used_at=now))
            conn.commit()
        return True

    return check
