"""Which WARC records make up the archived copy of everything a document cites.

A citation's capture alone does not show the page as it was: the page also
needs its requisites (images, CSS, scripts), the redirect hops that led to
it, and for revisit records the original record holding the payload.  The
database links citations to final captures only; what else a page needed is
named by the job's metadata record in the WARC file (see
``archive.capture.contract``), so that record is found and read.

Nothing from another document goes in: metadata records of other documents'
jobs are left out, and without a privileged caller so is any capture that
only private documents cite (the rules of ``archive.lookup.access``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.capture import jobmeta
from archive.capture.indexer import parse_warc_date
from archive.db.models import Capture, Citation, CitationCapture, Document, WarcFile
from archive.export.scan import RawRecord, WarcLayout
from archive.extract.urlforms import normalize_url
from archive.lookup import access
from archive.storage import ObjectStore

CHUNK = 500
# A job's metadata record follows its exchanges (and its requisites'), so
# after rollovers it can be in a later file of the same crawler process.  With
# the usual rollover sizes that is the next file; small ones spread a page over
# several.  A page whose metadata is not found this far is exported without
# its requisites, and the export says so.
SUCCESSORS = 16
_NAME = re.compile(r"^(?P<head>.+)-(?P<stamp>\d{20})-(?P<tail>.+-\d+)-(?P<serial>\d+)\.warc\.gz$")


@dataclass
class Page:
    """A capture that preserves one or more of the document's citations."""

    capture: Capture
    citations: list[Citation] = field(default_factory=list)


@dataclass
class JobMetadata:
    record: RawRecord
    warc: WarcFile
    document_id: str | None
    chain: list[str]
    requisites: list[str]
    written_at: datetime


@dataclass
class Selection:
    document: Document
    pages: list[Page]
    captures: dict[int, Capture]  # every capture whose record goes into the package
    files: dict[int, WarcFile]
    metadata: list[JobMetadata]  # this document's job metadata records only
    withheld: int = 0  # captures left out because only private documents cite them
    without_metadata: int = 0  # pages whose job metadata (and so requisites) was not found


def has_record(capture: Capture) -> bool:
    return (
        capture.warc_file_id is not None
        and capture.warc_offset is not None
        and bool(capture.warc_length)
    )


def _pages(session: Session, doc_id: str) -> list[Page]:
    rows = session.execute(
        select(Capture, Citation)
        .join(CitationCapture, CitationCapture.capture_id == Capture.id)
        .join(Citation, Citation.id == CitationCapture.citation_id)
        .where(Citation.document_id == doc_id)
        .order_by(Citation.version_id, Citation.ordinal, Capture.captured_at, Capture.id)
    ).all()
    pages: dict[int, Page] = {}
    for capture, citation in rows:
        if has_record(capture):
            pages.setdefault(capture.id, Page(capture)).citations.append(citation)
    return list(pages.values())


def _metadata(record: RawRecord, warc: WarcFile) -> tuple[str, JobMetadata] | None:
    data = jobmeta.decode(record.body or b"", record.content_type)
    if data is None:
        return None
    try:
        written = parse_warc_date(record.date)
    except ValueError:
        return None
    meta = JobMetadata(
        record=record,
        warc=warc,
        document_id=data.document_id,
        chain=data.chain,
        requisites=data.requisites,
        written_at=written,
    )
    return data.final_record_id, meta


