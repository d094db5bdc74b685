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
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, insert, or_, select, update
from sqlalchemy.orm import Session

from archive import metrics
from archive.capture.contract import JobSpec
from archive.capture.rows import chunks, link
from archive.db.base import utcnow
from archive.db.models import Capture, CaptureJob, Citation, Document
from archive.db.models.captures import JobState
from archive.extract.urls import normalize_url

DEFAULT_LEASE_SECONDS = 600
BACKOFF_BASE_SECONDS = 30


def _key(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:64]


def recent_capture(session: Session, url_normalized: str, window: timedelta) -> Capture | None:
    """The newest capture of this URL within the window that a job finished on, if any.

    Only a job's final answer counts (a capture row gets its ``job_id`` only
    then): a redirect hop, a requisite, or the hop left by a chain that failed
    further on is no capture of the page.
    """
    return _recent_captures(session, [url_normalized], window)[0].get(url_normalized)


def _recent_captures(
    session: Session, urls: Iterable[str], window: timedelta
) -> tuple[dict[str, Capture], dict[str, Capture]]:
    """The newest final answers, and the newest requisites, of these URLs within the window.

    A requisite is an answer too (an image or a stylesheet another cited page
    pulled in), when it is not a redirect hop: a document citing that image
    gets the capture linked rather than fetching it again.  Only where it is
    newer than any final answer of the URL is it kept.
    """
    since = utcnow() - window
    newest: dict[str, Capture] = {}
    requisites: dict[str, Capture] = {}
    final = and_(Capture.is_requisite.is_(False), Capture.job_id.is_not(None))
    requisite = and_(Capture.is_requisite.is_(True), Capture.redirect_to.is_(None))
    for chunk in chunks(sorted(set(urls))):
        found = session.scalars(
            select(Capture)
            .where(
                Capture.url_normalized.in_(chunk),
                Capture.captured_at >= since,
                Capture.http_status.is_not(None),
                or_(final, requisite),
            )
            .order_by(Capture.captured_at.desc(), Capture.id.desc())
        )
        for capture in found:
            url = capture.url_normalized
            if capture.is_requisite:
                if url not in newest:
                    requisites.setdefault(url, capture)
            else:
                newest.setdefault(url, capture)
    return newest, requisites


def _public_documents(session: Session, doc_ids: Iterable[str | None]) -> set[str]:
    wanted = sorted({d for d in doc_ids if d is not None})
    public: set[str] = set()
    for chunk in chunks(wanted):
        public.update(
            session.scalars(
                select(Document.id).where(Document.id.in_(chunk), Document.is_private.is_(False))
            )
        )
    return public


def _pending_jobs(
    session: Session, wanted: Iterable[tuple[str | None, str]]
) -> dict[tuple[str | None, str], CaptureJob]:
    by_document: dict[str | None, set[str]] = {}
    for doc_id, url in wanted:
        by_document.setdefault(doc_id, set()).add(url)
    pending: dict[tuple[str | None, str], CaptureJob] = {}
    for doc_id, urls in by_document.items():
        for chunk in chunks(sorted(urls)):
            for job in session.scalars(
                select(CaptureJob)
                .where(
                    CaptureJob.document_id == doc_id,
                    CaptureJob.url_normalized.in_(chunk),
                    CaptureJob.state.in_([JobState.QUEUED, JobState.LEASED]),
                )
                .order_by(CaptureJob.id)
            ):
                pending.setdefault((doc_id, job.url_normalized), job)
    return pending


def enqueue_citation(
    session: Session, citation: Citation, url: str, *, window: timedelta, force: bool = False
) -> CaptureJob:
    """Queue the capture of a citation's URL, or link a recent capture instead."""
    return enqueue_citations(session, [(citation, url)], window=window, force=force)[0]


