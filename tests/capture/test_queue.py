"""The capture queue: leases, expiry, retries, and reuse of recent captures."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from archive.capture import queue, rows
from archive.capture.contract import METADATA_PROFILE, CaptureMetadata
from archive.db import migrate
from archive.db.base import utcnow
from archive.db.engine import make_engine, session_factory
from archive.db.models import (
    Capture,
    CaptureJob,
    Citation,
    CitationCapture,
)
from tests.factories import cite

DAY = timedelta(hours=24)


def _setup(database_url: str) -> Any:
    migrate.upgrade(database_url)
    return session_factory(make_engine(database_url))


def _doc(s: Session, urls: list[str], doc_id: str = "d") -> list[Citation]:
    return cite(s, doc_id, urls)


def _done_job(s: Session, url: str) -> int:
    """A finished ad hoc job of ``url``: a capture the job ended on carries its id."""
    job = queue.enqueue_url(s, url)
    job.state = "done"
    s.flush()
    return job.id


def test_concurrent_workers_never_share_a_job(database_url: str) -> None:
    sessions = _setup(database_url)
    with sessions() as s:
        cites = _doc(s, [f"https://example.org/{i}" for i in range(60)])
        for c in cites:
            queue.enqueue_citation(s, c, c.url_as_cited or "", window=DAY)
        s.commit()
    taken: dict[str, list[int]] = {}

    def worker(name: str) -> None:
        got: list[int] = []
        while True:
            with sessions() as s:
                batch = queue.lease(s, name, 3)
            if not batch:
                break
            got += [j.job_id for j in batch]
        taken[name] = got

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    all_ids = [j for ids in taken.values() for j in ids]
    assert len(all_ids) == 60
    assert len(set(all_ids)) == 60


def test_expired_lease_comes_back_then_fails_when_exhausted(sqlite_url: str) -> None:
    sessions = _setup(sqlite_url)
    with sessions() as s:
        (c,) = _doc(s, ["https://example.org/a"])
        job = queue.enqueue_citation(s, c, "https://example.org/a", window=DAY)
        job.max_attempts = 2
        s.commit()
        job_id = job.id
    with sessions() as s:
        assert [j.job_id for j in queue.lease(s, "dead-worker", 5, lease_seconds=-1)] == [job_id]
    with sessions() as s:  # the lease has expired: another worker gets it
        assert [j.job_id for j in queue.lease(s, "w2", 5, lease_seconds=-1)] == [job_id]
    with sessions() as s:  # expired again after its last attempt: failed, not leased
        assert queue.lease(s, "w3", 5) == []
        failed = s.get(CaptureJob, job_id)
        assert failed is not None and failed.state == "failed" and failed.attempts == 2
        assert "stopped before finishing" in (failed.reason or "")


def test_retryable_failure_backs_off(sqlite_url: str) -> None:
    sessions = _setup(sqlite_url)
    with sessions() as s:
        (c,) = _doc(s, ["https://example.org/a"])
        job_id = queue.enqueue_citation(s, c, "https://example.org/a", window=DAY).id
        s.commit()
    with sessions() as s:
        queue.lease(s, "w", 1)
        queue.fail(s, job_id, "connection refused", retryable=True)
        job = s.get(CaptureJob, job_id)
        assert job is not None and job.state == "queued"
        assert job.not_before > utcnow() + timedelta(seconds=20)
        assert queue.lease(s, "w", 1) == []  # not due yet
        queue.fail(s, job_id, "blocked: loopback address", retryable=False)
        s.refresh(job)
        assert job.state == "failed" and job.reason == "blocked: loopback address"


def test_recent_capture_is_reused_unless_forced(database_url: str) -> None:
    sessions = _setup(database_url)
    url = "https://example.org/a"
    with sessions() as s:
        cap = Capture(
            url=url,
            url_normalized=url,
            surt="org,example)/a",
            captured_at=utcnow() - timedelta(hours=2),
            http_status=200,
            job_id=_done_job(s, url),
        )
        s.add(cap)
        c1, c2 = _doc(s, [url, url])
        reused = queue.enqueue_citation(s, c1, url, window=DAY)
        assert reused.state == "done" and f"reused capture {cap.id}" in (reused.reason or "")
        links = s.scalars(select(CitationCapture)).all()
        assert [(li.citation_id, li.capture_id, li.how) for li in links] == [
            (c1.id, cap.id, "reused")
        ]
        forced = queue.enqueue_citation(s, c2, url, window=DAY, force=True)
        assert forced.state == "queued"
        old = queue.enqueue_citation(s, c2, url, window=timedelta(hours=1))
        assert old.state == "queued"  # outside a 1 h window: fetch again


def test_a_hop_of_a_failed_redirect_chain_is_not_reused(database_url: str) -> None:
    """A 302 recorded on the way to a target that failed is no capture of the page:
    no job ended on it (its row has no job), so the page is fetched again."""
    sessions = _setup(database_url)
    url = "https://example.org/moved"
    with sessions() as s:
        hop = Capture(
            url=url,
            url_normalized=url,
            surt="org,example)/moved",
            captured_at=utcnow() - timedelta(minutes=5),
            http_status=302,
            redirect_to="http://127.0.0.1/refused",
        )
        s.add(hop)
        (c,) = _doc(s, [url])
        s.flush()
        assert queue.recent_capture(s, url, DAY) is None
        job = queue.enqueue_citation(s, c, url, window=DAY)
        assert job.state == "queued"
        assert s.scalars(select(CitationCapture)).all() == []


def test_many_citations_are_queued_in_a_few_statements(database_url: str) -> None:
    """A document's citations are queued together: the same answers, not four statements each."""
    sessions = _setup(database_url)
    fresh = [f"https://example.org/f{i}" for i in range(200)]
    twice = [f"https://example.org/t{i}" for i in range(50)]
    seen = [f"https://example.org/s{i}" for i in range(50)]
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        statements.append(statement)

    with sessions() as s:
        engine = s.get_bind()
        recent = {}
        for url in seen:  # an older capture and a newer one: the newer is linked
            for hours in (3, 1):
                recent[url] = Capture(
                    url=url,
                    url_normalized=url,
                    surt=url,
                    captured_at=utcnow() - timedelta(hours=hours),
                    http_status=200,
                    job_id=_done_job(s, url),
                )
                s.add(recent[url])
        cites = _doc(s, fresh + twice + twice + seen)
        earlier = queue.enqueue_citation(s, cites[0], fresh[0], window=DAY)
        wanted = [(c, c.resolved_url or "") for c in cites]
        event.listen(engine, "before_cursor_execute", count)
        try:
            jobs = queue.enqueue_citations(s, wanted, window=DAY)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        s.commit()
        # jobs, pending jobs and recent captures read; queued and reused jobs
        # inserted (two column sets); reuse links checked, then inserted
        assert len(statements) <= 8, [text[:60] for text in statements]
        assert jobs[0].id == earlier.id
        assert [j.state for j in jobs[:250]] == ["queued"] * 250
        assert [j.citation_id for j in jobs[:250]] == [c.id for c in cites[:250]]
        assert [j.id for j in jobs[250:300]] == [j.id for j in jobs[200:250]]  # cited twice
        assert [j.state for j in jobs[300:]] == ["done"] * 50
        for job, url in zip(jobs[300:], seen, strict=True):
            assert f"reused capture {recent[url].id} " in (job.reason or "")
        links = {
            (li.citation_id, li.capture_id, li.how) for li in s.scalars(select(CitationCapture))
        }
        assert links == {
            (c.id, recent[u].id, "reused") for c, u in zip(cites[300:], seen, strict=True)
        }

        again = queue.enqueue_citations(s, wanted, window=DAY)  # nothing new the second time
        s.commit()
        assert [j.id for j in again] == [j.id for j in jobs]
        # 300 for the citations, 100 earlier ones the recent captures were made by
        assert len(s.scalars(select(CaptureJob)).all()) == 400
        assert len(s.scalars(select(CitationCapture)).all()) == 50


