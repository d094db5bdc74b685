"""Attaching a URL to a named reference, after a person has found the source.

A named reference ("told the Times of Israel") is stored without a URL rather
than dropped; once someone supplies the article's URL it becomes an ordinary
resolved citation and is queued for capture like any other.
"""

from __future__ import annotations

from datetime import timedelta

from archive.capture import queue
from archive.db.base import MAX_ROW_ID, utcnow
from archive.db.models import Citation
from archive.db.models.documents import CitationKind, Resolution
from archive.errors import InputError, NotFoundError
from archive.extract.urls import normalize_url
from archive.net.policy import check_url
from archive.runtime import Runtime


def resolve_citation(rt: Runtime, citation_id: int, url: str) -> tuple[Citation, bool]:
    """Set the URL of a named reference; returns the citation and whether a job was queued."""
    check_url(url, block_private=False)  # scheme and host only; the crawl applies the policy
    normalized = normalize_url(url)
    with rt.sessions()() as session, session.begin():
        citation = (
            session.get(Citation, citation_id, with_for_update=True)
            if 0 < citation_id <= MAX_ROW_ID
            else None
        )
        if citation is None:
            raise NotFoundError(
                f"no citation with id {citation_id}",
                hint="`citevault citations DOC_ID` shows citation ids",
            )
        if citation.kind != CitationKind.NAMED:
            raise InputError(
                f"citation {citation_id} is a {citation.kind} citation with its own URL; "
                "only named references take a URL",
            )
        citation.resolution = Resolution.RESOLVED
        citation.resolved_url = url
        citation.url_normalized = normalized
        citation.resolved_at = utcnow()
        session.flush()
        job = queue.enqueue_citation(
            session, citation, url, window=timedelta(hours=rt.settings.recapture_window_hours)
        )
        return citation, job.state == "queued"
