"""Reading one capture's WARC record back out of the store.

Only the record's own bytes are fetched (a ranged read), so a 50 KB capture
inside a 1 GB WARC file costs 50 KB of transfer.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from warcio.archiveiterator import ArchiveIterator

from archive.db.models import Capture, WarcFile
from archive.errors import IntegrityError, NotFoundError
from archive.lookup.access import RecordLocation
from archive.net.decoding import decode_body
from archive.runtime import Runtime


@dataclass(frozen=True, slots=True)
class Payload:
    status: int | None
    media_type: str | None
    headers: list[tuple[str, str]]
    body: bytes


def record_bytes(rt: Runtime, capture: Capture, warc: WarcFile | None) -> bytes:
    if warc is None or capture.warc_offset is None or not capture.warc_length:
        raise NotFoundError(
            f"capture {capture.id} has no WARC record"
            + (f" (the fetch failed: {capture.error})" if capture.error else ""),
        )
    return rt.store().get_range(warc.store_key, capture.warc_offset, capture.warc_length)


def check_located(where: RecordLocation) -> tuple[str, int, int]:
    """The record's file, offset and length, or why the capture has no record."""
    if where.store_key is None or where.offset is None or not where.length:
        raise NotFoundError(
            f"capture {where.id} has no WARC record"
            + (f" (the fetch failed: {where.error})" if where.error else ""),
        )
    return where.store_key, where.offset, where.length


def located_bytes(rt: Runtime, where: RecordLocation) -> bytes:
    """``record_bytes`` for a capture found with ``access.record_location``."""
    return rt.store().get_range(*check_located(where))


def payload(rt: Runtime, capture: Capture, warc: WarcFile | None) -> Payload:
    """The archived HTTP body, decoded from its transfer and content encodings."""
    raw = record_bytes(rt, capture, warc)
    record = next(iter(ArchiveIterator(io.BytesIO(raw))), None)
    if record is None or record.rec_headers.get_header("WARC-Record-ID") != capture.warc_record_id:
        raise IntegrityError(
            f"the bytes at capture {capture.id}'s offset are not its WARC record",
            hint="the WARC file or the index is damaged",
        )
    if record.rec_type == "revisit":
        raise NotFoundError(
            f"capture {capture.id} is a revisit: its payload is that of capture "
            f"{capture.revisit_of_id}",
        )
    http = record.http_headers
    raw_body = record.raw_stream.read()
    encoding = http.get_header("Content-Encoding") if http is not None else None
    body = decode_body(raw_body, encoding, rt.settings.fetch.max_decompressed_bytes)
    headers = list(http.headers) if http is not None else []
    return Payload(capture.http_status, capture.media_type, headers, body)
