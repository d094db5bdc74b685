"""The capture queue, the WARC files in the store, and the captures inside them.

A capture row is written only after the WARC file holding its records is in
the store and verified, so a row never points at bytes that do not exist.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from archive.db.base import Base, UTCDateTime, utcnow


class JobState(enum.StrEnum):
    QUEUED = "queued"
    LEASED = "leased"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class WarcState(enum.StrEnum):
    SPOOLED = "spooled"  # written locally, not yet in the store
    STORED = "stored"  # uploaded and verified


class CaptureJob(Base):
    """One request to capture one URL: the database is the queue."""

    __tablename__ = "capture_jobs"
    __table_args__ = (
        Index(None, "state", "not_before"),
        Index(None, "lease_expires_at"),
        Index(None, "document_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Unique per request: queueing the same request twice is a no-op.
    job_key: Mapped[str] = mapped_column(String(128), unique=True)
    url: Mapped[str] = mapped_column(Text)
    url_normalized: Mapped[str] = mapped_column(Text)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    citation_id: Mapped[int | None] = mapped_column(ForeignKey("citations.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    force: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WarcFile(Base):
    __tablename__ = "warc_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_key: Mapped[str] = mapped_column(String(1024), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    record_count: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default=WarcState.STORED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Capture(Base):
    """One fetched URL: an HTTP exchange in a WARC file, or a failure with its reason."""

    __tablename__ = "captures"
    __table_args__ = (
        Index(None, "surt", "captured_at"),
        Index(None, "payload_digest"),
        Index(None, "url_normalized", "captured_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    url_normalized: Mapped[str] = mapped_column(Text)
    surt: Mapped[str] = mapped_column(Text)
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime)
    http_status: Mapped[int | None] = mapped_column(Integer)
    media_type: Mapped[str | None] = mapped_column(String(255))
    payload_digest: Mapped[str | None] = mapped_column(String(128))
    payload_length: Mapped[int | None] = mapped_column(BigInteger)
    warc_file_id: Mapped[int | None] = mapped_column(ForeignKey("warc_files.id"))
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)
    warc_length: Mapped[int | None] = mapped_column(BigInteger)
    warc_record_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    revisit_of_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id"))
    redirect_to: Mapped[str | None] = mapped_column(Text)
    # "length", "time" or "disconnect" as in WARC-Truncated; None when complete.
    truncated: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    robots_policy: Mapped[str | None] = mapped_column(String(32))
    is_requisite: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Cited, and only by private documents (``access.visible_captures``): hidden
    # from callers without a key.  Kept by database triggers (migration 0004)
    # whatever writes the links or flips a document's privacy; never set it here.
    private_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    job_id: Mapped[int | None] = mapped_column(ForeignKey("capture_jobs.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CitationCapture(Base):
    """Which capture preserves which citation (and whether it was fetched or reused)."""

    __tablename__ = "citation_captures"
    __table_args__ = (Index(None, "capture_id"),)

    citation_id: Mapped[int] = mapped_column(
        ForeignKey("citations.id", ondelete="CASCADE"), primary_key=True
    )
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), primary_key=True)
    how: Mapped[str] = mapped_column(String(16), default="fetched")
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
