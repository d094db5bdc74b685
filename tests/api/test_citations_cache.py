"""The citations cache: every committed change shows, whoever commits it.

The changes are committed on connections of their own, as a crawl worker or
the CLI would, and read back through the API, which serves repeated reads
from its cache; the cache may lag a notice's round trip, never more, so each
read-back polls for a few seconds before it counts as stale.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.api.cache import CHANNEL, CitationsCache
from archive.db import migrate
from archive.db.engine import libpq_url
from archive.db.models import Citation, CitationCapture, Document
from archive.errors import NotFoundError
from archive.lookup import citations as lookup
from archive.runtime import Runtime
from tests.api.archives import T1, T2, Archive


@pytest.fixture
def cached(pg_url: str, make_settings: Any) -> Iterator[Archive]:
    migrate.upgrade(pg_url)
    rt = Runtime(make_settings(database_url=pg_url))
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        archive = Archive(client, rt.sessions())
        cache = client.app.state.citations_cache  # type: ignore[attr-defined]
        deadline = time.monotonic() + 10
        while not cache.live and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cache.live, "the cache's listener did not start"
        yield archive
    rt.close()


def _eventually(read: Callable[[], Any], expected: Any) -> None:
    deadline = time.monotonic() + 5
    while (got := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.02)
    assert got == expected


def _captures(archive: Archive) -> list[int]:
    body = archive.client.get("/api/documents/doc/citations").json()
    return [cap["id"] for c in body["citations"] for cap in c["captures"]]


def _notices_drained(cache: CitationsCache, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Wait until the listener has taken every notice committed so far.

    PostgreSQL delivers notices in commit order, so once a marker sent now has
    arrived, so has every notice of earlier commits: none is left to bump the
    epoch under a test that counts renders.
    """
    seen: list[str] = []
    real_evict = cache.evict

    def recording_evict(doc_id: str) -> None:
        seen.append(doc_id)
        real_evict(doc_id)

    monkeypatch.setattr(cache, "evict", recording_evict)
    with psycopg.connect(libpq_url(pg_url), autocommit=True) as conn:
        conn.execute(f"NOTIFY {CHANNEL}, 'drained-marker'")
    _eventually(lambda: "drained-marker" in seen, True)


