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
from dataclasses import dataclass
from typing import IO

from warcio.archiveiterator import ArchiveIterator

_READ = 1024 * 1024


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


def _only_separator(stream: IO[bytes], length: int, expected: int) -> bool:
    """True if the bytes the parser left over are only the record's closing CRLFs: warcio
    leaves them out of an uncompressed record's length when it ends the stream."""
    if length > expected:
        return False
    stream.seek(length)
    return stream.read(expected - length).strip(b"\r\n") == b""


def check_record(stream: IO[bytes], ref: RecordRef) -> str | None:
    """None if ``stream`` (exactly the capture's byte range) is its record; else why not."""
    try:
        iterator = ArchiveIterator(stream, check_digests=False)
        record = next(iter(iterator), None)
        if record is None:
            return "no WARC record at this offset"
        headers = record.rec_headers
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
        if record.rec_type == "response" and label:
            # A revisit has no payload of its own; a response's is re-hashed.
            hasher = _payload_hasher(label)
            if hasher is None:
                problems.append(f"payload digest {label} uses an unknown algorithm")
            else:
                while block := record.raw_stream.read(_READ):
                    hasher.update(block)
                if not _digest_matches(label, hasher):
                    problems.append(f"payload does not hash to {label}")
        iterator.read_to_end(record)
        length = iterator.get_record_length()
        if length != ref.length and not _only_separator(stream, length, ref.length):
            problems.append(f"the record is {length} bytes, the database says {ref.length}")
    except Exception as exc:  # warcio and zlib raise assorted errors on damaged bytes
        return f"does not parse as a WARC record: {exc.__class__.__name__}: {exc}"
    return "; ".join(problems) or None