def enqueue_citations(
    session: Session,
    wanted: Sequence[tuple[Citation, str]],
    *,
    window: timedelta,
    force: bool = False,
    tick: tuple[int, datetime] | None = None,
    token: str | None = None,
    schedule_id: int | None = None,
) -> list[CaptureJob]:
    """Queue the captures of many citations: one job (or reuse) per citation, in order.

    A document with thousands of citations is queued with a few statements per
    two thousand citations, not three queries and an insert for each one.  A
    job already queued under the same key is returned as it is; without
    ``force``, the same URL cited twice in one document is fetched once (the
    capture is linked to every pending citation of it when the job completes),
    and a recent capture of the URL (a page's final answer, or for a public
    document also another page's requisite) is linked instead of fetching again.

    ``tick`` (schedule id, tick time) marks the jobs of a schedule's tick:
    their keys name the tick instead of a random token, so planning the same
    tick twice (two schedulers, a retry) finds the jobs already there.
    ``token`` does the same for another one-off reason (a health change that
    asks for a fresh capture), and ``schedule_id`` names the schedule behind it.
    """
    if tick is not None:
        token, schedule_id = _tick_token(*tick), tick[0]
    items = [(c, url, normalize_url(url)) for c, url in wanted]
    keys = [
        _key("citation", c.id, n, token if token else uuid.uuid4() if force else "")
        for c, _, n in items
    ]
    jobs: dict[str, CaptureJob] = {}
    for chunk in chunks(sorted(set(keys))):
        for found in session.scalars(select(CaptureJob).where(CaptureJob.job_key.in_(chunk))):
            jobs[found.job_key] = found
    pending: dict[tuple[str | None, str], CaptureJob] = {}
    recent: dict[str, Capture] = {}
    requisites: dict[str, Capture] = {}
    public: set[str] = set()
    if not force:
        pending = _pending_jobs(session, ((c.document_id, n) for c, _, n in items))
        recent, requisites = _recent_captures(session, (n for _, _, n in items), window)
        if requisites:
            # Linking a requisite to a private document's citation would make it
            # private (migration 0004), and hide it from the public page that
            # pulled it in: only public documents reuse requisites.
            public = _public_documents(
                session, (c.document_id for c, _, n in items if n in requisites)
            )
    new: dict[str, dict[str, object]] = {}
    claimed: dict[tuple[str | None, str], str] = {}  # a URL's new job, by its key
    reused: dict[tuple[int, int], None] = {}
    now = utcnow()
    for (citation, url, normalized), key in zip(items, keys, strict=True):
        where = (citation.document_id, normalized)
        if key in jobs or key in new or where in pending or where in claimed:
            continue
        row: dict[str, object] = {
            "job_key": key,
            "url": url,
            "url_normalized": normalized,
            "document_id": citation.document_id,
            "citation_id": citation.id,
            "force": force,
            "state": JobState.QUEUED,
            "reason": None,
            "not_before": now,
            "schedule_id": schedule_id,
        }
        reuse = recent.get(normalized)
        if reuse is None and citation.document_id in public:
            reuse = requisites.get(normalized)
        if reuse is not None:
            row["state"] = JobState.DONE
            what = " (a requisite of another cited page)" if reuse.is_requisite else ""
            row["reason"] = f"reused capture {reuse.id} from {reuse.captured_at.isoformat()}{what}"
            reused[(citation.id, reuse.id)] = None
        elif not force:
            claimed[where] = key
        new[key] = row
    # RETURNING the rows as objects is what lets SQLAlchemy send each batch as
    # one multi-row INSERT on SQLite too, where a flush inserts row by row.
    for batch in chunks(list(new.values())):
        for job in session.scalars(insert(CaptureJob).returning(CaptureJob), list(batch)):
            jobs[job.job_key] = job
    link(session, reused, how="reused")
    out: list[CaptureJob] = []
    for (citation, _, normalized), key in zip(items, keys, strict=True):
        where = (citation.document_id, normalized)
        job = jobs.get(key) or pending.get(where) or jobs[claimed[where]]
        out.append(job)
    return out


def _tick_token(schedule_id: int, tick_at: datetime) -> str:
    return f"tick:{schedule_id}:{tick_at.isoformat()}"


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
