"""Citations of a document as one stable JSON shape.

The CLI (``citevault citations --format json``) and the HTTP API serve exactly
this shape, so scripts written against one work against the other.  Field
names only ever get added, never renamed or removed; ``schema`` names the
shape's version.
"""

from __future__ import annotations

import functools
from collections import namedtuple
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, Integer, Row, Select, String, and_, bindparam, func, select
from sqlalchemy.orm import Session

from archive.db.models import Capture, Citation, CitationCapture, Document, DocumentVersion
from archive.errors import NotFoundError
from archive.ingest.source import public_source
from archive.lookup.pending import document_jobs, job_for, pending_json
from archive.lookup.source import cited_start, source_json

SCHEMA = "citevault/citations/1"
# Citations orjson renders per call.  A call holds the interpreter lock from
# start to end, and the body of a document citing 100,000 sources rendered in
# one call left an API process answering nobody else meanwhile.
RENDER_BATCH = 1000


@dataclass
class DocumentCitations:
    document: Document
    version: DocumentVersion
    citations: list[Citation]
    captures: dict[int, list[Capture]]  # citation id -> captures, newest first
    sources: dict[int, dict[str, Any] | None]  # citation id -> its ``source`` entry
    pending: dict[int, dict[str, Any] | None]  # citation id -> its ``pending`` entry


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
    conn = session.connection()
    jobs = document_jobs(conn, doc.id)
    sources: dict[int, dict[str, Any] | None] = {}
    pending: dict[int, dict[str, Any] | None] = {}
    for c in citations:
        job = job_for(c, jobs)
        rendered = [capture_json(cap) for cap in captures[c.id]]
        sources[c.id] = source_json(conn, cited_start(c), rendered, job)
        pending[c.id] = pending_json(job, sources[c.id])
    return DocumentCitations(doc, ver, citations, captures, sources, pending)


def capture_json(capture: Capture | Row[Any]) -> dict[str, Any]:
    """One capture's entry: an ORM object or a row of ``_CAPTURE_COLUMNS``.

    ``captured_at`` stays a ``datetime``: ``dumps`` writes it in C, where
    formatting the few hundred of a body in Python was a sixth of the request.
    """
    ident = capture.id
    return {
        "id": ident,
        "url": capture.url,
        "captured_at": capture.captured_at,
        "http_status": capture.http_status,
        "media_type": capture.media_type,
        "payload_digest": capture.payload_digest,
        "truncated": capture.truncated,
        "error": capture.error,
        "revisit_of": capture.revisit_of_id,
        "replay_url": f"/captures/{ident}",
        "warc_url": f"/api/captures/{ident}/warc",
        "payload_url": f"/api/captures/{ident}/payload",
    }


