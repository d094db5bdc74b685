"""Reading a closed WARC file back into the facts the database records.

The file is the source of truth: the indexer needs nothing but the file to
know which capture is where (offset and length of each record), what was
fetched for which job, and which records are revisits of which.  A file that
does not parse to its last byte is refused as damaged rather than half-indexed.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from archive.capture import jobmeta
from archive.capture.contract import (
    JOB_FIELD,
    ROLE_FIELD,
    IndexedRecord,
    IndexedWarc,
    http_status,
    job_id_value,
)
from archive.errors import DamagedWarcError


def parse_warc_date(value: str) -> datetime:
    text = value.strip().replace("Z", "+00:00")
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _optional_date(value: str | None) -> datetime | None:
    """A date the index only carries along: one another tool wrote badly is left out."""
    if not value:
        return None
    try:
        return parse_warc_date(value)
    except ValueError:
        return None


def _http_facts(record: Any) -> tuple[int | None, str | None, str | None, str | None]:
    """Status, media type, Location and, for a status that is no number, why it is None."""
    http = record.http_headers
    if http is None:
        return None, None, None, None
    raw = http.get_statuscode()
    try:
        status: int | None = int(raw)
        problem = None
    except (TypeError, ValueError):
        status, problem = http_status(raw)
    ctype = http.get_header("Content-Type")
    media_type = ctype.split(";")[0].strip().lower() if ctype else None
    return status, media_type, http.get_header("Location"), problem


def _read(path: Path, result: IndexedWarc) -> int:
    """Index every record into ``result``; return the offset where parsing ended."""
    end = 0
    with path.open("rb") as fh:
        iterator = ArchiveIterator(fh, check_digests=False)
        for record in iterator:
            result.record_count += 1
            rec_type = record.rec_type
            headers = record.rec_headers
            date = headers.get_header("WARC-Date")
            if result.first_date is None and date:
                result.first_date = parse_warc_date(date)
            body: bytes | None = None
            if rec_type in ("warcinfo", "metadata"):
                body = record.content_stream().read()
            payload_length = None
            if rec_type == "response":
                # Entity length as stored: de-chunked, still content-encoded.
                payload_length = len(record.raw_stream.read())
            status, media_type, location, problem = _http_facts(record)
            iterator.read_to_end(record)
            offset, length = iterator.get_record_offset(), iterator.get_record_length()
            end = offset + length
            if rec_type == "warcinfo" and body is not None:
                for line in body.decode("utf-8", "replace").splitlines():
                    if line.lower().startswith("robots:"):
                        result.robots = line.split(":", 1)[1].strip()
            elif rec_type == "metadata" and body is not None:
                meta = jobmeta.decode(body, headers.get_header("Content-Type"))
                if meta is not None:
                    result.metadata.append(meta)
            elif rec_type in ("response", "revisit"):
                result.records.append(
                    IndexedRecord(
                        record_id=headers.get_header("WARC-Record-ID"),
                        rec_type=rec_type,
                        url=headers.get_header("WARC-Target-URI"),
                        date=parse_warc_date(date),
                        offset=offset,
                        length=length,
                        http_status=status,
                        media_type=media_type,
                        payload_digest=headers.get_header("WARC-Payload-Digest"),
                        payload_length=payload_length,
                        ip_address=headers.get_header("WARC-IP-Address"),
                        truncated=headers.get_header("WARC-Truncated"),
                        location=location,
                        refers_to=headers.get_header("WARC-Refers-To"),
                        refers_to_uri=headers.get_header("WARC-Refers-To-Target-URI"),
                        refers_to_date=_optional_date(headers.get_header("WARC-Refers-To-Date")),
                        job_id=job_id_value(headers.get_header(JOB_FIELD)),
                        role=headers.get_header(ROLE_FIELD),
                        error=problem,
                    )
                )
    return end


def _gzip_complete(path: Path) -> bool:
    """True if every gzip member of the file ends properly (warcio reads cut members)."""
    decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
    pending = False
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            while chunk:
                decomp.decompress(chunk)
                pending = True
                if decomp.eof:
                    chunk = decomp.unused_data
                    decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
                    pending = False
                else:
                    chunk = b""
    return not pending


def index_warc(path: Path) -> IndexedWarc:
    """Index every record; raise DamagedWarcError unless the whole file parses."""
    result = IndexedWarc(path)
    hint = "the file is damaged or incomplete; it is kept aside in the spool for inspection"
    try:
        end = _read(path, result)
    except FileNotFoundError:
        raise  # another worker committed and removed it: not damage
    except Exception as exc:  # warcio raises assorted errors on damaged input
        raise DamagedWarcError(
            f"WARC file {path.name} cannot be read: {exc.__class__.__name__}: {exc}", hint=hint
        ) from exc
    size = path.stat().st_size
    try:
        complete = not path.name.endswith(".gz") or _gzip_complete(path)
    except zlib.error:
        complete = False
    if end != size or result.record_count == 0 or not complete:
        raise DamagedWarcError(
            f"WARC file {path.name} is cut short or corrupted "
            f"({result.record_count} readable records, {size} bytes)",
            hint=hint,
        )
    return result
