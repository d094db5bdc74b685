"""What the capture commands ask of the queue: which citations and URLs to capture, and how it went.

The commands parse their arguments, call these and render; the choices
(which citations a forced re-capture takes, when a recent capture answers
instead of a new job) are made here once.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.capture import queue
from archive.db.models import Capture, CaptureJob, Citation, Document
from archive.db.models.documents import Resolution
from archive.errors import NotFoundError


def requeue_document(session: Session, doc_id: str, *, window: timedelta, force: bool) -> None:
    """Check the document exists; with ``force``, queue every resolved citation of it again."""
    if session.get(Document, doc_id) is None:
        raise NotFoundError(f"no document with id {doc_id!r}")
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


def recent_jobs(
    session: Session, *, document_id: str | None, state: str | None, limit: int
) -> list[CaptureJob]:
    """The most recently changed jobs, of one document or state if given."""
    query = select(CaptureJob).order_by(CaptureJob.updated_at.desc()).limit(limit)
    if document_id:
        query = query.where(CaptureJob.document_id == document_id)
    if state:
        query = query.where(CaptureJob.state == state)
    return list(session.scalars(query).all())
