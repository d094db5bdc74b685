"""WARC/1.1 records built with warcio, header blocks kept byte for byte.

warcio re-serialises HTTP headers through ``StatusAndHeaders`` and
percent-encodes any byte outside ASCII, which would change what the server
sent; the HTTP header block is therefore handed to warcio as finished bytes
(``RawHttpBlock``).  Digests are SHA-256 in base32 (``sha256:...``), the
payload digest taken over the entity body as received: de-chunked (Twisted
removes the chunking) but still content-encoded, as WARC 1.1 defines it and
as deduplication across tools needs it.

Scrapy does not expose the raw status line or header order, so the block is
rebuilt: the status line from ``response.protocol``, the status and the
server's reason phrase; headers in the order Twisted kept them (repeated
headers as separate lines); ``Content-Length`` stating the length of the body
as stored, since ``Transfer-Encoding`` is gone and a cut body is shorter than
announced.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.utils import Digester

HTTP_RESPONSE = "application/http; msgtype=response"
HTTP_REQUEST = "application/http; msgtype=request"
_NO_BODY_STATUSES = frozenset({204, 304})
_HOP_BY_HOP = frozenset({b"transfer-encoding", b"connection", b"keep-alive"})


def sha256_digest(*parts: bytes) -> str:
    """``sha256:`` + base32, the digest form of the whole archive."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return "sha256:" + base64.b32encode(digest.digest()).decode("ascii")


def warc_date(moment: datetime | None = None) -> str:
    """WARC-Date with microseconds, which WARC/1.1 allows and ordering needs."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    return str(datetime_to_iso_date(moment, use_micros=True))


def new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def response_block(
    protocol: str | None,
    status: int,
    reason: bytes | None,
    headers: Iterable[tuple[bytes, list[bytes]]],
    body_length: int,
) -> bytes:
    """The HTTP response header block as it will stand in the record."""
    if reason is None:
        try:
            reason = HTTPStatus(status).phrase.encode("ascii")
        except ValueError:
            reason = b""
    lines = [f"{protocol or 'HTTP/1.1'} {status} ".encode("ascii") + reason]
    # Twisted reports a length of 0 for 204/304/1xx whether or not the server
    # sent Content-Length, and Scrapy turns that into a header: leave it out.
    bodiless = (100 <= status < 200 or status in _NO_BODY_STATUSES) and not body_length
    length_written = bodiless
    for name, values in headers:
        lower = name.lower()
        if lower in _HOP_BY_HOP:
            continue
        if lower == b"content-length":
            if not length_written:
                lines.append(b"Content-Length: " + str(body_length).encode("ascii"))
                length_written = True
            continue
        lines.extend(name + b": " + value for value in values)
    if not length_written:
        lines.append(b"Content-Length: " + str(body_length).encode("ascii"))
    return b"\r\n".join(lines) + b"\r\n\r\n"


def request_block(
    method: str, url: str, headers: Iterable[tuple[bytes, list[bytes]]], body: bytes
) -> bytes:
    """The HTTP request header block as Twisted sends it (``Host`` first)."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    default_port = 443 if parts.scheme == "https" else 80
    if parts.port is not None and parts.port != default_port:
        host = f"{host}:{parts.port}"
    lines = [f"{method} {target} HTTP/1.1".encode("ascii"), b"Host: " + host.encode("ascii")]
    for name, values in headers:
        if name.lower() in (b"host", b"content-length"):
            continue
        lines.extend(name + b": " + value for value in values)
    if body:
        lines.append(b"Content-Length: " + str(len(body)).encode("ascii"))
    return b"\r\n".join(lines) + b"\r\n\r\n"


class RawHttpBlock(StatusAndHeaders):  # type: ignore[misc]
    """An HTTP header block that warcio writes unchanged."""

    def __init__(self, raw: bytes) -> None:
        super().__init__("raw", [], protocol="")
        self.headers_buff = raw

    def compute_headers_buffer(self, header_filter: Any = None) -> None:
        return None


# warcio adds a payload digest to every record but these types when a record
# has none; the factory gives each record the digests it carries itself
# (a bodiless request or a metadata record has no payload to digest).
NO_PAYLOAD_DIGEST_TYPES = ("warcinfo", "revisit", "request", "metadata")


class RecordFactory(RecordBuilder):  # type: ignore[misc]
    """warcio's record builder, WARC/1.1 with SHA-256 digests."""

    NO_PAYLOAD_DIGEST_TYPES = NO_PAYLOAD_DIGEST_TYPES

    def __init__(self) -> None:
        super().__init__(warc_version="1.1")

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")

    def http(
        self,
        rec_type: str,
        uri: str,
        block: bytes,
        payload: bytes,
        fields: list[tuple[str, str]],
        *,
        content_type: str,
        payload_digest: str | None = None,
    ) -> Any:
        """A request, response or revisit record; a revisit stores the header block only.

        ``payload_digest``, when the caller has it already, saves hashing the
        body a second time.  A request without a body has no payload, and no
        payload digest (an answer's empty body is its payload, and is digested).
        """
        stored = b"" if rec_type == "revisit" else payload
        headers = [
            ("WARC-Type", rec_type),
            *fields,
            ("WARC-Block-Digest", sha256_digest(block, stored)),
        ]
        if payload or rec_type != "request":
            headers.append(("WARC-Payload-Digest", payload_digest or sha256_digest(payload)))
        return self.create_warc_record(
            uri,
            rec_type,
            payload=BytesIO(stored) if stored else None,
            length=len(stored),
            warc_content_type=content_type,
            warc_headers=StatusAndHeaders("", headers, protocol=self.warc_version),
            http_headers=RawHttpBlock(block),
        )

    def plain(
        self, rec_type: str, uri: str, body: bytes, fields: list[tuple[str, str]], content_type: str
    ) -> Any:
        """A record whose block is not HTTP (metadata): a block, and no payload to digest."""
        headers = [("WARC-Type", rec_type), *fields, ("WARC-Block-Digest", sha256_digest(body))]
        return self.create_warc_record(
            uri,
            rec_type,
            payload=BytesIO(body),
            length=len(body),
            warc_content_type=content_type,
            warc_headers=StatusAndHeaders("", headers, protocol=self.warc_version),
        )

    def warcinfo(self, filename: str, info: dict[str, str], moment: datetime) -> Any:
        """The file's first record, dated ``moment`` as the index records it."""
        record = self.create_warcinfo_record(filename, info)
        record.rec_headers.replace_header("WARC-Date", warc_date(moment))
        return record
