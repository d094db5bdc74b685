"""Rows that many tests start from: a document whose version cites some URLs.

Written straight to the database, without extraction or the store, for tests
of what comes after ingest (the queue, the commit, privacy flags, lookups).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.db.models import Citation, Document, DocumentVersion


def cite(
    s: Session, doc_id: str, urls: Sequence[str | None], *, private: bool = False
) -> list[Citation]:
    """Citations of ``urls`` (None: a citation without a URL) added to version 1 of ``doc_id``.

    The document and its version are made on first use, private or not; later
    calls append citations after the ones it has.
    """
    if s.get(Document, doc_id) is None:
        s.add(Document(id=doc_id, is_private=private))
        s.add(
            DocumentVersion(
                document_id=doc_id,
                version=1,
                sha256="0" * 64,
                size=1,
                format="text",
                store_key=f"documents/{doc_id}",
            )
        )
        s.flush()
    version = s.scalars(
        select(DocumentVersion).where(
            DocumentVersion.document_id == doc_id, DocumentVersion.version == 1
        )
    ).one()
    start = s.scalar(select(func.count()).where(Citation.version_id == version.id)) or 0
    rows = [
        Citation(
            version_id=version.id,
            document_id=doc_id,
            ordinal=start + n,
            kind="url",
            extractor="text",
            url_as_cited=url,
            url_normalized=url,
            resolution="resolved",
            resolved_url=url,
        )
        for n, url in enumerate(urls)
    ]
    s.add_all(rows)
    s.flush()
    return rows