def citation_json(
    c: Citation | Row[Any],
    captures: list[dict[str, Any]],
    source: dict[str, Any] | None,
    pending: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One citation's entry, with its captures rendered by ``capture_json``.

    ``source`` is what ``source_json`` says the cited source answered;
    ``pending`` is why an open capture job has not finished (``pending_json``).
    """
    named = None
    if c.kind == "named" or c.source_name:
        named = {
            "source_name": c.source_name,
            "date_hint": c.date_hint,
            "candidate_url": c.candidate_url,
            "source_type": c.source_type,
            "speaker": c.speaker,
            "speaker_role": c.speaker_role,
            "work_title": c.work_title,
            "container": c.container,
            "claim": None
            if c.claim is None
            else {"text": c.claim, "start": c.claim_start, "end": c.claim_end},
            "mentions": c.mentions or [],
            # An anonymous source has no place to resolve to.
            "resolvable": c.source_type != "anonymous",
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
            (cap["replay_url"] for cap in captures if cap["http_status"] is not None), None
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
        "source": source,
        "pending": pending,
        "captures": captures,
    }


def document_json(doc: Document | Row[Any], ver: DocumentVersion | Row[Any]) -> dict[str, Any]:
    """The document's entry; ``citations_view`` passes its head row as both arguments."""
    return {
        "id": doc.id,
        "title": ver.title or doc.title,
        "source": public_source(ver.source),
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
    """The body as plain JSON values, exactly as a client of the API parses it."""
    return plain(
        {
            "schema": SCHEMA,
            "document": document_json(dc.document, dc.version),
            "citations": [
                citation_json(
                    c,
                    [capture_json(cap) for cap in dc.captures[c.id]],
                    dc.sources[c.id],
                    dc.pending[c.id],
                )
                for c in dc.citations
            ],
        }
    )


def plain(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with its times written as ``dumps`` writes them, for ``json`` and the writers."""
    out: dict[str, Any] = orjson.loads(dumps(body))
    return out


_DOC = Document.__table__.c
_VER = DocumentVersion.__table__.c
_CIT = Citation.__table__.c
_CAP = Capture.__table__.c
_LINK = CitationCapture.__table__.c
_CITATION_COLUMNS = [
    c for c in Citation.__table__.c if c.name not in ("version_id", "document_id", "created_at")
]
_CAPTURE_COLUMNS = [
    _CAP.id,
    _CAP.url,
    _CAP.captured_at,
    _CAP.http_status,
    _CAP.media_type,
    _CAP.payload_digest,
    _CAP.truncated,
    _CAP.error,
    _CAP.revisit_of_id,
]
# SQLAlchemy rows answer attribute names several times slower than named tuples
# do, and a body reads thousands of them.
_Cited = namedtuple("_Cited", [c.key for c in _CITATION_COLUMNS])  # type: ignore[misc]
_Captured = namedtuple("_Captured", ["citation_id", *(c.key for c in _CAPTURE_COLUMNS)])  # type: ignore[misc]


@functools.cache
def _statements(versioned: bool) -> tuple[Select[Any], Select[Any], Select[Any]]:
    """The three statements behind ``citations_view``, built once (see ``_negotiation``)."""
    number = bindparam("version", type_=Integer) if versioned else _DOC.latest_version
    head = (
        select(
            _DOC.id,
            _DOC.latest_version,
            _DOC.is_private,
            _VER.id.label("version_id"),
            _VER.version,
            # The title ``document_json`` picks, so that the row can be both its arguments.
            func.coalesce(func.nullif(_VER.title, ""), _DOC.title).label("title"),
            _VER.source,
            _VER.format,
            _VER.media_type,
            _VER.sha256,
            _VER.size,
            _VER.store_key,
            _VER.created_at,
            _VER.warnings,
        )
        .select_from(Document.__table__)
        .outerjoin(
            DocumentVersion.__table__,
            and_(_VER.document_id == _DOC.id, _VER.version == number),
        )
        .where(_DOC.id == bindparam("doc_id", type_=String))
    )
    version_id = bindparam("version_id", type_=Integer)
    cited = select(*_CITATION_COLUMNS).where(_CIT.version_id == version_id).order_by(_CIT.ordinal)
    captured = (
        select(_LINK.citation_id, *_CAPTURE_COLUMNS)
        .select_from(CitationCapture.__table__)
        .join(Citation.__table__, _CIT.id == _LINK.citation_id)
        .join(Capture.__table__, _CAP.id == _LINK.capture_id)
        .where(_CIT.version_id == version_id)
        .order_by(_CAP.captured_at.desc(), _CAP.id.desc())
    )
    return head, cited, captured


def missing_document(doc_id: str) -> NotFoundError:
    """The same 404 whether the document is absent or private, so neither is disclosed."""
    return NotFoundError(
        f"no document with id {doc_id!r}", hint="`citevault documents` lists the ids"
    )


def citations_view(
    conn: Connection, doc_id: str, version: int | None = None
) -> tuple[bool, dict[str, Any]]:
    """``to_json(load(...))`` in three prepared Core queries and no ORM objects.

    The API's most requested body: a 50-citation document with a few
    captures each is hundreds of rows, and building ORM objects for them
    costs more than the queries.  Returns whether the document is private, with
    the body.
    """
    head_stmt, cited_stmt, captured_stmt = _statements(version is not None)
    params: dict[str, Any] = {"doc_id": doc_id}
    if version is not None:
        params["version"] = version
    head = conn.execute(head_stmt, params).first()
    if head is None:
        raise missing_document(doc_id)
    if head.version_id is None:
        raise NotFoundError(
            f"document {doc_id!r} has no version {version or head.latest_version}",
            hint=f"it has versions 1 to {head.latest_version}",
        )
    at = {"version_id": head.version_id}
    cited: list[Any] = list(map(_Cited._make, conn.execute(cited_stmt, at)))
    captures: dict[int, list[dict[str, Any]]] = {c.id: [] for c in cited}
    captured: Iterable[Any] = map(_Captured._make, conn.execute(captured_stmt, at)) if cited else ()
    for capture in captured:
        # .get: a link committed between the two reads is left for the next request.
        found = captures.get(capture.citation_id)
        if found is not None:
            found.append(capture_json(capture))
    jobs = document_jobs(conn, doc_id)
    entries = []
    for c in cited:
        job = job_for(c, jobs)
        source = source_json(conn, cited_start(c), captures[c.id], job)
        entries.append(citation_json(c, captures[c.id], source, pending_json(job, source)))
    return bool(head.is_private), {
        "schema": SCHEMA,
        "document": document_json(head, head),
        "citations": entries,
    }


def dumps(body: dict[str, Any]) -> bytes:
    """A body as JSON, times as ISO 8601 in UTC with ``Z``.

    A long list of citations is rendered ``RENDER_BATCH`` at a time, into the
    same bytes as one call would give.
    """
    citations = body.get("citations")
    if isinstance(citations, list) and len(citations) > RENDER_BATCH:
        parts = [
            orjson.dumps(citations[i : i + RENDER_BATCH], option=orjson.OPT_UTC_Z)[1:-1]
            for i in range(0, len(citations), RENDER_BATCH)
        ]
        body = {**body, "citations": orjson.Fragment(b"[" + b",".join(parts) + b"]")}
    return orjson.dumps(body, option=orjson.OPT_UTC_Z)
