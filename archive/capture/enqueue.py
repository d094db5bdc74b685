"""Queueing the captures of citations: one job (or a reuse) per citation.

A schedule's tick queues every resolved citation of every document: a
million of them must be planned in seconds.  So the work goes by chunks of a
few thousand citations, a handful of statements each (the keys already
there, the pending jobs and recent captures of those URLs, one multi-row
INSERT), with plain rows rather than ORM objects; the citations of a chunk
are met once, in one pass.  Every caller (an ingest, a capture command, a
recapture or refetch tick, a seed run) goes through ``queue_citations``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Result, and_, insert, or_, select
from sqlalchemy.orm import Session

from archive.capture.rows import chunks, link
from archive.db.base import utcnow
from archive.db.models import Capture, CaptureJob, Citation, Document
from archive.db.models.captures import JobState
from archive.extract.urlforms import normalize_url


class Wanted(NamedTuple):
    """A citation to capture, as the queue needs it (a row, not an ORM object)."""

    citation_id: int
    document_id: str | None
    url: str
    # The citation's stored normalized URL when ``url`` is its resolved URL:
    # the ingest and resolve paths write it as normalize_url(resolved_url), and
    # it is what a finished job's capture is matched against (rows.py), so it
    # is taken as it is rather than computed again (w3lib's canonicalisation
    # costs ~25 us a URL, most of a large tick's time).
    normalized: str | None = None


class Queued(NamedTuple):
    """The job answering one wanted citation."""

    id: int
    state: str
    citation_id: int | None


def job_key(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def wanted(citation: Citation, url: str) -> Wanted:
    stored = citation.url_normalized if url == citation.resolved_url else None
    return Wanted(citation.id, citation.document_id, url, stored)


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
) -> dict[tuple[str | None, str], Queued]:
    by_document: dict[str | None, set[str]] = {}
    for doc_id, url in wanted:
        by_document.setdefault(doc_id, set()).add(url)
    pending: dict[tuple[str | None, str], Queued] = {}
    for doc_id, urls in by_document.items():
        for chunk in chunks(sorted(urls)):
            for job_id, url, state, citation_id in session.execute(
                select(
                    CaptureJob.id,
                    CaptureJob.url_normalized,
                    CaptureJob.state,
                    CaptureJob.citation_id,
                )
                .where(
                    CaptureJob.document_id == doc_id,
                    CaptureJob.url_normalized.in_(chunk),
                    CaptureJob.state.in_([JobState.QUEUED, JobState.LEASED]),
                )
                .order_by(CaptureJob.id)
            ):
                pending.setdefault((doc_id, url), Queued(job_id, state, citation_id))
    return pending


def enqueue_citation(
    session: Session, citation: Citation, url: str, *, window: timedelta, force: bool = False
) -> CaptureJob:
    """Queue the capture of a citation's URL, or link a recent capture instead."""
    return enqueue_citations(session, [(citation, url)], window=window, force=force)[0]


def enqueue_citations(
    session: Session,
    wanted_urls: Sequence[tuple[Citation, str]],
    *,
    window: timedelta,
    force: bool = False,
    tick: tuple[int, datetime] | None = None,
    token: str | None = None,
    schedule_id: int | None = None,
) -> list[CaptureJob]:
    """``queue_citations`` for ORM citations, answering with the jobs as ORM objects."""
    queued = queue_citations(
        session,
        [wanted(c, url) for c, url in wanted_urls],
        window=window,
        force=force,
        tick=tick,
        token=token,
        schedule_id=schedule_id,
    )
    ids = sorted({q.id for q in queued})
    jobs: dict[int, CaptureJob] = {}
    for chunk in chunks(ids):
        jobs.update(
            (job.id, job)
            for job in session.scalars(select(CaptureJob).where(CaptureJob.id.in_(chunk)))
        )
    return [jobs[q.id] for q in queued]


