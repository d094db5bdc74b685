"""Citations of a document as one stable JSON shape.

The CLI (``citevault citations --format json``) and the HTTP API serve exactly
this shape, so scripts written against one work against the other.  Field
names only ever get added, never renamed or removed; ``schema`` names the
shape's version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.db.models import Capture, Citation, CitationCapture, Document, DocumentVersion
from archive.errors import NotFoundError

SCHEMA = "citevault/citations/1"


@dataclass
class DocumentCitations:
    document: Document
    version: DocumentVersion
    citations: list[Citation]
    captures: dict[int, list[Capture]]  # citation id -> captures, newest first


def load(session: Session, doc_id: str, version: int | None = None) -> DocumentCitations:
    doc = session.get(Document, doc_id)
    if doc is None:
        raise NotFoundError(
            f"no document with id {doc_id!r}", hint="`citevault documents` lists the ids"
        )
    number = version if version is not None else doc.latest_version
    ver = session.scalars(
        select(DocumentVersion).where(
            DocumentVersion.document_id == doc_id, DocumentVersion.version == number
        )
    ).first()
    if ver is None:
        raise NotFoundError(
            f"document {doc_id!r} has no version {number}",
            hint=f"it has versions 1 to {doc.latest_version}",
        )
    citations = list(
        session.scalars(
            select(Citation).where(Citation.version_id == ver.id).order_by(Citation.ordinal)
        )
    )
    captures: dict[int, list[Capture]] = {c.id: [] for c in citations}
    if citations:
        rows = session.execute(
            select(CitationCapture.citation_id, Capture)
            .join(Capture, Capture.id == CitationCapture.capture_id)
            .where(CitationCapture.citation_id.in_(list(captures)))
            .order_by(Capture.captured_at.desc(), Capture.id.desc())
        ).all()
        for citation_id, capture in rows:
            captures[citation_id].append(capture)
    return DocumentCitations(doc, ver, citations, captures)


def capture_json(capture: Capture) -> dict[str, Any]:
    return {
        "id": capture.id,
        "url": capture.url,
        "captured_at": capture.captured_at.isoformat().replace("+00:00", "Z"),
        "http_status": capture.http_status,
        "media_type": capture.media_type,
        "payload_digest": capture.payload_digest,
        "truncated": capture.truncated,
        "error": capture.error,
        "revisit_of": capture.revisit_of_id,
        "replay_url": f"/captures/{capture.id}",
        "warc_url": f"/api/captures/{capture.id}/warc",
        "payload_url": f"/api/captures/{capture.id}/payload",
    }


def citation_json(c: Citation, captures: list[Capture]) -> dict[str, Any]:
    named = None
    if c.kind == "named" or c.source_name:
        named = {
            "source_name": c.source_name,
            "date_hint": c.date_hint,
            "candidate_url": c.candidate_url,
        }
    return {
        "id": c.id,
        "ordinal": c.ordinal,
        "kind": c.kind,
        "extractor": c.extractor,
        "url": c.url_as_cited,
        "url_normalized": c.url_normalized,
        "doi": c.doi,
        "arxiv_id": c.arxiv_id,
        "identifiers": c.identifiers or {},
        "anchor_text": c.anchor_text,
        "title": c.title,
        "authors": c.authors or [],
        "date": c.date,
        "container": c.container,
        "access_date": c.access_date,
        # the archived copy the document itself pointed to (e.g. a wiki archive-url)
        "cited_archive_url": c.archive_url,
        # citevault's own newest successful capture (relative to the server)
        "archive_url": next(
            (f"/captures/{cap.id}" for cap in captures if cap.http_status is not None), None
        ),
        "context": c.context,
        "position": {"start": c.span_start, "end": c.span_end, "page": c.page},
        "named": named,
        "resolution": {
            "state": c.resolution,
            "url": c.resolved_url,
            "resolved_at": c.resolved_at.isoformat().replace("+00:00", "Z")
            if c.resolved_at
            else None,
        },
        "captures": [capture_json(cap) for cap in captures],
    }


def document_json(doc: Document, ver: DocumentVersion) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": ver.title or doc.title,
        "source": ver.source,
        "version": ver.version,
        "latest_version": doc.latest_version,
        "format": ver.format,
        "media_type": ver.media_type,
        "sha256": ver.sha256,
        "size": ver.size,
        "store_key": ver.store_key,
        "added_at": ver.created_at.isoformat().replace("+00:00", "Z"),
        "warnings": ver.warnings or [],
    }


def to_json(dc: DocumentCitations) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "document": document_json(dc.document, dc.version),
        "citations": [citation_json(c, dc.captures[c.id]) for c in dc.citations],
    }


def list_documents(session: Session, limit: int = 1000, offset: int = 0) -> list[dict[str, Any]]:
    counts = (
        select(Citation.version_id, func.count(Citation.id).label("n"))
        .group_by(Citation.version_id)
        .subquery()
    )
    rows = session.execute(
        select(Document, DocumentVersion, func.coalesce(counts.c.n, 0))
        .join(
            DocumentVersion,
            (DocumentVersion.document_id == Document.id)
            & (DocumentVersion.version == Document.latest_version),
        )
        .outerjoin(counts, counts.c.version_id == DocumentVersion.id)
        .order_by(Document.updated_at.desc(), Document.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        {
            "id": doc.id,
            "title": ver.title or doc.title,
            "versions": doc.latest_version,
            "format": ver.format,
            "citations": int(n),
            "updated_at": doc.updated_at.isoformat().replace("+00:00", "Z"),
        }
        for doc, ver, n in rows
    ]
