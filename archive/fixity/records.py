"""Does the byte range a capture row names hold the WARC record the row claims?

A capture row is a promise: "the record with this id, for this URL, with
this payload, lies at this offset and length in that file".  Replay, CDX and
exports trust it blindly, so the audit parses each range as a record and
compares it with the row, and re-hashes a response's payload against the
digest the record (and the row) carry.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zlib
from dataclasses import dataclass
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders

_READ = 1024 * 1024
# What the head check reads of a record: its headers lie well within this.
HEAD = 256 * 1024


@dataclass(frozen=True, slots=True)
class RecordRef:
    """What the database says of one capture's record."""

    capture_id: int
    url: str
    offset: int
    length: int
    record_id: str | None
    payload_digest: str | None

    @property
    def end(self) -> int:
        return self.offset + self.length


def _digest_matches(label: str, hasher: hashlib._Hash) -> bool | None:
    """Whether ``label`` (``sha256:BASE32``, or base16/base64) names ``hasher``'s digest;
    None when the label cannot be read, which is a problem of its own."""
    raw = hasher.digest()
    value = label.partition(":")[2].strip()
    encodings = (
        base64.b32encode(raw).decode().rstrip("="),
        raw.hex(),
        base64.b64encode(raw).decode().rstrip("="),
    )
    if not value:
        return None
    return value.rstrip("=") in encodings or value.lower() == raw.hex()


def _payload_hasher(label: str) -> hashlib._Hash | None:
    algorithm = label.partition(":")[0].strip().lower().replace("-", "")
    if algorithm not in ("sha1", "sha256", "sha512", "md5"):
        return None
    return hashlib.new(algorithm)


def _claims(headers: StatusAndHeaders, ref: RecordRef) -> list[str]:
    """Where the record's own headers contradict the capture row."""
    problems = []
    found_id = headers.get_header("WARC-Record-ID")
    if ref.record_id is not None and found_id != ref.record_id:
        problems.append(f"record id is {found_id}, the database says {ref.record_id}")
    found_uri = headers.get_header("WARC-Target-URI")
    if found_uri != ref.url:
        problems.append(f"target URI is {found_uri}, the database says {ref.url}")
    label = headers.get_header("WARC-Payload-Digest")
    if ref.payload_digest is not None and label != ref.payload_digest:
        problems.append(f"payload digest is {label}, the database says {ref.payload_digest}")
    return problems


def check_record_head(head: bytes, tail: bytes, ref: RecordRef) -> str | None:
    """The check of a record in a file whose SHA-256 is intact: None if its range holds it.

    The file's bytes are then exactly those written at capture, so what can
    still be wrong is the row: the range must start with this record's
    headers and end where the record ends.  The end is proven without
    inflating the body: a gzip member's trailer gives its inflated size
    (ISIZE), which must be the header block plus Content-Length plus the
    closing CRLFs; an uncompressed range must be exactly that long.
    ``head`` is the range's first bytes, ``tail`` its last eight.
    """
    try:
        gzipped = head[:2] == b"\x1f\x8b"
        plain = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head) if gzipped else head
        block_end = plain.find(b"\r\n\r\n")
        if block_end < 0:
            return None if len(head) < ref.length else "no WARC header block at this offset"
        record = next(iter(ArchiveIterator(io.BytesIO(plain), check_digests=False)), None)
        if record is None:
            return "no WARC record at this offset"
        problems = _claims(record.rec_headers, ref)
        size = block_end + 4 + int(record.rec_headers.get_header("Content-Length") or -1) + 4
        if gzipped:
            isize = int.from_bytes(tail[-4:], "little")
            if len(tail) < 8 or isize != size % 2**32:
                problems.append(
                    f"the range does not end where the record's gzip member does "
                    f"(offset {ref.offset}, length {ref.length})"
                )
        elif size != ref.length:
            problems.append(f"the record is {size} bytes, the database says {ref.length}")
    except Exception as exc:  # warcio and zlib raise assorted errors on damaged bytes
        return f"does not parse as a WARC record: {exc.__class__.__name__}: {exc}"
    return "; ".join(problems) or None


def check_record(stream: IO[bytes], ref: RecordRef) -> str | None:
    """``check_record_head``, then the payload of a response re-hashed against its digest:
    for a file whose bytes changed, to tell the records the damage hit from the rest.
    ``stream`` holds exactly the capture's byte range."""
    head = stream.read(HEAD)
    stream.seek(max(ref.length - 8, 0))
    problem = check_record_head(head, stream.read(8), ref)
    if problem is not None:
        return problem
    stream.seek(0)
    try:
        record = next(iter(ArchiveIterator(stream, check_digests=False)), None)
        label = record.rec_headers.get_header("WARC-Payload-Digest") if record else None
        if record is None or record.rec_type != "response" or not label:
            return None  # a revisit has no payload of its own
        hasher = _payload_hasher(label)
        if hasher is None:
            return f"payload digest {label} uses an unknown algorithm"
        while block := record.raw_stream.read(_READ):
            hasher.update(block)
        if not _digest_matches(label, hasher):
            return f"payload does not hash to {label}"
    except Exception as exc:  # warcio and zlib raise assorted errors on damaged bytes
        return f"does not parse as a WARC record: {exc.__class__.__name__}: {exc}"
    return None