def queue_citations(
    session: Session,
    wanted: Iterable[Wanted],
    *,
    window: timedelta,
    force: bool = False,
    tick: tuple[int, datetime] | None = None,
    token: str | None = None,
    schedule_id: int | None = None,
) -> list[Queued]:
    """Queue the captures of many citations: one job (or reuse) per citation, in order.

    A job already queued under the same key is answered as it is; without
    ``force``, the same URL cited twice in one document is fetched once (the
    capture is linked to every pending citation of it when the job completes),
    and a recent capture of the URL (a page's final answer, or for a public
    document also another page's requisite) is linked instead of fetching again.

    ``tick`` (schedule id, tick time) marks the jobs of a schedule's tick:
    their keys name the tick instead of a random token, so planning the same
    tick twice (two schedulers, a retry) finds the jobs already there.
    ``token`` does the same for another one-off reason (a health change that
    asks for a fresh capture), and ``schedule_id`` names the schedule behind it.

    The citations go by chunks; a job written for an earlier chunk is in the
    table when the next one looks for keys and pending jobs, so a URL cited
    again further on finds it as the whole list at once would.
    """
    if tick is not None:
        token, schedule_id = _tick_token(*tick), tick[0]
    out: list[Queued] = []
    batch: list[Wanted] = []
    for item in wanted:
        batch.append(item)
        if len(batch) == _CHUNK:
            out.extend(_queue_chunk(session, batch, window, force, token, schedule_id))
            batch = []
    if batch:
        out.extend(_queue_chunk(session, batch, window, force, token, schedule_id))
    return out


_CHUNK = 2000


def _queue_chunk(
    session: Session,
    wanted: list[Wanted],
    window: timedelta,
    force: bool,
    token: str | None,
    schedule_id: int | None,
) -> list[Queued]:
    items: list[tuple[Wanted, str, str]] = []
    for w in wanted:
        normalized = w.normalized if w.normalized is not None else normalize_url(w.url)
        once = uuid.uuid4() if force and not token else token or ""
        key = job_key("citation", w.citation_id, normalized, once)
        items.append((w, normalized, key))
    jobs = _jobs_by_key(session, sorted({key for _, _, key in items}))
    pending: dict[tuple[str | None, str], Queued] = {}
    recent: dict[str, Capture] = {}
    requisites: dict[str, Capture] = {}
    public: set[str] = set()
    if not force:
        pending = _pending_jobs(session, ((w.document_id, n) for w, n, _ in items))
        recent, requisites = _recent_captures(session, (n for _, n, _ in items), window)
        if requisites:
            # Linking a requisite to a private document's citation would make it
            # private (migration 0004), and hide it from the public page that
            # pulled it in: only public documents reuse requisites.
            public = _public_documents(
                session, (w.document_id for w, n, _ in items if n in requisites)
            )
    new: dict[str, dict[str, object]] = {}
    claimed: dict[tuple[str | None, str], str] = {}  # a URL's new job, by its key
    reused: dict[tuple[int, int], None] = {}
    now = utcnow()
    for w, normalized, key in items:
        where = (w.document_id, normalized)
        if key in jobs or key in new or where in pending or where in claimed:
            continue
        row: dict[str, object] = {
            "job_key": key,
            "url": w.url,
            "url_normalized": normalized,
            "document_id": w.document_id,
            "citation_id": w.citation_id,
            "force": force,
            "state": JobState.QUEUED,
            "reason": None,
            "not_before": now,
            "schedule_id": schedule_id,
        }
        reuse = recent.get(normalized)
        if reuse is None and w.document_id in public:
            reuse = requisites.get(normalized)
        if reuse is not None:
            row["state"] = JobState.DONE
            what = " (a requisite of another cited page)" if reuse.is_requisite else ""
            row["reason"] = f"reused capture {reuse.id} from {reuse.captured_at.isoformat()}{what}"
            reused[(w.citation_id, reuse.id)] = None
        elif not force:
            claimed[where] = key
        new[key] = row
    jobs.update(_insert_jobs(session, list(new.values()), now))
    link(session, reused, how="reused")
    out: list[Queued] = []
    for w, normalized, key in items:
        where = (w.document_id, normalized)
        out.append(jobs.get(key) or pending.get(where) or jobs[claimed[where]])
    return out


