"""Attaching a URL to a named reference, after a person has found the source.

A named reference ("told the Times of Israel") is stored without a URL rather
than dropped; once someone supplies the article's URL it becomes an ordinary
resolved citation and is queued for capture like any other.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from archive.capture import queue
from archive.db.base import MAX_ROW_ID, utcnow
from archive.db.models import Citation
from archive.db.models.documents import CitationKind, Resolution
from archive.errors import InputError, NotFoundError
from archive.extract.urlforms import normalize_url
from archive.lookup.access import visible_document
from archive.net.policy import check_url
from archive.runtime import Runtime


def named_citation(
    session: Session,
    citation_id: int,
    *,
    privileged: bool = True,
    for_update: bool = False,
    wanted: str = "take a URL",
) -> Citation:
    """The named reference ``citation_id``, as the caller may see it.

    A private document's reference does not exist for a caller without access,
    like the document itself, so both cases give the same error.
    """
    citation = (
        session.get(Citation, citation_id, with_for_update=for_update)
        if 0 < citation_id <= MAX_ROW_ID
        else None
    )
    if citation is not None and not privileged:
        try:
            visible_document(session, citation.document_id, privileged=False)
        except NotFoundError:
            citation = None
    if citation is None:
        raise NotFoundError(
            f"no citation with id {citation_id}",
            hint="`citevault citations DOC_ID` shows citation ids",
        )
    if citation.kind != CitationKind.NAMED:
        raise InputError(
            f"citation {citation_id} is a {citation.kind} citation with its own URL; "
            f"only named references {wanted}",
            hint="named references are the citations of kind 'named' in `citevault citations`",
        )
    return citation


def resolve_citation(rt: Runtime, citation_id: int, url: str) -> tuple[Citation, bool]:
    """Set the URL of a named reference; returns the citation and whether a job was queued."""
    check_url(url, block_private=False)  # scheme and host only; the crawl applies the policy
    normalized = normalize_url(url)
    with rt.sessions()() as session, session.begin():
        citation = named_citation(session, citation_id, for_update=True)
        citation.resolution = Resolution.RESOLVED
        citation.resolved_url = url
        citation.url_normalized = normalized
        citation.resolved_at = utcnow()
        session.flush()
        job = queue.enqueue_citation(
            session, citation, url, window=timedelta(hours=rt.settings.recapture_window_hours)
        )
        return citation, job.state == "queued"
