"""The list of documents, newest first, for `citevault documents` and `GET /api/documents`."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from archive.db.models import Citation, Document, DocumentVersion
from archive.lookup.access import visible_documents

Listed = tuple[Document, DocumentVersion, int]  # the latest version, its citation count


def list_documents(
    session: Session, *, limit: int, offset: int = 0, privileged: bool = True, q: str | None = None
) -> tuple[int, list[Listed]]:
    """The total and one page, in one query whatever its length; private ones if ``privileged``.

    ``q`` is matched, case-insensitively, anywhere in the id or the title.
    """
    docs = select(Document).where(visible_documents(privileged))
    if q:
        pattern = f"%{q.lower()}%"
        docs = docs.where(
            or_(func.lower(Document.id).like(pattern), func.lower(Document.title).like(pattern))
        )
    total = session.scalar(select(func.count()).select_from(docs.subquery())) or 0
    cited = select(func.count(Citation.id)).where(Citation.version_id == DocumentVersion.id)
    latest = (DocumentVersion.document_id == Document.id) & (
        DocumentVersion.version == Document.latest_version
    )
    rows = session.execute(
        docs.add_columns(DocumentVersion, cited.scalar_subquery())
        .join(DocumentVersion, latest)
        .order_by(Document.updated_at.desc(), Document.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return int(total), [(doc, ver, int(n)) for doc, ver, n in rows]
