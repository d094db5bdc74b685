"""Health checks of cited URLs: the check queue, what each check saw, each citation's state.

Checks have a queue of their own rather than a kind of capture job: a check
writes no WARC, links no capture and is never reused across documents, so
none of the capture queue's rules (reuse windows, commit after upload) fit it.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from archive.db.base import Base, UTCDateTime, utcnow


class HealthState(enum.StrEnum):
    ALIVE = "alive"
    CHANGED = "changed"
    MOVED = "moved"
    SOFT_404 = "soft-404"
    BLOCKED = "blocked"
    FAILING = "failing"
    DEAD = "dead"


class DriftLabel(enum.StrEnum):
    SAME = "same"
    MINOR = "minor"
    MAJOR = "major"
    OFF_TOPIC = "off-topic"


class CheckJob(Base):
    """One request to check one citation's URL."""

    __tablename__ = "check_jobs"
    __table_args__ = (
        Index(None, "state", "not_before"),
        Index(None, "citation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Unique per (tick, citation): planning one tick twice creates nothing the second time.
    job_key: Mapped[str] = mapped_column(String(128), unique=True)
    citation_id: Mapped[int] = mapped_column(ForeignKey("citations.id", ondelete="CASCADE"))
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id", ondelete="SET NULL"))
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CheckResult(Base):
    """What one check of a cited URL saw, compared with the citation-time capture."""

    __tablename__ = "check_results"
    __table_args__ = (Index(None, "citation_id", "checked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citation_id: Mapped[int] = mapped_column(ForeignKey("citations.id", ondelete="CASCADE"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("check_jobs.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    url: Mapped[str] = mapped_column(Text)
    method: Mapped[str | None] = mapped_column(String(8))
    http_status: Mapped[int | None] = mapped_column(Integer)
    final_url: Mapped[str | None] = mapped_column(Text)
    # Every hop: [{"url", "status"}], the last one the final answer.
    redirect_chain: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    payload_digest: Mapped[str | None] = mapped_column(String(128))
    simhash: Mapped[str | None] = mapped_column(String(16))  # 64 bits, hex
    word_count: Mapped[int | None] = mapped_column(Integer)
    baseline_capture_id: Mapped[int | None] = mapped_column(
        ForeignKey("captures.id", ondelete="SET NULL")
    )
    cosine: Mapped[float | None] = mapped_column(Float)
    word_change: Mapped[float | None] = mapped_column(Float)
    simhash_distance: Mapped[int | None] = mapped_column(Integer)
    drift_label: Mapped[str | None] = mapped_column(String(16))
    soft_404: Mapped[bool | None] = mapped_column()
    # {"quote": "...", "on_capture": bool|None, "on_live": bool} per quoted passage.
    quotes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(16))  # the state this check alone suggests
    detail: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)


class CitationHealth(Base):
    """Each checked citation's current state: one row per citation, updated by each check."""

    __tablename__ = "citation_health"

    citation_id: Mapped[int] = mapped_column(
        ForeignKey("citations.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(16))
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Days apart are counted between failures that count: the last one that did.
    last_counted_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    drift_label: Mapped[str | None] = mapped_column(String(16))
    drift_score: Mapped[float | None] = mapped_column(Float)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_result_id: Mapped[int | None] = mapped_column(
        ForeignKey("check_results.id", ondelete="SET NULL")
    )