def test_one_job_per_url_in_a_document_links_every_citation(sqlite_url: str) -> None:
    sessions = _setup(sqlite_url)
    url = "https://example.org/same"
    with sessions() as s:
        c1, c2 = _doc(s, [url, url])
        j1 = queue.enqueue_citation(s, c1, url, window=DAY)
        j2 = queue.enqueue_citation(s, c2, url, window=DAY)
        assert j1.id == j2.id
        cap = Capture(url=url, url_normalized=url, surt="x", captured_at=utcnow(), http_status=200)
        s.add(cap)
        s.flush()
        # what the commit does with the job's metadata record
        meta = CaptureMetadata(METADATA_PROFILE, j1.id, url, url, final_record_id="r1")
        rows._finish_jobs(s, [meta], {"r1": cap.id}, {"r1"})
        s.commit()
        linked = {li.citation_id for li in s.scalars(select(CitationCapture))}
        assert linked == {c1.id, c2.id}


def test_heartbeat_extends_only_own_lease(sqlite_url: str, tmp_path: Path) -> None:
    sessions = _setup(sqlite_url)
    with sessions() as s:
        (c,) = _doc(s, ["https://example.org/a"])
        job_id = queue.enqueue_citation(s, c, "https://example.org/a", window=DAY).id
        s.commit()
    with sessions() as s:
        queue.lease(s, "w1", 1, lease_seconds=5)
        queue.heartbeat(s, "someone-else", [job_id], 3600)
        job = s.get(CaptureJob, job_id)
        assert job is not None and job.lease_expires_at is not None
        assert job.lease_expires_at < utcnow() + timedelta(seconds=60)
        queue.heartbeat(s, "w1", [job_id], 3600)
        s.refresh(job)
        assert job.lease_expires_at > utcnow() + timedelta(seconds=3000)


