"""``refetch``: fetch a document added from a URL again; new bytes are a new version.

The fetch and the extraction are the ones ``citevault add URL`` runs
(``read_url``, ``add_document``), and what makes a rerun harmless is theirs
too: a version is unique per (document, sha256), so bytes fetched twice by
a tick that is run again are one version, and the same bytes as any earlier
version add nothing.  Fetching runs for as long as the network takes, so the
tick's lease is renewed before each fetch and again before its bytes are
written: a scheduler whose tick was taken over meanwhile writes nothing, and
one tick's versions come from one scheduler even when the page changed
between the two fetches.
"""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db.models import Document, DocumentVersion, Schedule
from archive.errors import CitevaultError, FetchError, InputError
from archive.ingest.service import add_document
from archive.ingest.source import read_url
from archive.runtime import Runtime
from archive.schedule.action import Action, target_documents
from archive.schedule.lease import TickLease
from archive.settings import Settings

log = logging.getLogger(__name__)


def source_url(session: Session, doc_id: str) -> str | None:
    """The http(s) URL the document's latest version was read from, if it was."""
    source = session.scalar(
        select(DocumentVersion.source)
        .join(Document, Document.id == DocumentVersion.document_id)
        .where(Document.id == doc_id, DocumentVersion.version == Document.latest_version)
    )
    if source and urlsplit(source).scheme.lower() in ("http", "https"):
        return source
    return None


def validate(session: Session, schedule: Schedule) -> None:
    if schedule.document_id is not None and source_url(session, schedule.document_id) is None:
        raise InputError(
            f"document {schedule.document_id!r} was not added from a URL: there is nothing "
            "to fetch again",
            hint="refetch works on documents added with `citevault add https://…`; "
            "add its new bytes with `citevault add FILE --id ID` instead",
        )


def run(settings: Settings, schedule: Schedule, tick_at: datetime, lease: TickLease) -> None:
    rt = Runtime(settings)
    failures: list[str] = []
    try:
        with rt.sessions()() as session:
            urls = {d: source_url(session, d) for d in target_documents(session, schedule)}
        for doc_id, url in urls.items():
            if url is None:
                continue
            lease.renew()  # the lease runs from here for this document's fetch
            try:
                src = read_url(url, settings)
            except CitevaultError as exc:
                failures.append(f"{doc_id}: {exc.message}")
                continue
            # A fetch that outlived the lease may have been taken over: then the
            # other scheduler writes this tick's versions, and this one stops.
            lease.renew()
            try:
                result = add_document(rt, src, doc_id=doc_id, tick=(schedule.id, tick_at))
            except CitevaultError as exc:
                failures.append(f"{doc_id}: {exc.message}")
                continue
            if result.created:
                log.info("%s: new version %d from %s", doc_id, result.version, url)
    finally:
        rt.close()
    if failures:
        raise FetchError(
            f"refetch failed for {len(failures)} document(s): " + "; ".join(failures),
            hint="the next tick tries again; `citevault schedule list` shows the last error",
        )


ACTION = Action(
    "refetch",
    "fetch the document(s) added from a URL again; new bytes become a new version",
    run=run,
    validate=validate,
)
