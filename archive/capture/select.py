"""What the capture commands ask of the queue: which citations and URLs to capture, and how it went.

The commands parse their arguments, call these and render; the choices
(which citations a forced re-capture takes, when a recent capture answers
instead of a new job) are made here once.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.capture import queue
from archive.db.models import Capture, CaptureJob, Citation, Document
from archive.db.models.documents import Resolution
from archive.errors import NotFoundError


def requeue_document(session: Session, doc_id: str, *, window: timedelta, force: bool) -> None:
    """Check the document exists; with ``force``, queue every resolved citation of it again."""
    if session.get(Document, doc_id) is None:
        raise NotFoundError(
            f"no document with id {doc_id!r}",
            hint="`citevault documents` lists the ids; `citevault add` adds a document",
        )
    if not force:
        return
    cites = session.scalars(
        select(Citation).where(
            Citation.document_id == doc_id, Citation.resolution == Resolution.RESOLVED
        )
    ).all()
    wanted = [(c, c.resolved_url) for c in cites if c.resolved_url]
    queue.enqueue_citations(session, wanted, window=window, force=True)


def enqueue_urls(
    session: Session, urls: list[str], *, window: timedelta, force: bool
) -> tuple[list[int], dict[str, Capture]]:
    """New jobs' ids, and the URLs that (without ``force``) a capture within ``window`` answers."""
    job_ids: list[int] = []
    reused: dict[str, Capture] = {}
    for url in urls:
        recent = None if force else queue.recent_capture(session, url, window)
        if recent is not None:
            reused[url] = recent
        else:
            job_ids.append(queue.enqueue_url(session, url, force=force).id)
    return job_ids, reused


def job_results(session: Session, job_ids: list[int]) -> list[tuple[CaptureJob, Capture | None]]:
    """Each job, with the capture it ended on (None while it has none)."""
    results = []
    for job_id in job_ids:
        got = session.scalars(select(Capture).where(Capture.job_id == job_id)).first()
        results.append((session.get_one(CaptureJob, job_id), got))
    return results


def outcome(
    session: Session, *, document_id: str | None = None, job_ids: list[int] | None = None
) -> dict[str, int]:
    """How a capture run ended: jobs by state, counting each URL of a document once.

    A document's URL gains a job each time it is captured again (``--force``,
    a retry after a failure): only its newest job says whether it is captured
    now, so an old failure does not outlive the capture that replaced it.
    """
    newest = select(func.max(CaptureJob.id))
    if document_id is not None:
        newest = newest.where(CaptureJob.document_id == document_id).group_by(
            CaptureJob.url_normalized
        )
    if job_ids is not None:
        newest = newest.where(CaptureJob.id.in_(job_ids)).group_by(CaptureJob.id)
    query = (
        select(CaptureJob.state, func.count())
        .where(CaptureJob.id.in_(newest.scalar_subquery()))
        .group_by(CaptureJob.state)
    )
    return {str(state): int(n) for state, n in session.execute(query).all()}


def recent_jobs(
    session: Session, *, document_id: str | None, state: str | None, limit: int
) -> list[CaptureJob]:
    """The most recently changed jobs first (ties: the newest job first), of one
    document or state if given: what a worker did last is what one asks about."""
    query = (
        select(CaptureJob).order_by(CaptureJob.updated_at.desc(), CaptureJob.id.desc()).limit(limit)
    )
    if document_id:
        query = query.where(CaptureJob.document_id == document_id)
    if state:
        query = query.where(CaptureJob.state == state)
    return list(session.scalars(query).all())
