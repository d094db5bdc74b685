"""Finding the records the database does not index inside stored WARC files.

Capture rows say where every response and revisit record lies.  Everything
between two of them is small: the request record of the next exchange, a
job's metadata record, the file's warcinfo.  So those records can be found
by ranged reads of the gaps alone, stepping over large bodies, instead of
downloading WARC files that may be a gigabyte and hold other documents'
captures.
"""

from __future__ import annotations

import bisect
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator

from archive.db.models import Capture, WarcFile
from archive.errors import IntegrityError
from archive.storage import ObjectStore

# Capture records up to this size are read through rather than stepped over:
# one larger read is cheaper than two ranged requests.
READ_THROUGH = 64 * 1024
WINDOW = 1024 * 1024
COPY_CHUNK = 8 * 1024 * 1024
CAPTURE_TYPES = frozenset({"response", "revisit"})


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One WARC record exactly as stored (one gzip member), with what we need to know."""

    rec_type: str
    record_id: str
    date: str
    offset: int
    data: bytes
    body: bytes | None  # content of warcinfo and metadata records only
    content_type: str | None = None  # the record's own (WARC) Content-Type

    @property
    def length(self) -> int:
        return len(self.data)


def parse_records(data: bytes, base: int, key: str) -> list[RawRecord]:
    """Every record in ``data`` (which starts and ends on record boundaries)."""
    out: list[RawRecord] = []
    try:
        iterator = ArchiveIterator(io.BytesIO(data), check_digests=False)
        for record in iterator:
            headers = record.rec_headers
            rec_type = str(record.rec_type)
            body = None
            if rec_type in ("warcinfo", "metadata"):
                body = record.content_stream().read()
            iterator.read_to_end(record)
            start = iterator.get_record_offset()
            length = iterator.get_record_length()
            out.append(
                RawRecord(
                    rec_type=rec_type,
                    record_id=headers.get_header("WARC-Record-ID") or "",
                    date=headers.get_header("WARC-Date") or "",
                    offset=base + start,
                    data=data[start : start + length],
                    body=body,
                    content_type=headers.get_header("Content-Type"),
                )
            )
    except Exception as exc:  # warcio raises assorted errors on damaged input
        raise IntegrityError(
            f"the bytes at offset {base} of {key!r} are not whole WARC records: {exc}",
            hint="the WARC file or its capture rows are damaged",
        ) from exc
    if sum(r.length for r in out) != len(data):
        raise IntegrityError(
            f"the bytes at offset {base} of {key!r} do not end on a WARC record boundary",
            hint="the WARC file or its capture rows are damaged",
        )
    return out


def _header_values(member_start: bytes, wanted: str) -> list[str]:
    """Every value of the WARC field ``wanted`` (lower case) of the record at ``member_start``."""
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(member_start, 64 * 1024)
    except zlib.error:
        return []
    block = head.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
    values = []
    for line in block.split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == wanted:
            values.append(value.strip())
    return values


def record_id_of(member_start: bytes) -> str | None:
    """The WARC-Record-ID in the header of the gzip member ``member_start`` begins."""
    return next(iter(_header_values(member_start, "warc-record-id")), None)


def concurrent_to_of(member_start: bytes) -> list[str]:
    """The record ids the record ``member_start`` begins names in WARC-Concurrent-To.

    A capture's record names its request this way (older files also had the
    request name the capture, and still have this side too).
    """
    return _header_values(member_start, "warc-concurrent-to")


class WarcLayout:
    """Where the capture records of one stored WARC file lie, and reads around them."""

    def __init__(self, warc: WarcFile, spans: list[tuple[int, int]]) -> None:
        self.warc = warc
        self.spans = spans
        self.offsets = [offset for offset, _ in spans]

    @classmethod
    def load(cls, session: Session, warc: WarcFile) -> WarcLayout:
        rows = session.execute(
            select(Capture.warc_offset, Capture.warc_length)
            .where(Capture.warc_file_id == warc.id, Capture.warc_offset.is_not(None))
            .order_by(Capture.warc_offset)
        ).all()
        return cls(warc, [(int(o or 0), int(n or 0)) for o, n in rows])

    def _read(self, store: ObjectStore, start: int, end: int) -> list[RawRecord]:
        if end <= start:
            return []
        data = store.get_range(self.warc.store_key, start, end - start)
        if len(data) != end - start:
            raise IntegrityError(
                f"{self.warc.store_key!r} is shorter than its capture rows say",
                hint="the stored WARC file is damaged; restore it from a replica",
            )
        return parse_records(data, start, self.warc.store_key)

    def head(self, store: ObjectStore) -> list[RawRecord]:
        """The records before the first capture: the warcinfo and the first request."""
        end = self.offsets[0] if self.offsets else self.warc.size
        return self._read(store, 0, end)

    def gap_before(self, store: ObjectStore, capture: Capture) -> list[RawRecord]:
        """The records between a capture's record and the previous capture's.

        The crawler writes each request record immediately before its
        response, so the capture's request is the last of them.
        """
        offset = capture.warc_offset or 0
        i = bisect.bisect_left(self.offsets, offset)
        if i == len(self.offsets) or self.offsets[i] != offset:
            raise IntegrityError(f"capture {capture.id} is not among its WARC file's records")
        start = 0 if i == 0 else sum(self.spans[i - 1])
        return self._read(store, start, offset)

    def capture_chunks(self, store: ObjectStore, capture: Capture) -> Iterator[bytes]:
        """A capture's record in pieces of at most ``COPY_CHUNK`` bytes, the first checked."""
        offset, length = capture.warc_offset or 0, capture.warc_length or 0
        done = 0
        while done < length:
            size = min(COPY_CHUNK, length - done)
            chunk = store.get_range(self.warc.store_key, offset + done, size)
            if len(chunk) != size:
                raise IntegrityError(
                    f"{self.warc.store_key!r} is shorter than its capture rows say",
                    hint="the stored WARC file is damaged; restore it from a replica",
                )
            if done == 0 and record_id_of(chunk) != capture.warc_record_id:
                raise IntegrityError(
                    f"the bytes at capture {capture.id}'s offset are not its WARC record",
                    hint="the WARC file or the index is damaged",
                )
            done += size
            yield chunk

    def walk(self, store: ObjectStore, start: int = 0) -> Iterator[RawRecord]:
        """The non-capture records from ``start`` (a record boundary) to the end, in order."""
        spans, size = self.spans, self.warc.size
        i = bisect.bisect_left(self.offsets, start)
        pos = start
        while pos < size:
            end, has_gap = pos, False
            while True:
                nxt = spans[i] if i < len(spans) else None
                gap_end = nxt[0] if nxt is not None else size
                if gap_end > end:
                    end, has_gap = gap_end, True
                if nxt is None or nxt[1] > READ_THROUGH or end - pos >= WINDOW:
                    break
                end = nxt[0] + nxt[1]
                i += 1
            if has_gap:
                for record in self._read(store, pos, end):
                    if record.rec_type not in CAPTURE_TYPES:
                        yield record
            pos = end
            if i < len(spans) and spans[i][0] == pos and spans[i][1] > READ_THROUGH:
                pos += spans[i][1]
                i += 1
