"""Why a citation is still pending, read from its open capture job.

A bare "pending" left researchers guessing whether nothing runs the queue,
a crawl is under way, or the source keeps failing.  A job that citevault's
fetch policy refused ends failed at once, yet the citation is not lost: it
waits for an operator's decision, so it is "pending · blocked by policy",
naming the setting.  The answer depends only on the job row (never on the
clock), so a cached citations body stays right until the row changes, and
that change names its document (migration 0007).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, String, bindparam, select

from archive.capture.failures import blocking_policy
from archive.db.models import CaptureJob
from archive.db.models.captures import JobState

_JOB = CaptureJob.__table__.c

_OPEN = (JobState.QUEUED, JobState.LEASED)
_JOBS = (
    select(
        _JOB.id,
        _JOB.citation_id,
        _JOB.url,
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
        _JOB.state.in_([*_OPEN, JobState.FAILED]),
    )
    .order_by(_JOB.id)
)


def _stamp(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


Jobs = tuple[dict[int, Any], dict[str, Any], dict[int, Any], dict[str, Any]]


def document_jobs(conn: Connection, doc_id: str) -> Jobs:
    """A document's open jobs (the first per citation and per normalized URL), and its
    failed ones (the newest per citation and URL).

    The same URL cited twice in a document is fetched by one job, recorded
    against the first citation; the others wait on it, hence the URL maps.
    """
    by_citation: dict[int, Any] = {}
    by_url: dict[str, Any] = {}
    failed_citation: dict[int, Any] = {}
    failed_url: dict[str, Any] = {}
    for job in conn.execute(_JOBS, {"doc_id": doc_id}):
        if job.state in _OPEN:
            if job.citation_id is not None:
                by_citation.setdefault(job.citation_id, job)
            by_url.setdefault(job.url_normalized, job)
        else:
            if job.citation_id is not None:
                failed_citation[job.citation_id] = job
            failed_url[job.url_normalized] = job
    return by_citation, by_url, failed_citation, failed_url


def job_for(c: Any, jobs: Jobs) -> Any | None:
    """The citation's open job, else its newest failed one, else None."""
    by_citation, by_url, failed_citation, failed_url = jobs
    found = by_citation.get(c.id)
    if found is None and c.url_normalized:
        found = by_url.get(c.url_normalized)
    if found is None:
        found = failed_citation.get(c.id)
    if found is None and c.url_normalized:
        found = failed_url.get(c.url_normalized)
    return found


def pending_json(job: Any | None, source: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The ``pending`` entry: its state and a sentence saying why.

    States: ``waiting``, ``capturing``, ``retrying`` and ``blocked``: the job
    failed because the fetch policy refused the URL (``policy`` names the
    setting), and the citation has no answer captured (``source`` as
    ``source_json`` gives it).  None when no job is open and none was refused.
    """
    if job is None:
        return None
    next_try = None
    policy = None
    if job.state == JobState.FAILED:
        policy = blocking_policy(job.reason)
        if policy is None or (source is not None and source["http_status"] is not None):
            return None
        state, reason = "blocked", f"blocked by policy ({policy})"
    elif job.state == JobState.LEASED:
        state, reason = "capturing", "being captured"
    elif job.state != JobState.QUEUED:
        return None
    elif job.attempts > 0 and job.reason:
        state = "retrying"
        next_try = _stamp(job.not_before)
        reason = f"retrying at {next_try} after: {job.reason}"
    else:
        state, reason = "waiting", "waiting for a worker"
    return {
        "state": state,
        "reason": reason,
        "policy": policy,
        "job_id": job.id,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "next_try": next_try,
        "last_error": job.reason,
    }
