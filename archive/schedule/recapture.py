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
from archive.schedule.action import Action


def plan(session: Session, schedule: Schedule, tick_at: datetime) -> int:
    # One query over every target document, read in chunks as the queue takes
    # them (documents in id order, citations in their order, as before): a
    # tick over a million citations holds a chunk of rows, not a million
    # ORM objects, and does not send a query per document.
    query = (
        select(Citation.id, Citation.document_id, Citation.resolved_url, Citation.url_normalized)
        .join(DocumentVersion, DocumentVersion.id == Citation.version_id)
        .join(Document, Document.id == DocumentVersion.document_id)
        .where(
            DocumentVersion.version == Document.latest_version,
            Citation.resolution == Resolution.RESOLVED,
            Citation.resolved_url.is_not(None),
            Citation.resolved_url != "",
        )
        .order_by(Document.id, Citation.ordinal)
    )
    if schedule.document_id is not None:
        query = query.where(Document.id == schedule.document_id)
    rows = session.execute(query, execution_options={"yield_per": 2000})
    wanted = (Wanted(cid, doc, str(url), normalized) for cid, doc, url, normalized in rows)
    queued = queue.queue_citations(
        session, wanted, window=timedelta(0), force=True, tick=(schedule.id, tick_at)
    )
    return len({job.id for job in queued})


ACTION = Action(
    "recapture",
    "capture the resolved citations of the document(s) again (latest version)",
    plan=plan,
)
