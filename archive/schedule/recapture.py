"""``recapture``: capture every resolved citation of the document(s) again, whatever
the recapture window says, so that a source is preserved as it changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.capture import queue
from archive.capture.enqueue import Wanted
from archive.db.models import Citation, Document, DocumentVersion, Schedule
from archive.db.models.documents import Resolution
from archive.schedule.action import Action, Chunk


def expand(
    session: Session, schedule: Schedule, tick_at: datetime, after: int, limit: int
) -> Chunk:
    # Plain rows, not ORM objects, in citation id order: the chunks of a tick
    # go by that key, each resuming after the last id the previous one covered.
    query = (
        select(Citation.id, Citation.document_id, Citation.resolved_url, Citation.url_normalized)
        .join(DocumentVersion, DocumentVersion.id == Citation.version_id)
        .join(Document, Document.id == DocumentVersion.document_id)
        .where(
            Citation.id > after,
            DocumentVersion.version == Document.latest_version,
            Citation.resolution == Resolution.RESOLVED,
            Citation.resolved_url.is_not(None),
            Citation.resolved_url != "",
        )
        .order_by(Citation.id)
        .limit(limit)
    )
    if schedule.document_id is not None:
        query = query.where(Citation.document_id == schedule.document_id)
    rows = session.execute(query).all()
    if not rows:
        return Chunk(0, None, True)
    wanted = [Wanted(cid, doc, str(url), normalized) for cid, doc, url, normalized in rows]
    queued = queue.queue_citations(
        session, wanted, window=timedelta(0), force=True, tick=(schedule.id, tick_at)
    )
    return Chunk(len({job.id for job in queued}), int(rows[-1].id), len(rows) < limit)


ACTION = Action(
    "recapture",
    "capture the resolved citations of the document(s) again (latest version)",
    expand=expand,
)
