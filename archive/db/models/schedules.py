"""Recurring work on documents, and the ticks of it that have been claimed.

A schedule says *when* (a cron expression in a timezone) and *what* (an
action from ``archive.schedule.actions`` with its options).  A tick is claimed
by inserting its ``schedule_ticks`` row: the unique (schedule, tick time) key
is what makes a tick's jobs exist once however many schedulers run, since
the jobs are written in the transaction that inserts the row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from archive.db.base import Base, UTCDateTime, utcnow


class Schedule(Base):
    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    cron: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    action: Mapped[str] = mapped_column(String(32))
    # None: every document.
    document_id: Mapped[str | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # "run-once" or "skip": what a scheduler that was down does with the tick it missed.
    missed: Mapped[str] = mapped_column(String(16), default="run-once", server_default="run-once")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Ticks at or before this time are never due: set on creation and on resume,
    # so that the ticks of a pause are not taken for ticks a scheduler missed.
    active_since: Mapped[datetime] = mapped_column(UTCDateTime)
    webhook_url: Mapped[str | None] = mapped_column(Text)
    webhook_secret: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ScheduleTick(Base):
    """One claimed tick: its jobs written chunk by chunk after the claim, or a runner's work."""

    __tablename__ = "schedule_ticks"
    __table_args__ = (
        UniqueConstraint("schedule_id", "tick_at"),
        Index(None, "finished_at", "lease_expires_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    tick_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str] = mapped_column(String(200))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    jobs: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A runner's part: started (and leased to whoever started it), then finished.
    # A tick past its lease and not finished belongs to a scheduler that died.
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    # The last citation id whose jobs are written (NULL: none yet): the jobs of
    # a tick go in chunks, each committed with this mark, so a scheduler that
    # takes the tick over resumes after it.  ``jobs`` counts those written.
    planned_through: Mapped[int | None] = mapped_column(Integer)


class WebhookDelivery(Base):
    """One signed POST owed to a schedule's webhook: queued with the change it reports.

    The row is written in the transaction that moves the citation's health
    state, so a change is never lost; ``delivery_key`` (schedule and check
    result) makes the same change queued twice a conflict, and senders lease
    rows as workers lease jobs, so two senders never post the same row.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index(None, "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_key: Mapped[str] = mapped_column(String(64), unique=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("schedules.id", ondelete="CASCADE"), index=True
    )
    citation_id: Mapped[int | None] = mapped_column(ForeignKey("citations.id", ondelete="SET NULL"))
    event: Mapped[str] = mapped_column(String(32))
    # The exact bytes posted (and signed), kept so every retry sends the same body.
    body: Mapped[str] = mapped_column(Text)
    # queued, leased, delivered or failed (given up).
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
