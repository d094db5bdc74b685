"""The CDXJ index the replay engine reads, computed from the database per lookup.

pywb asks "captures of this URL, closest to this time" for the page and for
every requisite.  Each answer line points at one capture's own WARC record by
capture id (``filename`` is the id, ``offset`` 0), which the feed serves with
the same access rules as the API; so the engine never learns where WARC files
live, needs no credentials for the store, and a capture that only private
documents cite is not in its index at all.  A revisit is answered with the
record it revisits as the payload (``orig.*``), which is how pywb's own CDX
server resolves revisits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import surt
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db.models import Capture, Citation, CitationCapture, Document

MAX_LIMIT = 10_000
MATCH_TYPES = ("exact", "prefix", "host", "domain")


@dataclass(frozen=True, slots=True)
class Query:
    url: str
    match_type: str = "exact"
    closest: str | None = None
    limit: int = 1000


def timestamp(when: datetime) -> str:
    """A 14-digit CDX timestamp in UTC."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y%m%d%H%M%S")


def _key(url: str) -> str:
    try:
        return str(surt.surt(url))
    except Exception:  # the same fallback the capture side uses for odd URLs
        return url


def _key_prefix(url: str, match_type: str) -> str:
    key = _key(url)
    host, sep, _ = key.partition(")/")
    if match_type == "host" and sep:
        return host + ")/"
    if match_type == "domain" and sep:
        return host.split(":", 1)[0]
    return key


def replayable(session: Session, captures: Sequence[Capture]) -> list[Capture]:
    """Captures that have a record and that an anonymous reader may see."""
    with_record = [
        c
        for c in captures
        if c.warc_file_id is not None
        and c.warc_offset is not None
        and c.warc_length
        and c.http_status is not None
    ]
    if not with_record:
        return []
    flags: dict[int, list[bool]] = {}
    rows = session.execute(
        select(CitationCapture.capture_id, Document.is_private)
        .join(Citation, Citation.id == CitationCapture.citation_id)
        .join(Document, Document.id == Citation.document_id)
        .where(CitationCapture.capture_id.in_([c.id for c in with_record]))
    ).all()
    for capture_id, private in rows:
        flags.setdefault(capture_id, []).append(bool(private))
    # Private means: cited, and cited only by private documents (lookup.access).
    return [c for c in with_record if not (flags.get(c.id) and all(flags[c.id]))]


def _closeness(closest: str | None) -> datetime | None:
    if not closest:
        return None
    digits = "".join(ch for ch in closest if ch.isdigit())[:14]
    if len(digits) < 4:
        return None
    padded = digits + "00000101000000"[len(digits) :]
    try:
        return datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def lookup(session: Session, query: Query) -> list[Capture]:
    if query.match_type not in MATCH_TYPES:
        raise ValueError(f"matchType must be one of {', '.join(MATCH_TYPES)}")
    limit = max(1, min(query.limit, MAX_LIMIT))
    stmt = select(Capture)
    if query.match_type == "exact":
        stmt = stmt.where(Capture.surt == _key(query.url))
    else:
        stmt = stmt.where(
            Capture.surt.startswith(_key_prefix(query.url, query.match_type), autoescape=True)
        )
    target = _closeness(query.closest)
    # Without a target time, the newest captures are the ones worth keeping.
    stmt = stmt.order_by(Capture.captured_at.desc(), Capture.id.desc()).limit(MAX_LIMIT)
    found = replayable(session, list(session.scalars(stmt)))
    if target is not None:
        found.sort(key=lambda c: (abs((_aware(c.captured_at) - target).total_seconds()), -c.id))
    else:
        found.sort(key=lambda c: (c.surt, _aware(c.captured_at), c.id))
    return found[:limit]


def originals(session: Session, captures: Iterable[Capture]) -> dict[int, Capture]:
    ids = {c.revisit_of_id for c in captures if c.revisit_of_id is not None}
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(select(Capture).where(Capture.id.in_(ids)))}


def cdxj_line(capture: Capture, original: Capture | None = None) -> str:
    fields: dict[str, str] = {
        "url": capture.url,
        "mime": capture.media_type or "unk",
        "status": str(capture.http_status),
        "digest": capture.payload_digest or "-",
        "length": str(capture.warc_length),
        "offset": "0",
        "filename": str(capture.id),
    }
    if capture.revisit_of_id is not None:
        if original is None or not original.warc_length:
            fields["mime"] = "warc/revisit"
        else:
            fields["mime"] = original.media_type or fields["mime"]
            fields["orig.filename"] = str(original.id)
            fields["orig.offset"] = "0"
            fields["orig.length"] = str(original.warc_length)
    return f"{capture.surt} {timestamp(capture.captured_at)} {json.dumps(fields)}"


def cdxj(session: Session, query: Query) -> str:
    found = lookup(session, query)
    origs = originals(session, found)
    lines = [cdxj_line(c, origs.get(c.revisit_of_id or -1)) for c in found]
    return "".join(line + "\n" for line in lines)