def test_changes_committed_elsewhere_show(
    cached: Archive, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cached.add("https://example.org/a", T1)
    cached.cite(first, "doc", private=False)
    # a notice of the set-up arriving during the first read would rightly keep
    # that read out of the cache, so the check below waits for them first
    _notices_drained(cached.client.app.state.citations_cache, pg_url, monkeypatch)  # type: ignore[attr-defined]
    assert _captures(cached) == [first]
    assert cached.client.app.state.citations_cache.get(("doc", None)) is not None  # type: ignore[attr-defined]

    later = cached.add("https://example.org/a", T2)
    with cached.sessions() as s:  # a new capture of the same citation, as a worker links it
        citation = s.query(Citation).filter_by(document_id="doc").one()
        s.add(CitationCapture(citation_id=citation.id, capture_id=later))
        s.commit()
    _eventually(lambda: _captures(cached), [later, first])

    with cached.sessions() as s:
        s.query(Citation).filter_by(document_id="doc").update({"resolution": "failed"})
        s.commit()
    _eventually(
        lambda: cached.client.get("/api/documents/doc/citations").json()["citations"][0][
            "resolution"
        ]["state"],
        "failed",
    )

    with cached.sessions() as s:  # made private: gone for callers without a key
        doc = s.get(Document, "doc")
        assert doc is not None
        doc.is_private = True
        s.commit()
    _eventually(lambda: cached.client.get("/api/documents/doc/citations").status_code, 404)
    key = cached.api_key()
    with_key = cached.client.get(
        "/api/documents/doc/citations", headers={"Authorization": f"ApiKey {key}"}
    )
    assert with_key.status_code == 200
    wrong = cached.client.get(
        "/api/documents/doc/citations", headers={"Authorization": "ApiKey cv_wrong"}
    )
    assert wrong.status_code == 401


def test_a_render_that_raced_a_change_is_not_kept() -> None:
    cache = CitationsCache(max_entries=2, max_age=60)
    cache.put(("a", None), False, b"{}", cache.epoch)
    assert cache.get(("a", None)) is None  # not listening: nothing is kept or served
    cache.live = True
    epoch = cache.epoch
    cache.evict("other")  # a notice arrives while "a" is being rendered
    cache.put(("a", None), False, b"{}", epoch)
    assert cache.get(("a", None)) is None
    cache.put(("a", None), False, b"{}", cache.epoch)
    cache.put(("a", 2), False, b"{}", cache.epoch)
    assert cache.get(("a", None)) is not None
    cache.evict("a")  # every version of the document
    assert cache.get(("a", None)) is None and cache.get(("a", 2)) is None
    for name in ("x", "y", "z"):
        cache.put((name, None), False, b"{}", cache.epoch)
    assert cache.get(("x", None)) is None  # the least recently used went first
    cache.max_age = -1
    assert cache.get(("z", None)) is None  # expired
    cache.stop()
    assert not cache.live


def test_write_endpoints_evict_at_once(cached: Archive) -> None:
    """A client that changes a document through the API reads its change right back."""
    capture = cached.add("https://example.org/a", T1 + timedelta(days=1))
    cached.cite(capture, "doc", private=False)
    with cached.sessions() as s:
        citation = s.query(Citation).filter_by(document_id="doc").one()
        citation.kind, citation.resolution = "named", "unresolved"
        citation_id = citation.id
        s.commit()
    url = "/api/documents/doc/citations"
    _eventually(lambda: cached.client.get(url).json()["citations"][0]["kind"], "named")
    key = cached.api_key()
    resolved = cached.client.post(
        f"/api/citations/{citation_id}/resolve",
        json={"url": "https://example.org/moved"},
        headers={"Authorization": f"ApiKey {key}"},
    )
    assert resolved.status_code == 200, resolved.text
    state = cached.client.get(url).json()["citations"][0]["resolution"]
    assert (state["state"], state["url"]) == ("resolved", "https://example.org/moved")


def test_concurrent_misses_share_one_render(
    cached: Archive, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Requests that miss together wait for one render instead of each making their own."""
    cached.cite(cached.add("https://example.org/a", T1), "doc", private=False)
    cache = cached.client.app.state.citations_cache  # type: ignore[attr-defined]
    _notices_drained(cache, pg_url, monkeypatch)
    renders: list[str] = []
    real = lookup.citations_view

    missed: list[Any] = []

    def slow_view(*args: Any) -> Any:
        renders.append(args[1])
        deadline = time.monotonic() + 10
        while len(missed) < 8 and time.monotonic() < deadline:
            time.sleep(0.01)  # until the other requests have arrived
        return real(*args)

    monkeypatch.setattr(lookup, "citations_view", slow_view)
    real_shared = cache.shared

    async def counted_shared(*args: Any) -> Any:
        missed.append(args[0])
        return await real_shared(*args)

    monkeypatch.setattr(cache, "shared", counted_shared)
    with ThreadPoolExecutor(8) as threads:
        answers = list(
            threads.map(lambda _: cached.client.get("/api/documents/doc/citations"), range(8))
        )
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1
    assert len(missed) == 8  # all eight missed the cache, so all were in flight together
    assert renders == ["doc"]


def _built(body: bytes) -> Callable[[], Awaitable[tuple[bool, bytes]]]:
    async def build() -> tuple[bool, bytes]:
        await asyncio.sleep(0.05)
        return False, body

    return build


async def _sharing_rules() -> None:
    cache = CitationsCache(8, 60)
    cache.live = True
    key = ("doc", None)
    calls: list[str] = []

    def counted(name: str, build: Callable[[], Awaitable[tuple[bool, bytes]]]) -> Any:
        async def wrapped() -> tuple[bool, bytes]:
            calls.append(name)
            return await build()

        return wrapped

    # joined while no notice arrived; a newcomer after a notice builds anew
    first = asyncio.create_task(cache.shared(key, counted("first", _built(b"old"))))
    await asyncio.sleep(0)
    joined = asyncio.create_task(cache.shared(key, counted("joined", _built(b"never"))))
    await asyncio.sleep(0.01)
    cache.evict("doc")
    fresh = asyncio.create_task(cache.shared(key, counted("fresh", _built(b"new"))))
    assert await first == (False, b"old")
    assert await joined == (False, b"old")
    assert await fresh == (False, b"new")
    assert calls == ["first", "fresh"]
    stored = cache.get(key)
    assert stored is not None and stored.body == b"new"

    # the builder's own error is everyone's; a cancelled builder leaves the rest to build
    cache.evict("*")
    calls.clear()

    async def missing() -> tuple[bool, bytes]:
        calls.append("missing")
        await asyncio.sleep(0.05)
        raise NotFoundError("no document with id 'doc'")

    leader = asyncio.create_task(cache.shared(key, missing))
    await asyncio.sleep(0)
    waiter = asyncio.create_task(cache.shared(key, counted("waiter", _built(b"x"))))
    for task in (leader, waiter):
        with pytest.raises(NotFoundError):
            await task
    assert calls == ["missing"]
    leader = asyncio.create_task(cache.shared(key, counted("leader", _built(b"y"))))
    await asyncio.sleep(0)
    waiter = asyncio.create_task(cache.shared(key, counted("waiter", _built(b"z"))))
    await asyncio.sleep(0.01)
    leader.cancel()
    assert await waiter == (False, b"z")
    assert calls == ["missing", "leader", "waiter"]


def test_sharing_follows_notices_errors_and_cancellation() -> None:
    asyncio.run(_sharing_rules())
