"""The database is the capture queue.

Workers lease jobs with an expiry: on PostgreSQL the candidate rows are picked
with ``FOR UPDATE SKIP LOCKED`` so concurrent workers never take the same job;
SQLite serialises writers, so the same single UPDATE statement is atomic
there.  A worker that dies simply stops renewing its lease; once it expires the
job is due again, until it has used up its attempts.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, or_, select, update
from sqlalchemy.orm import Session

from archive import metrics
from archive.capture.contract import JobSpec
from archive.capture.enqueue import (
    enqueue_citation,
    enqueue_citations,
    job_key,
    queue_citations,
    recent_capture,
)
from archive.db.base import utcnow
from archive.db.models import CaptureJob
from archive.db.models.captures import JobState
from archive.extract.urlforms import normalize_url

# Queueing citations lives in archive.capture.enqueue; named here too, since
# the queue is where callers look for it.
__all__ = [
    "enqueue_citation",
    "enqueue_citations",
    "enqueue_url",
    "queue_citations",
    "recent_capture",
]

DEFAULT_LEASE_SECONDS = 600
BACKOFF_BASE_SECONDS = 30


def enqueue_url(session: Session, url: str, *, force: bool = False) -> CaptureJob:
    """An ad hoc capture request, not tied to a document: always its own job."""
    normalized = normalize_url(url)
    job = CaptureJob(
        job_key=job_key("adhoc", uuid.uuid4()), url=url, url_normalized=normalized, force=force
    )
    session.add(job)
    session.flush()
    return job


def _due(now: datetime, owner: str | None = None) -> object:
    expired = and_(CaptureJob.state == JobState.LEASED, CaptureJob.lease_expires_at < now)
    if owner is not None:
        # An owner asking for work is alive: its own expired leases are jobs it
        # fetched and has not committed yet, not jobs of a dead worker.
        expired = and_(expired, CaptureJob.lease_owner != owner)
    return or_(and_(CaptureJob.state == JobState.QUEUED, CaptureJob.not_before <= now), expired)


def lease(
    session: Session,
    owner: str,
    limit: int,
    *,
    lease_seconds: int = DEFAULT_LEASE_SECONDS,
    document_id: str | None = None,
    job_ids: list[int] | None = None,
    expire: bool = True,
) -> list[JobSpec]:
    """Lease up to ``limit`` due jobs to ``owner``; commits.

    ``expire=False`` skips failing exhausted leases first: a worker leasing
    often does that sweep now and then, not on every call.
    """
    now = utcnow()
    if expire:
        _expire_exhausted(session, now)
    pick = select(CaptureJob.id, CaptureJob.state).where(_due(now, owner))  # type: ignore[arg-type]
    if document_id is not None:
        pick = pick.where(CaptureJob.document_id == document_id)
    if job_ids is not None:
        pick = pick.where(CaptureJob.id.in_(job_ids))
    pick = pick.order_by(CaptureJob.priority.desc(), CaptureJob.id).limit(limit)
    claim = update(CaptureJob).values(
        state=JobState.LEASED,
        lease_owner=owner,
        lease_expires_at=now + timedelta(seconds=lease_seconds),
        attempts=CaptureJob.attempts + 1,
        updated_at=now,
    )
    columns = (
        CaptureJob.id,
        CaptureJob.url,
        CaptureJob.document_id,
        CaptureJob.citation_id,
        CaptureJob.force,
    )
    # A job that was still leased is one whose lease ran out: counted, so the
    # state each job had before this update is needed.
    if session.get_bind().dialect.name == "postgresql":
        # One statement: RETURNING may name the pick's columns (UPDATE ... FROM).
        picked = pick.with_for_update(skip_locked=True).cte("picked")
        rows = session.execute(
            claim.where(CaptureJob.id == picked.c.id).returning(
                *columns, picked.c.state.label("previous_state")
            )
        ).all()
        expired = sum(1 for r in rows if r.previous_state == JobState.LEASED)
    else:
        # SQLite's RETURNING sees only the updated table: the states are read
        # first, and the update checks again that each job is still due, since
        # another process may have leased it in between (pysqlite begins the
        # write transaction at the update, so the read holds no snapshot).
        before = {int(i): str(state) for i, state in session.execute(pick).all()}
        rows = session.execute(
            claim.where(CaptureJob.id.in_(list(before)), _due(now, owner)).returning(*columns)  # type: ignore[arg-type]
        ).all()
        expired = sum(1 for r in rows if before.get(r.id) == JobState.LEASED)
    session.commit()
    metrics.lease_expiries(expired)
    return [
        JobSpec(
            job_id=r.id,
            url=r.url,
            document_id=r.document_id,
            citation_ids=(r.citation_id,) if r.citation_id is not None else (),
            force=r.force,
        )
        for r in sorted(rows, key=lambda r: r.id)
    ]


def _expire_exhausted(session: Session, now: datetime) -> None:
    """Jobs whose lease ran out after their last attempt are failed, not retried forever."""
    done = session.execute(
        update(CaptureJob)
        .where(
            CaptureJob.state == JobState.LEASED,
            CaptureJob.lease_expires_at < now,
            CaptureJob.attempts >= CaptureJob.max_attempts,
        )
        .values(
            state=JobState.FAILED,
            reason="the worker holding this job stopped before finishing, on every attempt",
            lease_owner=None,
            updated_at=now,
        )
    )
    expired = int(getattr(done, "rowcount", 0) or 0)
    metrics.lease_expiries(expired)
    metrics.capture_outcome(metrics.FAILED, expired)


def heartbeat(session: Session, owner: str, job_ids: list[int] | None, lease_seconds: int) -> None:
    """Extend ``owner``'s leases: of ``job_ids``, or of every job it holds when None.

    A crawl holds jobs it has fetched but not yet committed (their WARC file is
    still open), so the worker renews all its leases, not only those in flight.
    """
    now = utcnow()
    query = update(CaptureJob).where(
        CaptureJob.lease_owner == owner, CaptureJob.state == JobState.LEASED
    )
    if job_ids is not None:
        query = query.where(CaptureJob.id.in_(job_ids))
    session.execute(
        query.values(lease_expires_at=now + timedelta(seconds=lease_seconds), updated_at=now)
    )
    session.commit()


def fail(session: Session, job_id: int, reason: str, *, retryable: bool) -> None:
    """Record a failed attempt; retry later with back-off if allowed."""
    job = session.get(CaptureJob, job_id, with_for_update=True)
    if job is None or job.state in (JobState.DONE, JobState.CANCELLED):
        return
    now = utcnow()
    job.reason = reason
    job.lease_owner = None
    job.lease_expires_at = None
    job.updated_at = now
    if retryable and job.attempts < job.max_attempts:
        job.state = JobState.QUEUED
        job.not_before = now + timedelta(seconds=BACKOFF_BASE_SECONDS * 2 ** (job.attempts - 1))
    else:
        job.state = JobState.FAILED
    session.commit()
    metrics.capture_outcome(metrics.RETRYING if job.state == JobState.QUEUED else metrics.FAILED)


def release(
    session: Session, owner: str, started: set[int], why: str
) -> tuple[list[int], list[int]]:
    """Give back the leases of ``owner``, whose crawler died; commits.

    Leasing charged every job of the batch an attempt.  Only the jobs whose
    fetch had started (``started``) keep that charge, as a retryable failure
    with the usual back-off (a page that kills its crawler each time ends
    failed after its attempts); the others were only waiting in the batch:
    they are refunded and due at once.  Returns (refunded, charged) job ids.
    """
    jobs = session.scalars(
        select(CaptureJob)
        .where(CaptureJob.lease_owner == owner, CaptureJob.state == JobState.LEASED)
        .order_by(CaptureJob.id)
        .with_for_update()
    ).all()
    now = utcnow()
    refunded: list[int] = []
    charged: list[int] = []
    for job in jobs:
        job.lease_owner = None
        job.lease_expires_at = None
        job.updated_at = now
        if job.id in started:
            charged.append(job.id)
            job.reason = f"the crawler stopped ({why}) while fetching it"
            if job.attempts < job.max_attempts:
                job.state = JobState.QUEUED
                job.not_before = now + timedelta(
                    seconds=BACKOFF_BASE_SECONDS * 2 ** (job.attempts - 1)
                )
            else:
                job.state = JobState.FAILED
                job.reason += f", on each of its {job.attempts} attempts"
        else:
            refunded.append(job.id)
            job.attempts = max(0, job.attempts - 1)
            job.state = JobState.QUEUED
            job.not_before = now
    session.commit()
    failed = sum(1 for job in jobs if job.state == JobState.FAILED)
    metrics.capture_outcome(metrics.FAILED, failed)
    metrics.capture_outcome(metrics.RETRYING, len(charged) - failed)
    return refunded, charged


def leased_owners(session: Session) -> list[str]:
    """Owners holding leases now (to find those whose process is gone)."""
    query = select(CaptureJob.lease_owner).where(CaptureJob.state == JobState.LEASED).distinct()
    return sorted(str(owner) for owner in session.scalars(query) if owner)


def counts(
    session: Session, *, document_id: str | None = None, job_ids: list[int] | None = None
) -> dict[str, int]:
    """Jobs by state, optionally for one document or a set of jobs."""
    from sqlalchemy import func

    query = select(CaptureJob.state, func.count()).group_by(CaptureJob.state)
    if document_id is not None:
        query = query.where(CaptureJob.document_id == document_id)
    if job_ids is not None:
        query = query.where(CaptureJob.id.in_(job_ids))
    return {state: int(n) for state, n in session.execute(query).all()}


def due_count(session: Session) -> int:
    from sqlalchemy import func

    now = utcnow()
    return int(session.scalar(select(func.count()).select_from(CaptureJob).where(_due(now))) or 0)  # type: ignore[arg-type]


def due_summary(conn: Session | Connection) -> tuple[int, float]:
    """Jobs due now, and for how many seconds the longest-waiting of them has been due.

    A queued job is due from its ``not_before``, a job whose lease ran out from
    its lease's end.  One query, for a metrics scrape.
    """
    from sqlalchemy import case, func

    now = utcnow()
    since = case(
        (CaptureJob.state == JobState.QUEUED, CaptureJob.not_before),
        else_=CaptureJob.lease_expires_at,
    )
    count, oldest = conn.execute(
        select(func.count(), func.min(since)).select_from(CaptureJob).where(_due(now))  # type: ignore[arg-type]
    ).one()
    if not count or oldest is None:
        return 0, 0.0
    if oldest.tzinfo is None:  # SQLite hands datetimes back naive (stored as UTC)
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return int(count), max(0.0, (now - oldest).total_seconds())
