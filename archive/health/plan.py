"""Turning a tick into check jobs: one per cited URL, once per tick.

The scheduler calls ``plan_check_chunk`` for each chunk of citations of a
``check`` tick, a transaction each: the job key is the tick key and the
citation, and the insert skips keys that exist, so a chunk planned twice
(two schedulers, a retry after a crash) creates its jobs once.  On PostgreSQL
the server computes the keys and copies the rows itself, a chunk a statement.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Integer, Select, Text, and_, cast, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from archive.clock import Clock, SystemClock
from archive.db.base import UTCDateTime
from archive.db.models import CheckJob, Citation, Document, DocumentVersion
from archive.db.models.captures import JobState
from archive.db.models.documents import Resolution
from archive.errors import NotFoundError

_BATCH = 5000


def job_key(tick_key: str, citation_id: int) -> str:
    return hashlib.sha256(f"check|{tick_key}|{citation_id}".encode()).hexdigest()


def checked_citations(document_id: str | None) -> Select[int, str, str | None]:
    """The citations a check covers: each document's latest version, those with a URL."""
    latest = and_(
        DocumentVersion.document_id == Document.id,
        DocumentVersion.version == Document.latest_version,
    )
    query = (
        select(Citation.id, Citation.document_id, Citation.resolved_url)
        .join(DocumentVersion, Citation.version_id == DocumentVersion.id)
        .join(Document, latest)
        .where(Citation.resolution == Resolution.RESOLVED, Citation.resolved_url.is_not(None))
        .order_by(Citation.id)
    )
    if document_id is not None:
        query = query.where(Citation.document_id == document_id)
    return query


class Planned(NamedTuple):
    """One chunk of a plan: jobs it created, the last citation id it covered, citations seen."""

    created: int
    through: int | None
    seen: int


def plan_checks(
    session: Session,
    *,
    document_id: str | None,
    tick_key: str,
    schedule_id: int | None,
    clock: Clock | None = None,
) -> int:
    """Queue a check of every cited URL of the document (of all documents when None).

    Runs in the caller's transaction and does not commit; returns how many
    jobs this call created (0 when the tick was planned before).  A schedule's
    tick does not come here: the scheduler writes it a chunk a transaction
    (``plan_check_chunk``), so that no transaction holds a million rows.
    """
    if document_id is not None and session.get(Document, document_id) is None:
        raise NotFoundError(
            f"no document with id {document_id!r}",
            hint="`citevault documents` lists the ids; `citevault add` adds a document",
        )
    now = (clock or SystemClock()).now()
    created = 0
    after = 0
    while True:
        chunk = plan_check_chunk(
            session,
            document_id=document_id,
            tick_key=tick_key,
            schedule_id=schedule_id,
            now=now,
            after=after,
            limit=_BATCH,
        )
        created += chunk.created
        if chunk.through is None or chunk.seen < _BATCH:
            return created
        after = chunk.through


def plan_check_chunk(
    session: Session,
    *,
    document_id: str | None,
    tick_key: str,
    schedule_id: int | None,
    now: datetime,
    after: int,
    limit: int,
) -> Planned:
    """The check jobs of the next ``limit`` citations with an id above ``after``.

    A key that exists is skipped, so a chunk written again (a scheduler that
    died before recording it, a second one resuming) creates nothing twice.
    """
    if session.get_bind().dialect.name == "postgresql":
        return _chunk_in_postgres(session, document_id, tick_key, schedule_id, now, after, limit)
    batch = session.execute(
        checked_citations(document_id).where(Citation.id > after).limit(limit)
    ).all()
    if not batch:
        return Planned(0, None, 0)
    values = [
        {
            "job_key": job_key(tick_key, cid),
            "citation_id": cid,
            "document_id": doc_id,
            "url": url,
            "state": JobState.QUEUED,
            "schedule_id": schedule_id,
            "attempts": 0,
            "not_before": now,
            "created_at": now,
            "updated_at": now,
        }
        for cid, doc_id, url in batch
    ]
    created = _insert(session, sqlite_insert, values)
    return Planned(created, int(batch[-1].id), len(batch))


_COLUMNS = [
    "job_key",
    "citation_id",
    "document_id",
    "url",
    "state",
    "schedule_id",
    "attempts",
    "not_before",
    "created_at",
    "updated_at",
]


def _chunk_in_postgres(
    session: Session,
    document_id: str | None,
    tick_key: str,
    schedule_id: int | None,
    now: datetime,
    after: int,
    limit: int,
) -> Planned:
    """The same jobs in one INSERT ... SELECT that PostgreSQL runs alone.

    The key is ``job_key`` computed by the server (``sha256`` of the same
    text, hex-encoded), so no citation travels to Python and back.
    """
    batch = checked_citations(document_id).where(Citation.id > after).limit(limit).cte("batch")
    text = func.concat(f"check|{tick_key}|", cast(batch.c.id, Text))
    key = func.encode(func.sha256(func.convert_to(text, "UTF8")), "hex")
    rows = select(
        key,
        batch.c.id,
        batch.c.document_id,
        batch.c.resolved_url,
        literal(str(JobState.QUEUED)),
        literal(schedule_id, Integer),
        literal(0),
        literal(now, UTCDateTime),
        literal(now, UTCDateTime),
        literal(now, UTCDateTime),
    )
    inserted = (
        pg_insert(CheckJob)
        .from_select(_COLUMNS, rows)
        .on_conflict_do_nothing(index_elements=["job_key"])
        .returning(CheckJob.id)
        .cte("inserted")
    )
    last, seen, count = session.execute(
        select(
            select(func.max(batch.c.id)).scalar_subquery(),
            select(func.count()).select_from(batch).scalar_subquery(),
            select(func.count()).select_from(inserted).scalar_subquery(),
        )
    ).one()
    return Planned(int(count), None if last is None else int(last), int(seen))


def _insert(session: Session, insert: Any, values: list[dict[str, Any]]) -> int:
    """Insert the jobs whose key is new; the number inserted."""
    stmt = insert(CheckJob).on_conflict_do_nothing(index_elements=["job_key"])
    return len(session.execute(stmt.returning(CheckJob.id), values).all())
