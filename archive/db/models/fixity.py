"""Fixity audits: each ``citevault verify`` run, where it got to, and what it found.

A run over a large store takes hours; it records its cursor after every
object, so an interrupted run goes on where it stopped instead of reading
terabytes again, and a scheduled run asked twice for the same tick (the
scheduler died and ran the tick again) finds its own row by ``run_key``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from archive.db.base import Base, UTCDateTime, utcnow


class VerifyRun(Base):
    __tablename__ = "verify_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Set by scheduled runs (one per tick); None for runs started from the command line.
    run_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # Fraction of objects whose bytes are read (1.0: all); which ones is fixed
    # by ``seed``, so a resumed run keeps the sample it started with.
    sample: Mapped[float] = mapped_column(Float)
    seed: Mapped[str] = mapped_column(String(32))
    # "running" or "finished".
    state: Mapped[str] = mapped_column(String(16), default="running")
    # The step under way ("warc_files", "documents", "orphans") and the last
    # row id of that step whose check is committed.
    phase: Mapped[str] = mapped_column(String(16), default="warc_files")
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    objects_checked: Mapped[int] = mapped_column(Integer, default=0)
    bytes_checked: Mapped[int] = mapped_column(BigInteger, default=0)
    records_checked: Mapped[int] = mapped_column(Integer, default=0)
    keys_listed: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class VerifyFinding(Base):
    """One problem a run found: an object missing, corrupt or orphaned, or a bad record."""

    __tablename__ = "verify_findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("verify_runs.id", ondelete="CASCADE"), index=True
    )
    # "missing", "corrupt" or "orphaned".
    problem: Mapped[str] = mapped_column(String(16))
    # "warc_file", "capture", "document_version" or "object" (an orphan has no row).
    subject: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[int | None] = mapped_column(Integer)
    store_key: Mapped[str] = mapped_column(String(1024))
    detail: Mapped[str] = mapped_column(Text)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
