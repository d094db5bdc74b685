"""Adding a document: extract, store its bytes, then record everything at once.

Order matters for "nothing half-stored": extraction runs first (bad input
fails before anything is written), then the document's bytes go to the store
under a content-addressed key, and only then are the document, its version,
its citations and their capture jobs committed in one transaction.  A crash
between the two leaves at most an unreferenced object that the next add of
the same bytes reuses.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.capture import queue
from archive.capture.rows import chunks
from archive.db.base import utcnow
from archive.db.models import Citation, Document, DocumentVersion
from archive.db.models.documents import CitationKind, Resolution
from archive.errors import InputError
from archive.extract.types import ExtractedCitation, Extraction
from archive.extract.urlforms import normalize_url
from archive.ingest.extraction import Extractor, extract_here
from archive.ingest.ids import derive_id, validate_id
from archive.ingest.source import SourceBytes
from archive.runtime import Runtime


@dataclass
class AddResult:
    document_id: str
    version: int
    created: bool  # False: the same bytes were already this document's version
    format: str
    title: str | None
    counts: dict[str, int] = field(default_factory=dict)
    jobs_queued: int = 0
    warnings: list[str] = field(default_factory=list)


def document_key(doc_id: str, sha256: str) -> str:
    return f"documents/{doc_id}/{sha256}"


def _resolution(c: ExtractedCitation) -> tuple[str, str | None]:
    url = c.capture_url or c.url
    if c.kind != CitationKind.NAMED and url:
        return Resolution.RESOLVED, url
    if c.candidate_url:
        return Resolution.CANDIDATE, None
    return Resolution.UNRESOLVED, None


def _insert_citations(session: Session, rows: list[dict[str, Any]]) -> list[Citation]:
    """Insert a version's citations, in order, as multi-row INSERTs.

    A flush of Citation objects sends one INSERT per row on SQLite, where
    SQLAlchemy cannot batch rows whose new ids it must read back; a document
    can cite thousands of sources, and a round trip per row adds up.
    RETURNING the rows as objects batches them and keeps them usable.
    """
    out: list[Citation] = []
    for batch in chunks(rows):
        out.extend(session.scalars(insert(Citation).returning(Citation), list(batch)))
    return sorted(out, key=lambda c: c.ordinal)


def _citation_row(
    c: ExtractedCitation, ordinal: int, version: DocumentVersion, doc_id: str
) -> dict[str, Any]:
    state, url = _resolution(c)
    normalized = None
    if url:
        try:
            normalized = normalize_url(url)
        except ValueError:
            normalized = url
    return dict(
        version_id=version.id,
        document_id=doc_id,
        ordinal=ordinal,
        kind=c.kind,
        extractor=c.extractor,
        url_as_cited=c.url,
        url_normalized=normalized,
        doi=c.doi,
        arxiv_id=c.arxiv_id,
        identifiers=c.identifiers,
        anchor_text=c.anchor_text,
        title=c.title,
        authors=c.authors,
        date=c.date,
        container=c.container,
        access_date=c.access_date,
        archive_url=c.archive_url,
        context=c.context,
        span_start=c.span[0] if c.span else None,
        span_end=c.span[1] if c.span else None,
        page=c.page,
        source_name=c.source_name,
        date_hint=c.date_hint,
        candidate_url=c.candidate_url,
        source_type=c.source_type,
        speaker=c.speaker,
        speaker_role=c.speaker_role,
        work_title=c.work_title,
        claim=c.claim,
        claim_start=c.claim_span[0] if c.claim_span else None,
        claim_end=c.claim_span[1] if c.claim_span else None,
        mentions=c.mentions,
        resolution=state,
        resolved_url=url,
        resolved_at=utcnow() if url else None,
    )


def _existing_version(session: Session, doc_id: str, sha256: str) -> DocumentVersion | None:
    return session.scalars(
        select(DocumentVersion).where(
            DocumentVersion.document_id == doc_id, DocumentVersion.sha256 == sha256
        )
    ).first()


def add_document(
    rt: Runtime,
    src: SourceBytes,
    *,
    doc_id: str | None = None,
    fmt: str | None = None,
    title: str | None = None,
    queue_captures: bool = True,
    private: bool | None = None,
    extractor: Extractor = extract_here,
    tick: tuple[int, datetime] | None = None,
) -> AddResult:
    """Add ``src`` as a new version of ``doc_id`` (or find the same bytes already there).

    ``extractor`` is where extraction runs: in this process by default (the
    command line), in a child process for the API (``ExtractionPool.extract``).
    ``tick`` (schedule id, tick time) marks the capture jobs as a schedule's.
    """
    if not src.data:
        raise InputError(f"{src.source} is empty", hint="nothing to add; check the file")
    sha256 = hashlib.sha256(src.data).hexdigest()
    doc_id = validate_id(doc_id) if doc_id is not None else derive_id(src.source, sha256)
    sessions = rt.sessions()
    with sessions() as session:
        found = _existing_version(session, doc_id, sha256)
        if found is not None:
            counts = Counter(c.kind for c in found.citations)
            return AddResult(doc_id, found.version, False, found.format, found.title, dict(counts))

    extraction = extractor(src, fmt)
    key = document_key(doc_id, sha256)
    rt.store().put_bytes(key, src.data)

    window = timedelta(hours=rt.settings.recapture_window_hours)
    for attempt in range(3):
        try:
            return _record(
                rt,
                src,
                doc_id,
                sha256,
                key,
                extraction,
                title,
                window,
                queue_captures,
                private,
                tick,
            )
        except IntegrityError:
            # Another process added a version of this document at the same moment.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _record(
    rt: Runtime,
    src: SourceBytes,
    doc_id: str,
    sha256: str,
    key: str,
    extraction: Extraction,
    title: str | None,
    window: timedelta,
    queue_captures: bool,
    private: bool | None = None,
    tick: tuple[int, datetime] | None = None,
) -> AddResult:
    with rt.sessions()() as session, session.begin():
        found = _existing_version(session, doc_id, sha256)
        if found is not None:
            counts = Counter(c.kind for c in found.citations)
            return AddResult(doc_id, found.version, False, found.format, found.title, dict(counts))
        doc = session.get(Document, doc_id, with_for_update=True)
        now = utcnow()
        doc_title = title or extraction.title
        if doc is None:
            doc = Document(id=doc_id, title=doc_title, source=src.source, created_at=now)
            session.add(doc)
            number = 1
        else:
            latest = session.scalar(
                select(func.max(DocumentVersion.version)).where(
                    DocumentVersion.document_id == doc_id
                )
            )
            number = (latest or 0) + 1
            doc.title = doc_title or doc.title
        doc.latest_version = number
        doc.updated_at = now
        if private is not None:
            doc.is_private = private
        version = DocumentVersion(
            document_id=doc_id,
            version=number,
            sha256=sha256,
            size=len(src.data),
            media_type=src.media_type or extraction.media_type,
            format=extraction.format,
            source=src.source,
            title=doc_title,
            store_key=key,
            warnings=list(extraction.warnings) or None,
            created_at=now,
        )
        session.add(version)
        session.flush()
        extracted = extraction.citations
        rows = _insert_citations(
            session, [_citation_row(c, i, version, doc_id) for i, c in enumerate(extracted)]
        )
        jobs = 0
        if queue_captures:
            wanted = [
                (row, row.resolved_url)
                for row in rows
                if row.resolution == Resolution.RESOLVED and row.resolved_url
            ]
            queued = queue.enqueue_citations(session, wanted, window=window, tick=tick)
            jobs = sum(
                job.state == "queued" and job.citation_id == row.id
                for (row, _), job in zip(wanted, queued, strict=True)
            )
        counts = Counter(r.kind for r in rows)
        return AddResult(
            doc_id,
            number,
            True,
            extraction.format,
            doc_title,
            dict(counts),
            jobs,
            list(extraction.warnings),
        )
