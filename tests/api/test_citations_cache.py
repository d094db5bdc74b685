"""The citations cache: every committed change shows, whoever commits it.

The changes are committed on connections of their own, as a crawl worker or
the CLI would, and read back through the API, which serves repeated reads
from its cache; the cache may lag a notice's round trip, never more, so each
read-back polls for a few seconds before it counts as stale.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.api.cache import CitationsCache
from archive.db import migrate
from archive.db.models import Citation, CitationCapture, Document
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


def test_changes_committed_elsewhere_show(cached: Archive) -> None:
    first = cached.add("https://example.org/a", T1)
    cached.cite(first, "doc", private=False)
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
