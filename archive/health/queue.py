"""The check queue: leasing due check jobs, as ``archive.capture.queue`` does for captures.

A check that cannot reach its URL still finishes: the failure is what it
found, stored as a result.  Only a worker that dies mid-check leaves a job
behind; its lease expires and the job is due again, until its attempts run out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from archive.db.models import CheckJob
from archive.db.models.captures import JobState

LEASE_SECONDS = 300
MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class CheckSpec:
    job_id: int
    citation_id: int
    document_id: str
    url: str
    schedule_id: int | None = None


def _due(now: datetime) -> ColumnElement[bool]:
    expired = and_(
        CheckJob.state == JobState.LEASED,
        CheckJob.lease_expires_at < now,
        CheckJob.attempts < MAX_ATTEMPTS,
    )
    return or_(and_(CheckJob.state == JobState.QUEUED, CheckJob.not_before <= now), expired)


def lease(
    session: Session,
    owner: str,
    limit: int,
    now: datetime,
    *,
    document_id: str | None = None,
    lease_seconds: int = LEASE_SECONDS,
) -> list[CheckSpec]:
    """Lease up to ``limit`` due check jobs to ``owner``; commits."""
    session.execute(
        update(CheckJob)
        .where(
            CheckJob.state == JobState.LEASED,
            CheckJob.lease_expires_at < now,
            CheckJob.attempts >= MAX_ATTEMPTS,
        )
        .values(
            state=JobState.FAILED,
            reason="the worker holding this check stopped before finishing, on every attempt",
            lease_owner=None,
            updated_at=now,
        )
    )
    pick = select(CheckJob.id).where(_due(now))
    if document_id is not None:
        pick = pick.where(CheckJob.document_id == document_id)
    pick = pick.order_by(CheckJob.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    rows = session.execute(
        update(CheckJob)
        .where(CheckJob.id.in_(pick.scalar_subquery()))
        .values(
            state=JobState.LEASED,
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            attempts=CheckJob.attempts + 1,
            updated_at=now,
        )
        .returning(
            CheckJob.id,
            CheckJob.citation_id,
            CheckJob.document_id,
            CheckJob.url,
            CheckJob.schedule_id,
        )
    ).all()
    session.commit()
    return [
        CheckSpec(r.id, r.citation_id, r.document_id, r.url, r.schedule_id) for r in sorted(rows)
    ]


def due_count(session: Session, now: datetime, *, document_id: str | None = None) -> int:
    query = select(func.count()).select_from(CheckJob).where(_due(now))
    if document_id is not None:
        query = query.where(CheckJob.document_id == document_id)
    return int(session.scalar(query) or 0)
