"""The database is the capture queue.

Workers lease jobs with an expiry: on PostgreSQL the candidate rows are picked
with ``FOR UPDATE SKIP LOCKED`` so concurrent workers never take the same job;
SQLite serialises writers, so the same single UPDATE statement is atomic
there.  A worker that dies simply stops renewing its lease; once it expires the
job is due again, until it has used up its attempts.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from archive.capture.contract import JobSpec
from archive.db.base import utcnow
from archive.db.models import Capture, CaptureJob, Citation, CitationCapture
from archive.db.models.captures import JobState
from archive.extract.urls import normalize_url

DEFAULT_LEASE_SECONDS = 600
BACKOFF_BASE_SECONDS = 30


def _key(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:64]


def recent_capture(session: Session, url_normalized: str, window: timedelta) -> Capture | None:
    """The newest successful capture of this URL within the window, if any."""
    since = utcnow() - window
    return session.scalars(
        select(Capture)
        .where(
            Capture.url_normalized == url_normalized,
            Capture.captured_at >= since,
            Capture.http_status.is_not(None),
            Capture.is_requisite.is_(False),
        )
        .order_by(Capture.captured_at.desc())
        .limit(1)
    ).first()


def enqueue_citation(
    session: Session, citation: Citation, url: str, *, window: timedelta, force: bool = False
) -> CaptureJob:
    """Queue the capture of a citation's URL, or link a recent capture instead."""
    normalized = normalize_url(url)
    key = _key("citation", citation.id, normalized, uuid.uuid4() if force else "")
    existing = session.scalars(select(CaptureJob).where(CaptureJob.job_key == key)).first()
    if existing is not None:
        return existing
    if not force:
        # The same URL cited twice in one document is fetched once; the capture
        # is linked to every pending citation of it when the job completes.
        pending = session.scalars(
            select(CaptureJob).where(
                CaptureJob.document_id == citation.document_id,
                CaptureJob.url_normalized == normalized,
                CaptureJob.state.in_([JobState.QUEUED, JobState.LEASED]),
            )
        ).first()
        if pending is not None:
            return pending
    job = CaptureJob(
        job_key=key,
        url=url,
        url_normalized=normalized,
        document_id=citation.document_id,
        citation_id=citation.id,
        force=force,
    )
    if not force:
        reuse = recent_capture(session, normalized, window)
        if reuse is not None:
            job.state = JobState.DONE
            job.reason = f"reused capture {reuse.id} from {reuse.captured_at.isoformat()}"
            session.add(CitationCapture(citation_id=citation.id, capture_id=reuse.id, how="reused"))
    session.add(job)
    session.flush()
    return job


def enqueue_url(session: Session, url: str, *, force: bool = False) -> CaptureJob:
    """An ad hoc capture request, not tied to a document: always its own job."""
    normalized = normalize_url(url)
    job = CaptureJob(
        job_key=_key("adhoc", uuid.uuid4()), url=url, url_normalized=normalized, force=force
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
    pick = select(CaptureJob.id).where(_due(now, owner))  # type: ignore[arg-type]
    if document_id is not None:
        pick = pick.where(CaptureJob.document_id == document_id)
    if job_ids is not None:
        pick = pick.where(CaptureJob.id.in_(job_ids))
    pick = pick.order_by(CaptureJob.priority.desc(), CaptureJob.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    rows = session.execute(
        update(CaptureJob)
        .where(CaptureJob.id.in_(pick.scalar_subquery()))
        .values(
            state=JobState.LEASED,
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            attempts=CaptureJob.attempts + 1,
            updated_at=now,
        )
        .returning(
            CaptureJob.id,
            CaptureJob.url,
            CaptureJob.document_id,
            CaptureJob.citation_id,
            CaptureJob.force,
        )
    ).all()
    session.commit()
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
    session.execute(
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


def complete(session: Session, job_id: int, capture_id: int) -> None:
    """Close a job whose capture is committed (called inside the commit transaction)."""
    job = session.get(CaptureJob, job_id)
    if job is None:
        return
    job.state = JobState.DONE
    job.reason = None
    job.lease_owner = None
    job.lease_expires_at = None
    job.updated_at = utcnow()
    for citation_id in _citations_to_link(session, job):
        if session.get(CitationCapture, (citation_id, capture_id)) is None:
            session.add(CitationCapture(citation_id=citation_id, capture_id=capture_id))


def _citations_to_link(session: Session, job: CaptureJob) -> list[int]:
    """The job's citation, plus other not-yet-captured citations of the same URL in its document."""
    ids = [job.citation_id] if job.citation_id is not None else []
    if job.document_id is None:
        return ids
    linked = select(CitationCapture.citation_id)
    others = session.scalars(
        select(Citation.id).where(
            Citation.document_id == job.document_id,
            Citation.url_normalized == job.url_normalized,
            Citation.id.not_in(linked),
        )
    ).all()
    return ids + [c for c in others if c not in ids]


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
