"""Who may see what: private documents, and the captures that only they cite.

A private document's citations and captures are visible only to callers with
an API key; to everyone else they do not exist (404, not 403, so their
existence is not disclosed).  A capture is private when every citation linked
to it belongs to a private document; captures made ad hoc or as page
requisites are public.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Integer, Select, bindparam, select, true
from sqlalchemy.orm import Session

from archive.db.base import MAX_ROW_ID
from archive.db.models import Capture, Document, WarcFile
from archive.errors import NotFoundError


def visible_documents(privileged: bool) -> ColumnElement[bool]:
    """Documents a caller may see: all of them with a key, the public ones without."""
    return true() if privileged else Document.is_private.is_(False)


def visible_captures(privileged: bool) -> ColumnElement[bool]:
    """Captures a caller may see, the rule of every read: without a key, those not private.

    Worked out per row, "private" is three index probes (links, citations,
    documents); triggers keep it in ``captures.private_only`` (migration 0004)
    so the filter reads a column of a row being read anyway.
    """
    return true() if privileged else Capture.private_only.is_(False)


def visible_document(session: Session, doc_id: str, *, privileged: bool) -> Document:
    stmt = select(Document).where(Document.id == doc_id, visible_documents(privileged))
    if (doc := session.scalar(stmt)) is None:
        raise NotFoundError(f"no document with id {doc_id!r}")
    return doc


def visible_capture(session: Session, capture_id: int, *, privileged: bool) -> Capture:
    stmt = select(Capture).where(Capture.id == capture_id, visible_captures(privileged))
    if (cap := session.scalar(stmt) if 0 < capture_id <= MAX_ROW_ID else None) is None:
        raise NotFoundError(f"no capture with id {capture_id}")
    return cap


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
    return (
        select(cap.id, WarcFile.__table__.c.store_key, cap.warc_offset, cap.warc_length, cap.error)
        .select_from(Capture.__table__)
        .outerjoin(WarcFile.__table__, WarcFile.__table__.c.id == cap.warc_file_id)
        .where(cap.id == bindparam("capture_id", type_=Integer), visible_captures(privileged))
    )


def record_location(conn: Connection, capture_id: int, *, privileged: bool) -> RecordLocation:
    """``visible_capture`` and its WARC file in one statement, for the hot download path."""
    row = None
    if 0 < capture_id <= MAX_ROW_ID:
        row = conn.execute(_location(privileged), {"capture_id": capture_id}).first()
    if row is None:
        raise NotFoundError(f"no capture with id {capture_id}")
    return RecordLocation(*row)
