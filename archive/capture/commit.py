"""Store, then record: a closed WARC file becomes capture rows only once it is safe.

The file is uploaded and verified first; the WarcFile row, its capture rows,
the citation links and the job state changes are then committed in one
transaction; only after that commit is the spool copy deleted.  A crash at
any point therefore leaves either the file in the spool (committed by the next
worker, idempotently) or a complete capture, never a row pointing at missing
bytes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import surt
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError as DBIntegrityError
from sqlalchemy.orm import Session

from archive.capture import queue
from archive.capture.indexer import IndexedRecord, IndexedWarc, index_warc
from archive.db.base import utcnow
from archive.db.models import Capture, CitationCapture, WarcFile
from archive.db.models.captures import WarcState
from archive.errors import IntegrityError
from archive.extract.urls import normalize_url
from archive.runtime import Runtime
from archive.storage.base import sha256_file

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CommitResult:
    path: Path
    store_key: str
    captures: int
    jobs_done: int
    already: bool = False


def warc_key(indexed: IndexedWarc, name: str) -> str:
    when = indexed.first_date or utcnow()
    return f"warcs/{when:%Y/%m/%d}/{name}"


def _surt(url: str) -> str:
    try:
        return str(surt.surt(url))
    except Exception:  # surt rejects some odd URLs; the URL itself still sorts
        return url


def _capture_row(rec: IndexedRecord, wf: WarcFile, robots: str | None) -> Capture:
    try:
        normalized = normalize_url(rec.url)
    except ValueError:
        normalized = rec.url
    return Capture(
        url=rec.url,
        url_normalized=normalized,
        surt=_surt(rec.url),
        captured_at=rec.date,
        http_status=rec.http_status,
        media_type=rec.media_type,
        payload_digest=rec.payload_digest,
        payload_length=rec.payload_length,
        warc_file_id=wf.id,
        warc_offset=rec.offset,
        warc_length=rec.length,
        warc_record_id=rec.record_id,
        redirect_to=urljoin(rec.url, rec.location) if rec.location else None,
        truncated=rec.truncated,
        ip_address=rec.ip_address,
        robots_policy=robots,
    )


def _find_by_record(session: Session, record_id: str) -> Capture | None:
    return session.scalars(select(Capture).where(Capture.warc_record_id == record_id)).first()


def _record_rows(session: Session, indexed: IndexedWarc, wf: WarcFile) -> tuple[int, int]:
    chains = {url for m in indexed.metadata for url in [m.url, m.final_url, *m.chain]}
    requisites = {url for m in indexed.metadata for url in m.requisites} - chains
    by_record: dict[str, Capture] = {}
    for rec in indexed.records:
        row = _capture_row(rec, wf, indexed.robots)
        row.is_requisite = rec.url in requisites
        if rec.rec_type == "revisit" and rec.refers_to:
            original = by_record.get(rec.refers_to) or _find_by_record(session, rec.refers_to)
            if original is not None:
                row.revisit_of_id = original.id
        session.add(row)
        session.flush()
        by_record[rec.record_id] = row
    jobs = 0
    for meta in indexed.metadata:
        final = by_record.get(meta.final_record_id) or _find_by_record(
            session, meta.final_record_id
        )
        if final is None:
            log.warning("metadata for %s names unknown record %s", meta.url, meta.final_record_id)
            continue
        final.job_id = meta.job_id
        if meta.job_id is not None:
            queue.complete(session, meta.job_id, final.id)
            jobs += 1
        for citation_id in meta.citation_ids:
            if session.get(CitationCapture, (citation_id, final.id)) is None:
                session.add(CitationCapture(citation_id=citation_id, capture_id=final.id))
    return len(indexed.records), jobs


def commit_warc(rt: Runtime, path: Path) -> CommitResult:
    """Upload, verify and record one closed WARC file, then remove it from the spool."""
    indexed = index_warc(path)
    sha256, size = sha256_file(path)
    key = warc_key(indexed, path.name)
    sessions = rt.sessions()
    with sessions() as session:
        existing = session.scalars(select(WarcFile).where(WarcFile.store_key == key)).first()
        if existing is not None:
            if existing.sha256 != sha256:
                raise IntegrityError(
                    f"{key} is already recorded with other content (sha256 {existing.sha256})",
                    hint="WARC file names must be unique; keep this file for inspection",
                )
            path.unlink(missing_ok=True)  # committed before a crash; the spool copy is spare
            return CommitResult(path, key, 0, 0, already=True)

    rt.store().put_file(key, path)
    rt.store().verify_object(key, sha256, size)

    try:
        with sessions() as session, session.begin():
            wf = WarcFile(
                store_key=key,
                filename=path.name,
                size=size,
                sha256=sha256,
                record_count=indexed.record_count,
                state=WarcState.STORED,
                stored_at=utcnow(),
            )
            session.add(wf)
            session.flush()
            captures, jobs = _record_rows(session, indexed, wf)
    except DBIntegrityError:
        # Another worker committed the same spool file at the same moment.
        with sessions() as session:
            if session.scalars(select(WarcFile).where(WarcFile.store_key == key)).first():
                path.unlink(missing_ok=True)
                return CommitResult(path, key, 0, 0, already=True)
        raise
    path.unlink(missing_ok=True)
    return CommitResult(path, key, captures, jobs)
