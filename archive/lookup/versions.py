"""What changed between two versions of a document: the citations added and removed.

A citation is the same in two versions when it names the same source: the
same normalized URL, or DOI, or arXiv id, or (a named reference) the same
source, work and claim.  Its position and surrounding text may move.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db.models import Citation, Document, DocumentVersion
from archive.errors import NotFoundError

SCHEMA = "citevault/version-diff/1"


def identity(c: Citation) -> tuple[str, ...]:
    if c.url_normalized:
        return ("url", c.url_normalized)
    if c.doi:
        return ("doi", c.doi.lower())
    if c.arxiv_id:
        return ("arxiv", c.arxiv_id)
    return ("named", c.source_name or "", c.work_title or "", c.claim or c.context or "")


def _version(session: Session, doc: Document, number: int) -> DocumentVersion:
    ver = session.scalar(
        select(DocumentVersion).where(
            DocumentVersion.document_id == doc.id, DocumentVersion.version == number
        )
    )
    if ver is None:
        raise NotFoundError(
            f"document {doc.id!r} has no version {number}",
            hint=f"it has versions 1 to {doc.latest_version}",
        )
    return ver


def _citations(session: Session, ver: DocumentVersion) -> list[Citation]:
    return list(
        session.scalars(
            select(Citation).where(Citation.version_id == ver.id).order_by(Citation.ordinal)
        )
    )


def _entry(c: Citation) -> dict[str, Any]:
    return {
        "id": c.id,
        "ordinal": c.ordinal,
        "kind": c.kind,
        "url": c.url_as_cited or c.resolved_url,
        "url_normalized": c.url_normalized,
        "doi": c.doi,
        "arxiv_id": c.arxiv_id,
        "source_name": c.source_name,
        "title": c.title,
        "anchor_text": c.anchor_text,
    }


def version_diff(
    session: Session, doc: Document, version: int | None = None, against: int | None = None
) -> dict[str, Any]:
    """Citations of ``version`` (default: latest) not in ``against`` (default: the
    version before it), and those of ``against`` no longer there.  Version 1
    against nothing: every citation is added."""
    number = version if version is not None else doc.latest_version
    new = _version(session, doc, number)
    base_number = against if against is not None else number - 1
    old = _version(session, doc, base_number) if base_number >= 1 else None
    new_cited = _citations(session, new)
    old_cited = _citations(session, old) if old is not None else []
    old_ids = {identity(c) for c in old_cited}
    new_ids = {identity(c) for c in new_cited}
    added = [_entry(c) for c in new_cited if identity(c) not in old_ids]
    removed = [_entry(c) for c in old_cited if identity(c) not in new_ids]
    return {
        "schema": SCHEMA,
        "document": doc.id,
        "version": number,
        "against": old.version if old is not None else None,
        "added": added,
        "removed": removed,
        "unchanged": sum(1 for c in new_cited if identity(c) in old_ids),
    }


def document_diff(
    session: Session, doc_id: str, version: int | None = None, against: int | None = None
) -> dict[str, Any]:
    doc = session.get(Document, doc_id)
    if doc is None:
        raise NotFoundError(
            f"no document with id {doc_id!r}", hint="`citevault documents` lists the ids"
        )
    return version_diff(session, doc, version, against)
