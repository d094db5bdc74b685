"""The CDXJ index the replay engine reads: the index engine's answer, in pywb's format.

pywb asks "captures of this URL, closest to this time" for the page and for
every requisite.  The answer is ``lookup.cdx``'s, as for the CDX API, read as
an anonymous caller, so a capture that only private documents cite is not in
the engine's index at all.  Each line points at one capture's own WARC record
by capture id (``filename`` is the id, ``offset`` 0), which the feed serves
with the same access rules as the API; so the engine never learns where WARC
files live and needs no credentials for the store.  A revisit is answered
with the record it revisits as the payload (``orig.*``), which is how pywb's
own CDX server resolves revisits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db.models import Capture
from archive.errors import InputError
from archive.lookup import cdx
from archive.lookup.cdx import IndexLine

MAX_LIMIT = 10_000


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


def _has_record(line: IndexLine) -> bool:
    return line.filename is not None and line.warc_offset is not None and bool(line.warc_length)


def lookup(session: Session, query: Query) -> list[IndexLine]:
    """What pywb may replay, in index order, or nearest ``closest`` first."""
    if query.match_type not in cdx.MATCH_TYPES:
        raise InputError(f"matchType must be one of {', '.join(cdx.MATCH_TYPES)}")
    try:
        rng = cdx.surt_range(query.url, query.match_type)
    except InputError:
        return []  # no SURT key: nothing is archived under this URL
    bounds = cdx.Bounds(privileged=False)
    when = _closeness(query.closest)
    lines = (
        cdx.scan(session, rng, bounds) if when is None else cdx.closest(session, rng, when, bounds)
    )
    return list(islice(filter(_has_record, lines), max(1, min(query.limit, MAX_LIMIT))))


def originals(session: Session, lines: Iterable[IndexLine]) -> dict[int, tuple[str | None, int]]:
    """The media type and record length of each revisited capture that has a record."""
    ids = {line.revisit_of_id for line in lines if line.revisit_of_id is not None}
    if not ids:
        return {}
    stmt = select(Capture.id, Capture.media_type, Capture.warc_length).where(Capture.id.in_(ids))
    return {ident: (mime, length) for ident, mime, length in session.execute(stmt) if length}


def cdxj_line(line: IndexLine, original: tuple[str | None, int] | None = None) -> str:
    fields: dict[str, str] = {
        "url": line.url,
        "mime": line.media_type or "unk",
        "status": str(line.http_status),
        "digest": line.payload_digest or "-",
        "length": str(line.warc_length),
        "offset": "0",
        "filename": str(line.id),
    }
    if line.revisit_of_id is not None:
        if original is None:
            fields["mime"] = "warc/revisit"
        else:
            fields["mime"] = original[0] or fields["mime"]
            fields["orig.filename"] = str(line.revisit_of_id)
            fields["orig.offset"] = "0"
            fields["orig.length"] = str(original[1])
    return f"{line.surt} {timestamp(line.captured_at)} {json.dumps(fields)}"


def cdxj(session: Session, query: Query) -> str:
    found = lookup(session, query)
    origs = originals(session, found)
    lines = [cdxj_line(line, origs.get(line.revisit_of_id or -1)) for line in found]
    return "".join(line + "\n" for line in lines)
