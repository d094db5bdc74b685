"""A refetch renews its tick's lease between documents, and a tick taken over is
written by one scheduler only.

The loopback site holds each planned request until the test releases it, so
"a fetch that takes long" is a fetch the test has not let answer yet, and the
injected clock says how long it took.  Nothing is timed.
"""

from __future__ import annotations

import hashlib
import http.server
import queue
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from archive.clock import ManualClock
from archive.db.models import DocumentVersion, ScheduleTick
from archive.ingest.service import add_document
from archive.ingest.source import read_url
from archive.runtime import Runtime
from archive.schedule import manage
from archive.schedule.scheduler import Done, poll
from tests.schedule.conftest import START, make_runtime, page
from tests.sites.loopback import QuietHandler, serving

WAIT = 30.0  # the longest a step may take before the test fails
LEASE = timedelta(seconds=600)  # scheduler.run_lease_seconds in these tests


class _Site(http.server.ThreadingHTTPServer):
    """Answers each path from its plan: (gate or None, body) per request, in order;
    with the plan used up, the path's last body at once."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.plan: dict[str, list[tuple[threading.Event | None, bytes]]] = {}
        self.last: dict[str, bytes] = {}
        self.arrived: queue.Queue[str] = queue.Queue()
        self.hits: dict[str, int] = {}

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _Handler(QuietHandler):
    server: _Site

    def do_GET(self) -> None:
        site = self.server
        with site.lock:
            site.hits[self.path] = site.hits.get(self.path, 0) + 1
            gate, body = (
                site.plan[self.path].pop(0)
                if site.plan.get(self.path)
                else (None, site.last[self.path])
            )
        site.arrived.put(self.path)
        if gate is not None:
            gate.wait(WAIT)
        self.send_page(body)


@pytest.fixture
def site() -> Iterator[_Site]:
    gates: list[threading.Event] = []
    with serving(_Site()) as server:
        server.gates = gates  # type: ignore[attr-defined]
        try:
            yield server
        finally:
            for gate in gates:  # a held request must not keep the listener from closing
                gate.set()


@pytest.fixture
def lrt(database_url: str, make_settings: Any) -> Iterator[Runtime]:
    runtime = make_runtime(
        database_url,
        make_settings,
        fetch={"block_private_addresses": False, "download_timeout_seconds": WAIT * 2},
        scheduler={"run_lease_seconds": LEASE.total_seconds()},
    )
    yield runtime
    runtime.close()


def _gate(site: _Site) -> threading.Event:
    gate = threading.Event()
    site.gates.append(gate)  # type: ignore[attr-defined]
    return gate


def _added(rt: Runtime, site: _Site, doc_id: str, path: str, body: bytes) -> None:
    site.last[path] = body
    add_document(rt, read_url(site.url(path), rt.settings), doc_id=doc_id)
    assert site.arrived.get_nowait() == path  # the schedulers' requests come next


def _refetch_all(rt: Runtime) -> int:
    with rt.sessions()() as s, s.begin():
        new = manage.NewSchedule(cron="0 4 * * *", action="refetch", document_id=None)
        return manage.add_schedule(s, new, now=START).id


def _versions(rt: Runtime, doc_id: str) -> list[tuple[int, str]]:
    with rt.sessions()() as s:
        rows = s.execute(
            select(DocumentVersion.version, DocumentVersion.sha256)
            .where(DocumentVersion.document_id == doc_id)
            .order_by(DocumentVersion.version)
        ).all()
        return [(v, sha) for v, sha in rows]


def _sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class _Polling(threading.Thread):
    """One scheduler's poll, run aside while the test moves the clock and the site."""

    def __init__(self, rt: Runtime, clock: ManualClock, owner: str) -> None:
        super().__init__(daemon=True)
        self.rt, self.clock, self.owner = rt, clock, owner
        self.done: list[Done] | None = None

    def run(self) -> None:
        self.done = poll(self.rt, self.clock, owner=self.owner)


def test_refetch_renews_its_lease_between_documents(lrt: Runtime, site: _Site) -> None:
    _added(lrt, site, "d1", "/one.html", page("https://example.org/a"))
    _added(lrt, site, "d2", "/two.html", page("https://example.org/b"))
    sid = _refetch_all(lrt)
    one, two = _gate(site), _gate(site)
    new_one, new_two = page("https://example.org/c"), page("https://example.org/d")
    site.plan = {"/one.html": [(one, new_one)], "/two.html": [(two, new_two)]}
    site.hits.clear()
    clock = ManualClock(START + timedelta(hours=4))

    first = _Polling(lrt, clock, "s1")
    first.start()
    assert site.arrived.get(timeout=WAIT) == "/one.html"
    clock.advance(LEASE * 0.6)  # the first fetch takes most of the lease
    one.set()
    assert site.arrived.get(timeout=WAIT) == "/two.html"
    clock.advance(LEASE * 0.6)  # past the lease as claimed, not past the renewed one

    assert poll(lrt, clock, owner="s2") == []  # nothing to take over
    two.set()
    first.join(WAIT)
    assert first.done is not None
    assert [(d.schedule_id, d.ran, d.error) for d in first.done] == [(sid, True, None)]
    assert site.hits == {"/one.html": 1, "/two.html": 1}  # each fetched once
    assert [v for v, _ in _versions(lrt, "d1")] == [1, 2]
    assert [v for v, _ in _versions(lrt, "d2")] == [1, 2]
    with lrt.sessions()() as s:
        tick = s.scalars(select(ScheduleTick)).one()
    assert (tick.claimed_by, tick.attempts, tick.error) == ("s1", 1, None)
    assert tick.finished_at == clock.now()


def test_a_refetch_taken_over_is_written_by_one_scheduler_only(lrt: Runtime, site: _Site) -> None:
    _added(lrt, site, "d1", "/one.html", page("https://example.org/a"))
    sid = _refetch_all(lrt)
    slow = _gate(site)
    seen_by_first, seen_by_second = page("https://example.org/c"), page("https://example.org/d")
    # The page changes between the two fetches: both schedulers get new bytes.
    site.plan = {"/one.html": [(slow, seen_by_first), (None, seen_by_second)]}
    clock = ManualClock(START + timedelta(hours=4))

    first = _Polling(lrt, clock, "s1")
    first.start()
    assert site.arrived.get(timeout=WAIT) == "/one.html"
    clock.advance(LEASE + timedelta(seconds=1))  # the fetch outlives the lease

    second = poll(lrt, clock, owner="s2")  # takes the tick over and runs it
    assert [(d.schedule_id, d.ran, d.error) for d in second] == [(sid, True, None)]
    slow.set()  # the first scheduler's fetch answers at last
    first.join(WAIT)
    assert first.done is not None
    ((d,),) = [first.done]
    assert d.schedule_id == sid and d.error is not None and "taken over" in d.error

    # one new version, the second scheduler's; the first wrote nothing
    versions = _versions(lrt, "d1")
    assert [v for v, _ in versions] == [1, 2]
    assert versions[1][1] == _sha(seen_by_second)
    with lrt.sessions()() as s:
        tick = s.scalars(select(ScheduleTick)).one()
    # finished by the scheduler that ran it to the end, without the other's error
    assert (tick.claimed_by, tick.attempts, tick.error) == ("s2", 2, None)
    assert tick.finished_at is not None