_Rows = Result[Any, Any, Any, Any]  # (id, job_key, state, citation_id)
_RETURNED = (CaptureJob.id, CaptureJob.job_key, CaptureJob.state, CaptureJob.citation_id)


def _jobs_by_key(session: Session, keys: list[str]) -> dict[str, Queued]:
    found: _Rows
    if session.get_bind().dialect.name == "postgresql":
        session.flush()  # what session.execute would do: the driver's statement sees it
        found = session.connection().exec_driver_sql(_BY_KEYS, {"keys": keys})
    else:
        found = session.execute(select(*_RETURNED).where(CaptureJob.job_key.in_(keys)))
    return {
        key: Queued(job_id, state, citation_id) for job_id, key, state, citation_id in found.all()
    }


# PostgreSQL: each list of values is one array parameter, so a statement is the
# same short text whatever the number of rows (psycopg would parse one of
# thousands of placeholders on every execution), and ``%(name)b`` sends it in
# binary: psycopg's text form of an array quotes element by element in Python,
# which cost most of a recapture tick's CPU (a million citations: ~13 s).
_BY_KEYS = (
    "SELECT id, job_key, state, citation_id FROM capture_jobs"
    " WHERE job_key = ANY(CAST(%(keys)b AS text[]))"
)
_COLUMNS = ("job_key", "url", "url_normalized", "document_id", "citation_id", "state", "reason")
_UNNEST_INSERT = (
    "INSERT INTO capture_jobs (job_key, url, url_normalized, document_id, citation_id, state,"
    " reason, force, not_before, schedule_id, priority, attempts, max_attempts, created_at,"
    " updated_at)"
    " SELECT job_key, url, url_normalized, document_id, citation_id, state, reason,"
    " %(force)s, %(now)s, %(schedule_id)s, 0, 0, 3, %(now)s, %(now)s"
    " FROM unnest(CAST(%(job_key)b AS text[]), CAST(%(url)b AS text[]),"
    " CAST(%(url_normalized)b AS text[]), CAST(%(document_id)b AS text[]),"
    " CAST(%(citation_id)b AS integer[]), CAST(%(state)b AS text[]), CAST(%(reason)b AS text[]))"
    " WITH ORDINALITY AS t(job_key, url, url_normalized, document_id, citation_id, state,"
    " reason, ord) ORDER BY t.ord"
    " RETURNING id, job_key, state, citation_id"
)


def _insert_jobs(
    session: Session, rows: list[dict[str, object]], now: datetime
) -> dict[str, Queued]:
    """Insert the chunk's new jobs (all of one ``force`` and schedule), in order."""
    if not rows:
        return {}
    found: _Rows
    if session.get_bind().dialect.name == "postgresql":
        params: dict[str, object] = {c: [r[c] for r in rows] for c in _COLUMNS}
        params["state"] = [str(r["state"]) for r in rows]  # the value, not an Enum
        params.update(force=rows[0]["force"], now=now, schedule_id=rows[0]["schedule_id"])
        session.flush()
        found = session.connection().exec_driver_sql(_UNNEST_INSERT, params)
    else:
        # RETURNING is what lets SQLAlchemy send the rows as one multi-row
        # INSERT ("insertmanyvalues"), not one per job.
        found = session.execute(insert(CaptureJob).returning(*_RETURNED), rows)
    return {
        str(key): Queued(int(job_id), str(state), citation_id)
        for job_id, key, state, citation_id in found.all()
    }


def _tick_token(schedule_id: int, tick_at: datetime) -> str:
    return f"tick:{schedule_id}:{tick_at.isoformat()}"
