"""The rows one indexed WARC file becomes, written in bulk.

A file holds thousands of records; inserting them one ORM object and one
flush at a time, and closing each job with its own queries, cost more CPU
than fetching them.  Here every kind of row is one multi-row statement (or a
few, in chunks): captures with ``RETURNING`` their ids, the jobs closed with
one UPDATE, the citation links with one INSERT.  Runs inside the caller's
transaction, so the file's rows still appear all at once or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urljoin

from sqlalchemy import exists, insert, select, tuple_, update
from sqlalchemy.orm import Session

from archive.capture.contract import (
    METADATA_PROFILE,
    ROLE_PAGE,
    ROLE_REQUISITE,
    CaptureMetadata,
    IndexedRecord,
    IndexedWarc,
)
from archive.db.base import utcnow
from archive.db.models import Capture, CaptureJob, Citation, CitationCapture
from archive.db.models.captures import JobState
from archive.errors import InputError
from archive.extract.urlforms import normalize_url
from archive.lookup.cdx import surt_key

log = logging.getLogger(__name__)

CHUNK = 2000  # bound parameters per IN list / rows per statement: well under every limit
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Recorded:
    captures: int
    jobs_done: int
    # (job, its document, the capture it ended on), for the log once committed
    finished: tuple[tuple[int, str | None, int], ...] = ()


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _row(
    rec: IndexedRecord, warc_file_id: int, robots: str | None, requisite: bool, now: datetime
) -> dict[str, Any]:
    try:
        normalized = normalize_url(rec.url)
    except ValueError:
        normalized = rec.url
    try:
        key = surt_key(rec.url)
    except InputError:  # surt rejects some odd URLs; the URL itself still sorts
        key = rec.url
    return {
        "url": rec.url,
        "url_normalized": normalized,
        "surt": key,
        "captured_at": rec.date,
        "http_status": rec.http_status,
        "media_type": rec.media_type,
        "payload_digest": rec.payload_digest,
        "payload_length": rec.payload_length,
        "warc_file_id": warc_file_id,
        "warc_offset": rec.offset,
        "warc_length": rec.length,
        "warc_record_id": rec.record_id,
        "revisit_of_id": None,
        "redirect_to": urljoin(rec.url, rec.location) if rec.location else None,
        "truncated": rec.truncated,
        "error": rec.error,
        "ip_address": rec.ip_address,
        "robots_policy": robots,
        "is_requisite": requisite,
        "job_id": None,
        "created_at": now,
    }


def _ids_by_record(session: Session, record_ids: Iterable[str]) -> dict[str, int]:
    """Capture ids of records committed from earlier files."""
    wanted = sorted(set(record_ids))
    found: dict[str, int] = {}
    for chunk in chunks(wanted):
        query = select(Capture.warc_record_id, Capture.id).where(Capture.warc_record_id.in_(chunk))
        found.update({str(rid): int(cid) for rid, cid in session.execute(query)})
    return found


def _insert(session: Session, rows: list[dict[str, Any]]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in chunks(rows):
        query = insert(Capture).returning(Capture.warc_record_id, Capture.id)
        ids.update({str(rid): int(cid) for rid, cid in session.execute(query, list(chunk))})
    return ids


def _insert_captures(
    session: Session, indexed: IndexedWarc, warc_file_id: int, metas: list[CaptureMetadata]
) -> dict[str, int]:
    """Insert one row per response/revisit record; returns capture ids by record id."""
    # Files written before records named their role: requisites by URL.
    chains = {url for m in metas for url in [m.url, m.final_url, *m.chain]}
    requisites = {url for m in metas for url in m.requisites} - chains
    job_of = {m.final_record_id: m.job_id for m in metas}
    now = utcnow()
    originals: list[dict[str, Any]] = []
    revisits: list[tuple[dict[str, Any], str | None]] = []
    for rec in indexed.records:
        requisite = rec.role == ROLE_REQUISITE if rec.role else rec.url in requisites
        row = _row(rec, warc_file_id, indexed.robots, requisite, now)
        row["job_id"] = job_of.get(rec.record_id)
        if rec.rec_type == "revisit":
            revisits.append((row, rec.refers_to))
        else:
            originals.append(row)
    ids = _insert(session, originals)
    # A revisit refers to a record written earlier: in this file or a committed one.
    elsewhere = [ref for _, ref in revisits if ref and ref not in ids]
    known = {**_ids_by_record(session, elsewhere), **ids}
    for row, ref in revisits:
        row["revisit_of_id"] = known.get(ref) if ref else None
    ids.update(_insert(session, [row for row, _ in revisits]))
    return ids


def job_metadata(indexed: IndexedWarc) -> list[CaptureMetadata]:
    """The file's metadata records, plus one for each job whose page is here without it.

    A job's metadata record comes after all its requisites; a crawler killed
    before writing it (or whose file was cut and salvaged) leaves the page's
    final answer, tagged with its job, without one.  That answer is the
    capture the job stands for: the job is closed on it and its citations
    linked, as its metadata would have done (whose record, if it turns up in
    a later file, then finds the work done).  A redirect hop is no final
    answer: a chain cut short leaves its job to be tried again.
    """
    metas = list(indexed.metadata)
    described = {m.job_id for m in metas if m.job_id is not None}
    finals: dict[int, IndexedRecord] = {}
    for rec in indexed.records:
        if rec.job_id is None or rec.role != ROLE_PAGE or rec.job_id in described:
            continue
        redirect = rec.http_status is not None and 300 <= rec.http_status < 400 and rec.location
        if not redirect:
            finals[rec.job_id] = rec
    for job_id, rec in finals.items():
        metas.append(
            CaptureMetadata(
                profile=METADATA_PROFILE,
                job_id=job_id,
                url=rec.url,
                final_url=rec.url,
                final_record_id=rec.record_id,
                chain=[rec.url],
            )
        )
    return metas


def _close_jobs(session: Session, job_ids: list[int]) -> None:
    now = utcnow()
    for chunk in chunks(job_ids):
        session.execute(
            update(CaptureJob)
            .where(CaptureJob.id.in_(chunk))
            .values(
                state=JobState.DONE,
                reason=None,
                lease_owner=None,
                lease_expires_at=None,
                updated_at=now,
            )
        )


def _unlinked_citations(
    session: Session, pairs: set[tuple[str, str]]
) -> dict[tuple[str, str], list[int]]:
    """Citations of these (document, URL) pairs that no capture is linked to yet."""
    found: dict[tuple[str, str], list[int]] = {}
    linked = exists().where(CitationCapture.citation_id == Citation.id)
    for chunk in chunks(sorted(pairs)):
        query = (
            select(Citation.document_id, Citation.url_normalized, Citation.id)
            .where(tuple_(Citation.document_id, Citation.url_normalized).in_(list(chunk)))
            .where(~linked)
            .order_by(Citation.id)
        )
        for doc, url, cid in session.execute(query):
            found.setdefault((str(doc), str(url)), []).append(int(cid))
    return found


def link(session: Session, links: dict[tuple[int, int], None], how: str = "fetched") -> None:
    """Insert citation links that do not exist yet (a re-commit or a reuse may have them)."""
    if not links:
        return
    capture_ids = sorted({capture for _, capture in links})
    existing: set[tuple[int, int]] = set()
    for chunk in chunks(capture_ids):
        query = select(CitationCapture.citation_id, CitationCapture.capture_id).where(
            CitationCapture.capture_id.in_(chunk)
        )
        existing.update((int(a), int(b)) for a, b in session.execute(query))
    now = utcnow()
    rows = [
        {"citation_id": cit, "capture_id": cap, "how": how, "linked_at": now}
        for cit, cap in links
        if (cit, cap) not in existing
    ]
    # RETURNING, although nothing is read back, is what makes SQLAlchemy send a
    # batch as one multi-row INSERT ("insertmanyvalues"); without it psycopg's
    # executemany sends one INSERT per link, and each of them runs the table's
    # statement triggers (migrations 0003 and 0004) once more, several times
    # the cost of one statement for a batch.
    statement = insert(CitationCapture).returning(CitationCapture.capture_id)
    for batch in chunks(rows):
        session.execute(statement, list(batch)).all()


def _finish_jobs(
    session: Session, metas: list[CaptureMetadata], finals: dict[str, int], in_file: set[str]
) -> tuple[int, list[tuple[int, str | None, int]]]:
    """Close each job on its final capture and link the citations it stands for.

    A job stands for its own citation and for the other citations of the same
    URL in its document that nothing is linked to yet (the URL is fetched once
    per document); each such citation is linked to the first job that claims it.
    """
    job_ids = sorted(
        {m.job_id for m in metas if m.job_id is not None and m.final_record_id in finals}
    )
    jobs: dict[int, tuple[int | None, str | None, str]] = {}
    for chunk in chunks(job_ids):
        query = select(
            CaptureJob.id, CaptureJob.citation_id, CaptureJob.document_id, CaptureJob.url_normalized
        ).where(CaptureJob.id.in_(chunk))
        jobs.update({int(j): (c, d, u) for j, c, d, u in session.execute(query)})
    others = _unlinked_citations(
        session, {(doc, url) for _, doc, url in jobs.values() if doc is not None}
    )
    _close_jobs(session, sorted(jobs))
    # Final records from an earlier file of this crawl get their job here (those
    # of this file got it on insert).
    for meta in metas:
        capture_id = finals.get(meta.final_record_id)
        if meta.final_record_id in in_file or capture_id is None:
            continue
        if meta.job_id is not None and meta.job_id in jobs:
            session.execute(
                update(Capture)
                .where(Capture.id == capture_id, Capture.job_id.is_(None))
                .values(job_id=meta.job_id)
            )
    links: dict[tuple[int, int], None] = {}  # ordered set
    claimed: set[int] = set()
    finished: list[tuple[int, str | None, int]] = []
    for meta in metas:
        capture_id = finals.get(meta.final_record_id)
        if capture_id is None:
            log.warning("metadata for %s names unknown record %s", meta.url, meta.final_record_id)
            continue
        citation_ids = list(meta.citation_ids)
        job = jobs.get(meta.job_id) if meta.job_id is not None else None
        if job is not None and meta.job_id is not None:
            own, doc, url = job
            finished.append((meta.job_id, doc, capture_id))
            citation_ids += [own] if own is not None else []
            if doc is not None:
                citation_ids += [c for c in others.get((doc, url), []) if c not in claimed]
        for citation_id in citation_ids:
            claimed.add(citation_id)
            links[(citation_id, capture_id)] = None
    link(session, links)
    return len(jobs), finished


def record_rows(session: Session, indexed: IndexedWarc, warc_file_id: int) -> Recorded:
    """Insert the file's captures, close its jobs and link their citations."""
    metas = job_metadata(indexed)
    ids = _insert_captures(session, indexed, warc_file_id, metas)
    missing = [m.final_record_id for m in metas if m.final_record_id not in ids]
    finals = {**_ids_by_record(session, missing), **ids}
    done, finished = _finish_jobs(session, metas, finals, set(ids))
    return Recorded(len(indexed.records), done, tuple(finished))
