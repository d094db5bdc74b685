"""Recurring capture policies; the scheduler turns each due tick into jobs once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from archive.db.base import Base, UTCDateTime, utcnow


class Schedule(Base):
    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # e.g. "new" (uncaptured citations), "retry-failed", "recapture-all"
    policy: Mapped[str] = mapped_column(String(32))
    document_id: Mapped[str | None] = mapped_column(String(200))
    interval_seconds: Mapped[int] = mapped_column(Integer)
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The tick number last turned into jobs; a unique tick makes double-firing detectable.
    last_tick: Mapped[int | None] = mapped_column(Integer)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