def test_live_owner_does_not_re_lease_its_own_uncommitted_jobs(sqlite_url: str) -> None:
    sessions = _setup(sqlite_url)
    with sessions() as s:
        (c,) = _doc(s, ["https://example.org/a"])
        job_id = queue.enqueue_citation(s, c, "https://example.org/a", window=DAY).id
        s.commit()
    with sessions() as s:
        assert [j.job_id for j in queue.lease(s, "w1", 1, lease_seconds=-1)] == [job_id]
        # w1 fetched it but its WARC file is still open: asking again gives nothing
        assert queue.lease(s, "w1", 1) == []
        # w1's heartbeat renews every lease it holds
        queue.heartbeat(s, "w1", None, 3600)
        assert queue.lease(s, "w2", 1) == []


def test_a_dead_crawlers_leases_come_back_charged_only_if_in_flight(database_url: str) -> None:
    sessions = _setup(database_url)
    with sessions() as s:
        cites = _doc(s, [f"https://example.org/r{i}" for i in range(4)])
        jobs = queue.enqueue_citations(s, [(c, c.resolved_url or "") for c in cites], window=DAY)
        s.commit()
        ids = [j.id for j in jobs]
        last = s.get(CaptureJob, ids[3])
        assert last is not None
        last.attempts = last.max_attempts - 1  # its last attempt is the one leased below
        s.commit()
        assert [j.job_id for j in queue.lease(s, "host:1", 10)] == ids
        refunded, charged = queue.release(s, "host:1", {ids[0], ids[3]}, "killed by signal 9")
        assert (refunded, charged) == (ids[1:3], [ids[0], ids[3]])
        s.expire_all()
        got = {j.id: j for j in s.scalars(select(CaptureJob))}
        # waiting in the batch: no attempt spent, due at once
        for job_id in ids[1:3]:
            assert (got[job_id].state, got[job_id].attempts) == ("queued", 0)
            assert got[job_id].not_before <= utcnow() and got[job_id].lease_owner is None
        # in flight: an attempt spent and the usual back-off
        assert (got[ids[0]].state, got[ids[0]].attempts) == ("queued", 1)
        assert got[ids[0]].not_before > utcnow()
        assert "killed by signal 9" in (got[ids[0]].reason or "")
        assert got[ids[3]].state == "failed"
        assert "on each of its 3 attempts" in (got[ids[3]].reason or "")
        assert [j.job_id for j in queue.lease(s, "host:2", 10)] == ids[1:3]
