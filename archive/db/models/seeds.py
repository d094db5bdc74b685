"""What seed runs have seen: one row per seed entry, one per run.

An entry row holds the validators (ETag, Last-Modified) of the entry's last
answer, so that seeing it again costs one conditional request, and the digest
of the bytes last stored, so that an answer without validators is still
recognised as unchanged.  ``(seed, url_key)`` is unique: two runs at once
cannot record an entry twice, and the document versions they add are
guarded by ``document_versions``' own unique keys.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive.db.base import Base, UTCDateTime, utcnow


class SeedEntry(Base):
    __tablename__ = "seed_entries"
    __table_args__ = (UniqueConstraint("seed", "url_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The seed's name in its file: entries of one seed are read together.
    seed: Mapped[str] = mapped_column(String(200))
    # SHA-256 of the URL (or the file's path): a URL can be longer than an index allows.
    url_key: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)
    document_id: Mapped[str] = mapped_column(String(200))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SeedRun(Base):
    __tablename__ = "seed_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The seed file's name (a path's last part), or "(request body)".
    source: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))  # running, finished, failed
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
