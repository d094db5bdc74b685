"""Who may see what: private documents, and the captures that only they cite.

A private document's citations and captures are visible only to callers with
an API key; to everyone else they do not exist (404, not 403, so their
existence is not disclosed).  A capture is private when every citation linked
to it belongs to a private document; captures made ad hoc or as page
requisites are public.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db.models import Capture, Citation, CitationCapture, Document
from archive.errors import NotFoundError


def visible_document(session: Session, doc_id: str, *, privileged: bool) -> Document:
    doc = session.get(Document, doc_id)
    if doc is None or (doc.is_private and not privileged):
        raise NotFoundError(f"no document with id {doc_id!r}")
    return doc


def capture_is_private(session: Session, capture_id: int) -> bool:
    flags = (
        session.execute(
            select(Document.is_private)
            .join(Citation, Citation.document_id == Document.id)
            .join(CitationCapture, CitationCapture.citation_id == Citation.id)
            .where(CitationCapture.capture_id == capture_id)
        )
        .scalars()
        .all()
    )
    return bool(flags) and all(flags)


def visible_capture(session: Session, capture_id: int, *, privileged: bool) -> Capture:
    capture = session.get(Capture, capture_id)
    if capture is None or (not privileged and capture_is_private(session, capture_id)):
        raise NotFoundError(f"no capture with id {capture_id}")
    return capture
