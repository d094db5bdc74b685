"""Who may see what: private documents, and the captures that only they cite.

A private document's citations and captures are visible only to callers with
an API key; to everyone else they do not exist (404, not 403, so their
existence is not disclosed).  A capture is private when every citation linked
to it belongs to a private document; captures made ad hoc or as page
requisites are public.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Integer, Select, bindparam, select
from sqlalchemy.orm import Session

from archive.db.base import MAX_ROW_ID
from archive.db.models import Capture, Citation, CitationCapture, Document, WarcFile
from archive.errors import NotFoundError
from archive.lookup.memento import visible_clause


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
    capture = session.get(Capture, capture_id) if 0 < capture_id <= MAX_ROW_ID else None
    if capture is None or (not privileged and capture_is_private(session, capture_id)):
        raise NotFoundError(f"no capture with id {capture_id}")
    return capture


@dataclass(frozen=True, slots=True)
class RecordLocation:
    """Where a visible capture's WARC record is: all ``GET .../warc`` needs of the database."""

    id: int
    store_key: str | None
    offset: int | None
    length: int | None
    error: str | None


@functools.cache
def _location(privileged: bool) -> Select[Any]:
    cap = Capture.__table__.c
    stmt = (
        select(cap.id, WarcFile.__table__.c.store_key, cap.warc_offset, cap.warc_length, cap.error)
        .select_from(Capture.__table__)
        .outerjoin(WarcFile.__table__, WarcFile.__table__.c.id == cap.warc_file_id)
        .where(cap.id == bindparam("capture_id", type_=Integer))
    )
    return stmt if privileged else stmt.where(visible_clause())


def record_location_query(
    capture_id: int, *, privileged: bool
) -> tuple[Select[Any], dict[str, Any]]:
    """The statement behind ``record_location``, for callers that run it themselves."""
    if not 0 < capture_id <= MAX_ROW_ID:
        raise NotFoundError(f"no capture with id {capture_id}")
    return _location(privileged), {"capture_id": capture_id}


def located(capture_id: int, rows: Sequence[Sequence[Any]]) -> RecordLocation:
    if not rows:
        raise NotFoundError(f"no capture with id {capture_id}")
    return RecordLocation(*rows[0])


def record_location(conn: Connection, capture_id: int, *, privileged: bool) -> RecordLocation:
    """``visible_capture`` and its WARC file in one statement, for the hot download path."""
    stmt, params = record_location_query(capture_id, privileged=privileged)
    return located(capture_id, conn.execute(stmt, params).all())
