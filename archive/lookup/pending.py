"""Why a citation is still pending, read from its open capture job.

A bare "pending" left researchers guessing whether nothing runs the queue,
a crawl is under way, or the source keeps failing.  The answer depends only
on the job row (never on the clock), so a cached citations body stays right
until the row changes, and that change names its document (migration 0007).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, String, bindparam, select

from archive.db.models import CaptureJob
from archive.db.models.captures import JobState

_JOB = CaptureJob.__table__.c

_OPEN_JOBS = (
    select(
        _JOB.id,
        _JOB.citation_id,
        _JOB.url_normalized,
        _JOB.state,
        _JOB.attempts,
        _JOB.max_attempts,
        _JOB.not_before,
        _JOB.reason,
        _JOB.lease_expires_at,
    )
    .where(
        _JOB.document_id == bindparam("doc_id", type_=String),
        _JOB.state.in_([JobState.QUEUED, JobState.LEASED]),
    )
    .order_by(_JOB.id)
)


def _stamp(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def open_jobs(conn: Connection, doc_id: str) -> tuple[dict[int, Any], dict[str, Any]]:
    """A document's queued and leased jobs, by citation id and by normalized URL.

    The same URL cited twice in a document is fetched by one job, recorded
    against the first citation; the others wait on it, hence the URL map.
    """
    by_citation: dict[int, Any] = {}
    by_url: dict[str, Any] = {}
    for job in conn.execute(_OPEN_JOBS, {"doc_id": doc_id}):
        if job.citation_id is not None:
            by_citation.setdefault(job.citation_id, job)
        by_url.setdefault(job.url_normalized, job)
    return by_citation, by_url


def job_for(c: Any, jobs: tuple[dict[int, Any], dict[str, Any]]) -> Any | None:
    by_citation, by_url = jobs
    found = by_citation.get(c.id)
    if found is None and c.url_normalized:
        found = by_url.get(c.url_normalized)
    return found


def pending_json(job: Any | None) -> dict[str, Any] | None:
    """The ``pending`` entry: ``waiting``, ``capturing`` or ``retrying``, with a sentence.

    None when no job is open for the citation.
    """
    if job is None or job.state not in (JobState.QUEUED, JobState.LEASED):
        return None
    next_try = None
    if job.state == JobState.LEASED:
        state, reason = "capturing", "being captured"
    elif job.attempts > 0 and job.reason:
        state = "retrying"
        next_try = _stamp(job.not_before)
        reason = f"retrying at {next_try} after: {job.reason}"
    else:
        state, reason = "waiting", "waiting for a worker"
    return {
        "state": state,
        "reason": reason,
        "job_id": job.id,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "next_try": next_try,
        "last_error": job.reason,
    }
