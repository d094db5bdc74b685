"""Documents, their versions, and what each version cites.

A document id is stable (chosen by the user or derived from the source); each
distinct set of bytes added under it is a new version, so a citation always
belongs to the exact text that made it.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.db.base import Base, UTCDateTime, utcnow


class CitationKind(enum.StrEnum):
    URL = "url"
    DOI = "doi"
    ARXIV = "arxiv"
    NAMED = "named"


class Resolution(enum.StrEnum):
    """Whether a citation has a URL that can be captured."""

    RESOLVED = "resolved"  # it has a URL (as cited, or derived from an identifier)
    CANDIDATE = "candidate"  # a named source with a guessed URL, awaiting confirmation
    UNRESOLVED = "unresolved"  # a named source with no URL yet


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    is_private: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    latest_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.version"
    )


class DocumentVersion(Base):
    __tablename__ = "document_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "version"),
        UniqueConstraint("document_id", "sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str | None] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(32))
    source: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    store_key: Mapped[str] = mapped_column(Text)
    warnings: Mapped[list[str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship(back_populates="versions")
    citations: Mapped[list[Citation]] = relationship(
        back_populates="version", order_by="Citation.ordinal"
    )


class Citation(Base):
    __tablename__ = "citations"
    __table_args__ = (
        UniqueConstraint("version_id", "ordinal"),
        Index(None, "document_id", "version_id"),
        Index(None, "url_normalized"),
        # Resolution suggestions read the named references people resolved:
        # a narrow range of this index, not a scan of every citation.
        Index(None, "kind", "resolution"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"))
    # Denormalised so "what does document X cite" is one indexed lookup.
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    extractor: Mapped[str] = mapped_column(String(64))

    url_as_cited: Mapped[str | None] = mapped_column(Text)
    url_normalized: Mapped[str | None] = mapped_column(Text)
    doi: Mapped[str | None] = mapped_column(String(300))
    arxiv_id: Mapped[str | None] = mapped_column(String(64))
    identifiers: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    anchor_text: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str] | None] = mapped_column(JSON)
    date: Mapped[str | None] = mapped_column(String(64))
    container: Mapped[str | None] = mapped_column(Text)
    access_date: Mapped[str | None] = mapped_column(String(64))
    archive_url: Mapped[str | None] = mapped_column(Text)
    context: Mapped[str | None] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)

    # Named references: a source the text names without a link.
    source_name: Mapped[str | None] = mapped_column(Text)
    date_hint: Mapped[str | None] = mapped_column(String(64))
    candidate_url: Mapped[str | None] = mapped_column(Text)
    source_type: Mapped[str | None] = mapped_column(String(16))
    speaker: Mapped[str | None] = mapped_column(Text)
    speaker_role: Mapped[str | None] = mapped_column(Text)
    work_title: Mapped[str | None] = mapped_column(Text)
    claim: Mapped[str | None] = mapped_column(Text)
    claim_start: Mapped[int | None] = mapped_column(Integer)
    claim_end: Mapped[int | None] = mapped_column(Integer)
    # Every place the document names this source and work: [{start, end, context, extractor}].
    mentions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)

    resolution: Mapped[str] = mapped_column(String(16))
    resolved_url: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[DocumentVersion] = relationship(back_populates="citations")
