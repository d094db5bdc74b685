"""``recapture``: capture every resolved citation of the document(s) again, whatever
the recapture window says, so that a source is preserved as it changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.capture import queue
from archive.db.models import Citation, Document, DocumentVersion, Schedule
from archive.db.models.documents import Resolution
from archive.schedule.action import Action, target_documents


def plan(session: Session, schedule: Schedule, tick_at: datetime) -> int:
    jobs = 0
    for doc_id in target_documents(session, schedule):
        citations = session.scalars(
            select(Citation)
            .join(DocumentVersion, DocumentVersion.id == Citation.version_id)
            .join(Document, Document.id == DocumentVersion.document_id)
            .where(
                Document.id == doc_id,
                DocumentVersion.version == Document.latest_version,
                Citation.resolution == Resolution.RESOLVED,
                Citation.resolved_url.is_not(None),
            )
            .order_by(Citation.ordinal)
        ).all()
        wanted = [(c, c.resolved_url) for c in citations if c.resolved_url]
        queued = queue.enqueue_citations(
            session, wanted, window=timedelta(0), force=True, tick=(schedule.id, tick_at)
        )
        jobs += len({job.id for job in queued})
    return jobs


ACTION = Action(
    "recapture",
    "capture the resolved citations of the document(s) again (latest version)",
    plan=plan,
)
