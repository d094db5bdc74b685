"""A document's health changes as an Atom feed (RFC 4287): ``/documents/{id}/health.atom``.

Feed readers are how many researchers follow sources, so a citation that
dies or drifts reaches them without a visit to the page.  Entry ids are
derived from the check that made the change (and the feed's own URL), so a
reader polling the feed sees each change once, however often it asks.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from urllib.parse import quote
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from archive.api.reads import key_checker, read, runtime
from archive.api.routes.documents import doc_id_or_400
from archive.db.models import Document
from archive.lookup.health_changes import Change, document_changes

router = APIRouter(include_in_schema=False)

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"


def _stamp(moment: datetime) -> str:
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _entry(feed: ET.Element, base: str, feed_url: str, change: Change) -> None:
    entry = _add(feed, "entry")
    # The feed's URL names the archive and the document; the check's id, the change.
    _add(entry, "id", uuid.uuid5(uuid.NAMESPACE_URL, f"{feed_url}#check-{change.result_id}").urn)
    was = change.old if change.old is not None else "first check"
    _add(entry, "title", f"{change.url}: {was} → {change.new}")
    _add(entry, "updated", _stamp(change.at))
    _add(entry, "category", term=change.new)
    lines = [f"{change.url} is now {change.new} (was {was}), checked {_stamp(change.at)}."]
    if change.detail:
        lines.append(change.detail)
    if change.archived is not None:
        copy = f"{base}/captures/{change.archived.id}"
        when = _stamp(change.archived.captured_at)
        lines.append(f"Archived copy from {when}: {copy}")
        _add(entry, "link", href=copy, rel="alternate", title=f"archived copy from {when}")
    _add(entry, "link", href=change.url, rel="related", title="the cited source")
    _add(entry, "summary", "\n".join(lines))


def atom(base: str, feed_url: str, doc: Document, changes: list[Change]) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", uuid.uuid5(uuid.NAMESPACE_URL, feed_url).urn)
    _add(feed, "title", f"Citation health: {doc.title or doc.id}")
    # With no change yet, the feed is as old as the document rather than "now":
    # a value that moved on every request would make readers think it changed.
    newest = changes[0].at if changes else doc.created_at
    _add(feed, "updated", _stamp(newest))
    _add(feed, "link", href=feed_url, rel="self", type="application/atom+xml")
    _add(feed, "link", href=f"{base}/documents/{quote(doc.id, safe='')}", rel="alternate")
    author = _add(feed, "author")
    _add(author, "name", "citevault")
    _add(feed, "generator", "citevault")
    for change in changes:
        _entry(feed, base, feed_url, change)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


@router.get("/documents/{doc_id}/health.atom")
async def health_feed(request: Request, doc_id: str) -> Response:
    """State changes of the document's cited URLs, newest first (at most 50)."""
    privileged = key_checker(request)
    checked = doc_id_or_400(doc_id)
    settings = runtime(request).settings.health
    base = str(request.base_url).rstrip("/")
    feed_url = f"{base}/documents/{quote(checked, safe='')}/health.atom"

    def work(conn: Connection) -> bytes:
        with Session(conn) as session:
            doc, changes = document_changes(session, checked, settings, privileged=privileged(conn))
            return atom(base, feed_url, doc, changes)

    return Response(await read(request, work), media_type=MEDIA_TYPE)