class _Files:
    """WARC file rows and their layouts, each loaded once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[int, WarcFile] = {}
        self.layouts: dict[int, WarcLayout] = {}

    def get(self, file_id: int) -> WarcFile:
        if file_id not in self.rows:
            row = self.session.get(WarcFile, file_id)
            assert row is not None  # a foreign key
            self.rows[file_id] = row
        return self.rows[file_id]

    def layout(self, warc: WarcFile) -> WarcLayout:
        if warc.id not in self.layouts:
            self.rows[warc.id] = warc
            self.layouts[warc.id] = WarcLayout.load(self.session, warc)
        return self.layouts[warc.id]

    def successor(self, warc: WarcFile) -> WarcFile | None:
        """The file the same crawler process wrote next (names carry a serial)."""
        match = _NAME.match(warc.filename)
        if match is None:
            return None
        serial = int(match["serial"]) + 1
        pattern = f"%-{serial:05d}.warc.gz"
        for row in self.session.scalars(
            select(WarcFile).where(WarcFile.filename.like(pattern)).order_by(WarcFile.filename)
        ):
            other = _NAME.match(row.filename)
            if (
                other is not None
                and (other["head"], other["tail"]) == (match["head"], match["tail"])
                and int(other["serial"]) == serial
                and other["stamp"] > match["stamp"]
            ):
                return row
        return None


def _find_metadata(
    store: ObjectStore, files: _Files, pages: Sequence[Page]
) -> dict[str, JobMetadata]:
    """The job metadata record of each page capture, found by walking forward from it."""
    found: dict[str, JobMetadata] = {}
    by_file: dict[int, list[Capture]] = {}
    for page in pages:
        by_file.setdefault(page.capture.warc_file_id or 0, []).append(page.capture)
    for file_id, captures in by_file.items():
        wanted = {c.warc_record_id for c in captures if c.warc_record_id}
        warc: WarcFile | None = files.get(file_id)
        start = min((c.warc_offset or 0) + (c.warc_length or 0) for c in captures)
        hops = 0
        while warc is not None and wanted:
            for record in files.layout(warc).walk(store, start):
                parsed = _metadata(record, warc) if record.rec_type == "metadata" else None
                if parsed is not None and parsed[0] in wanted:
                    found[parsed[0]] = parsed[1]
                    wanted.discard(parsed[0])
                    if not wanted:
                        break
            hops += 1
            warc = files.successor(warc) if wanted and hops <= SUCCESSORS else None
            start = 0
    return found


def _latest_before(
    session: Session, wanted: Iterable[tuple[str, datetime]]
) -> dict[tuple[str, datetime], int]:
    """For each (URL, moment): the newest capture of that URL with a record, not after it."""
    pairs = list(dict.fromkeys(wanted))
    keys = {url: _normalize(url) for url, _ in pairs}
    normals = sorted(set(keys.values()))
    history: dict[str, list[tuple[datetime, int, str]]] = {}
    for i in range(0, len(normals), CHUNK):
        rows = session.execute(
            select(Capture.url_normalized, Capture.captured_at, Capture.id, Capture.url).where(
                Capture.url_normalized.in_(normals[i : i + CHUNK]),
                Capture.warc_file_id.is_not(None),
                Capture.warc_offset.is_not(None),
            )
        ).all()
        for normal, when, capture_id, url in rows:
            history.setdefault(normal, []).append((when, capture_id, url))
    for entries in history.values():
        entries.sort()
    chosen: dict[tuple[str, datetime], int] = {}
    for url, moment in pairs:
        entries = history.get(keys[url], [])
        candidates = entries[: bisect.bisect_right(entries, moment, key=lambda e: e[0])]
        exact = [e for e in candidates[-8:] if e[2] == url]
        pick = exact[-1] if exact else (candidates[-1] if candidates else None)
        if pick is not None:
            chosen[(url, moment)] = pick[1]
    return chosen


def _normalize(url: str) -> str:
    try:
        return normalize_url(url)
    except ValueError:
        return url


def _load(session: Session, ids: Iterable[int], privileged: bool) -> list[tuple[Capture, bool]]:
    """The captures, each with whether the caller may see it (``access.visible_captures``)."""
    todo = sorted(set(ids))
    out: list[tuple[Capture, bool]] = []
    visible = access.visible_captures(privileged).label("visible")
    for i in range(0, len(todo), CHUNK):
        stmt = select(Capture, visible).where(Capture.id.in_(todo[i : i + CHUNK]))
        out.extend((capture, bool(seen)) for capture, seen in session.execute(stmt))
    return out


def select_records(
    session: Session, store: ObjectStore, doc_id: str, *, privileged: bool
) -> Selection:
    doc = access.visible_document(session, doc_id, privileged=privileged)
    pages = _pages(session, doc.id)
    files = _Files(session)
    metas = _find_metadata(store, files, pages)

    wanted: list[tuple[str, datetime]] = []
    page_metas = [(p, metas.get(p.capture.warc_record_id or "")) for p in pages]
    for page, meta in page_metas:
        if meta is None:
            continue
        wanted += [(u, page.capture.captured_at) for u in meta.chain if u != page.capture.url]
        wanted += [(u, meta.written_at) for u in meta.requisites]
    captures = {p.capture.id: p.capture for p in pages}
    seen = set(captures)
    extra = set(_latest_before(session, wanted).values())
    # revisit records need their originals, which may be anywhere in the archive
    extra |= {p.capture.revisit_of_id for p in pages if p.capture.revisit_of_id is not None}
    extra -= seen
    withheld = 0
    while extra:
        seen |= extra
        found = [(c, seen) for c, seen in _load(session, extra, privileged) if has_record(c)]
        loaded = [c for c, seen in found if seen]
        withheld += len(found) - len(loaded)
        for capture in loaded:
            captures[capture.id] = capture
        extra = {c.revisit_of_id for c in loaded if c.revisit_of_id is not None} - seen
    own = [m for m in metas.values() if m.document_id == doc.id]
    used = {c.warc_file_id or 0 for c in captures.values()} | {m.warc.id for m in own}
    return Selection(
        document=doc,
        pages=pages,
        captures=captures,
        files={i: files.get(i) for i in sorted(used)},
        metadata=own,
        withheld=withheld,
        without_metadata=sum(1 for _, m in page_metas if m is None),
    )
