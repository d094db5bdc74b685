"""Check jobs planned for a tick: which citations, with which keys, on both backends.

PostgreSQL computes the job keys in SQL; they must be the keys
``archive.health.plan.job_key`` gives, or a tick planned once by one path and
again by the other would queue its checks twice.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from archive.clock import ManualClock
from archive.db import migrate
from archive.db.models import CheckJob
from archive.health.plan import job_key, plan_checks
from archive.runtime import Runtime
from tests.factories import cite

AT = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


def test_each_resolved_citation_gets_one_job_under_its_key(
    database_url: str, make_settings
) -> None:  # type: ignore[no-untyped-def]
    migrate.upgrade(database_url)
    rt = Runtime(make_settings(database_url=database_url))
    tick = "schedule:7:2026-03-01T12:30:00+00:00 – é"  # non-ASCII: the key hashes UTF-8
    with rt.sessions()() as s, s.begin():
        a = cite(s, "a", ["https://example.org/1", None, "https://example.org/2"])
        b = cite(s, "b", ["https://example.net/x"], private=True)
        unresolved = a[1]
    with rt.sessions()() as s:
        created = plan_checks(
            s, document_id=None, tick_key=tick, schedule_id=None, clock=ManualClock(AT)
        )
        again = plan_checks(
            s, document_id=None, tick_key=tick, schedule_id=None, clock=ManualClock(AT)
        )
        only_b = plan_checks(
            s, document_id="b", tick_key="other", schedule_id=None, clock=ManualClock(AT)
        )
        s.commit()
        jobs = s.scalars(select(CheckJob).order_by(CheckJob.id)).all()
    rt.close()
    assert (created, again, only_b) == (3, 0, 1)
    expected = {job_key(tick, c.id): c for c in (a[0], a[2], b[0])}
    expected[job_key("other", b[0].id)] = b[0]
    assert len(jobs) == 4
    assert {j.job_key for j in jobs} == set(expected)
    assert unresolved.id not in {j.citation_id for j in jobs}
    for job in jobs:
        citation = expected[job.job_key]
        assert job.citation_id == citation.id
        assert (job.document_id, job.url) == (citation.document_id, citation.resolved_url)
        assert job.state == "queued" and job.attempts == 0 and job.schedule_id is None
        assert job.not_before == AT and job.created_at == AT
