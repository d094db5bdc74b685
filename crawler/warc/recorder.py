"""Turning one HTTP exchange into WARC records, and a job into its metadata record.

An exchange becomes a ``request`` record and a ``response`` record, or a
``request`` and a ``revisit`` when the payload is already archived: known to
the ``DigestIndex`` (an earlier crawl) or written earlier in this crawl.
Empty and cut payloads are always written in full: a revisit of nothing
saves nothing, and a truncated body is not the payload it would be compared
with.

An unchanged recapture writes nothing but these small records, each its own
gzip member that shares no dictionary with the next, so every field is paid
for in full each time (``bench/recapture.py --fields`` prints what each
costs).  Fields that say nothing a reader lacks are therefore left out:

* ``WARC-Concurrent-To`` stands on the answer only, naming its request: WARC
  1.1 makes the link bidirectional from one side, and the answer is the side
  stock indexers read (pywb and cdxj-indexer pair a record with the one
  before it when it names that one).
* no ``WARC-Warcinfo-ID``: every record follows its own file's warcinfo
  (rollover happens between groups of records, and a WACZ export copies each
  file's warcinfo ahead of its records), the association WARC 1.1 gives by
  position; the field is for records taken out of that context.
* no ``WARC-Payload-Digest`` on a request without a body, nor on a metadata
  record: there is no payload to digest (WARC 1.1 forbids it on records
  without a well-defined payload); ``WARC-Block-Digest`` still covers them.

Records without a payload of their own are deflated at level 9: they are
about a kilobyte, where the strongest level costs microseconds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag

from archive.capture import jobmeta
from archive.capture.contract import (
    JOB_FIELD,
    REVISIT_PROFILE,
    ROLE_FIELD,
    CaptureMetadata,
    DigestIndex,
    IndexedRecord,
    KnownPayload,
)
from crawler.exchange import TRUNCATED_DISCONNECT, TRUNCATED_LENGTH, exchange
from crawler.warc.files import WarcFiles
from crawler.warc.records import (
    HTTP_REQUEST,
    HTTP_RESPONSE,
    RecordFactory,
    new_record_id,
    request_block,
    response_block,
    sha256_digest,
    warc_date,
)

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response

log = logging.getLogger(__name__)

TEXT_LEVEL = 6
STORED_LEVEL = 0
HEADER_LEVEL = 9  # requests, revisits and metadata: header blocks, not payloads
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_COMPRESSED_TYPES = (
    "image/",
    "video/",
    "audio/",
    "font/woff",
    "application/font-woff",
    "application/zip",
    "application/gzip",
    "application/x-gzip",
    "application/pdf",
    "application/x-7z",
    "application/x-rar",
    "application/x-xz",
    "application/zstd",
)
_UNCOMPRESSED_IMAGES = ("image/svg", "image/bmp", "image/x-icon", "image/vnd.microsoft.icon")


def _header(response: Response, name: bytes) -> str | None:
    """The first value of a header, decoded as warcio decodes it when reading back."""
    values = response.headers.getlist(name)
    if not values:
        return None
    raw = values[0]
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        return raw.decode("iso-8859-1").strip()


def _note(
    response: Response,
    rec_type: str,
    record_id: str,
    uri: str,
    date: datetime,
    digest: str,
    payload_length: int,
    truncated: str | None,
    known: KnownPayload | None,
) -> IndexedRecord:
    """The capture facts of the record being written, as the indexer would read them."""
    ctype = _header(response, b"Content-Type")
    return IndexedRecord(
        record_id=record_id,
        rec_type=rec_type,
        url=uri,
        date=date,
        offset=-1,  # set by WarcFiles as the record is written
        length=-1,
        http_status=response.status,
        media_type=ctype.split(";")[0].strip().lower() if ctype else None,
        payload_digest=digest,
        payload_length=payload_length if known is None else None,
        ip_address=str(response.ip_address) if response.ip_address is not None else None,
        truncated=truncated,
        location=_header(response, b"Location"),
        refers_to=known.record_id if known else None,
        refers_to_uri=known.uri if known else None,
        refers_to_date=known.date if known else None,
    )


def gzip_level(response: Response, text_level: int = TEXT_LEVEL) -> int:
    """0 for payloads that deflate cannot shrink: content-encoded, images, media, archives."""
    if response.headers.get(b"Content-Encoding"):
        return STORED_LEVEL
    mime = (response.headers.get(b"Content-Type") or b"").split(b";", 1)[0]
    kind = mime.strip().lower().decode("latin-1")
    if kind.startswith(_COMPRESSED_TYPES) and not kind.startswith(_UNCOMPRESSED_IMAGES):
        return STORED_LEVEL
    return text_level


Owner = tuple[int | None, str] | None
"""The job an exchange was fetched for (None for ad hoc URLs) and its role there."""


@dataclass(slots=True)
class Written:
    """What recording one exchange produced."""

    record_id: str
    revisit: bool
    payload_bytes: int
    truncated: str | None
    response: Response


@dataclass(slots=True)
class Prepared:
    """An exchange ready to be written, once it is known whether its payload is archived."""

    response: Response  # with the body as it will be stored
    truncated: str | None
    digest: str
    ask_index: bool  # a payload the digest index may know


class Recorder:
    """Writes exchanges and metadata into the rolling WARC files."""

    def __init__(
        self,
        files: WarcFiles,
        factory: RecordFactory,
        digests: DigestIndex,
        max_bytes: int,
        text_level: int = TEXT_LEVEL,
    ) -> None:
        self.files = files
        self.factory = factory
        self.digests = digests
        self.max_bytes = max_bytes
        self.text_level = text_level
        self._written: dict[str, KnownPayload] = {}

    def prepare(self, response: Response, request: Request) -> Prepared:
        """Cut the body to the cap, mark what was cut and hash the payload."""
        truncated = exchange(request).truncated
        body = response.body
        if truncated == TRUNCATED_LENGTH and self.max_bytes and len(body) > self.max_bytes:
            body = body[: self.max_bytes]
        if truncated is None and "dataloss" in response.flags:
            truncated = TRUNCATED_DISCONNECT
        if body is not response.body:
            response = response.replace(body=body)
        digest = sha256_digest(body)
        # Empty and cut payloads are written in full (see the module docstring).
        comparable = bool(body) and truncated is None
        return Prepared(response, truncated, digest, comparable and digest not in self._written)

    def known(self, prepared: Prepared, looked_up: KnownPayload | None) -> KnownPayload | None:
        """The payload to refer to: written earlier in this crawl, else what the index said.

        Checked again after an index lookup that ran elsewhere: an identical
        payload may have been written meanwhile.
        """
        if not prepared.response.body or prepared.truncated is not None:
            return None
        return self._written.get(prepared.digest) or looked_up

    def exchange(self, request: Request, response: Response, owner: Owner = None) -> Written:
        """Record one exchange, asking the digest index here and now."""
        prepared = self.prepare(response, request)
        looked_up = self.digests.lookup(prepared.digest) if prepared.ask_index else None
        return self.write(request, prepared, self.known(prepared, looked_up), owner)

    def write(
        self,
        request: Request,
        prepared: Prepared,
        known: KnownPayload | None,
        owner: Owner = None,
    ) -> Written:
        """Write the request and the response (or revisit of ``known``) records.

        ``owner`` is the job the exchange was fetched for and its role there;
        the answer record names both (see ``archive.capture.contract``).
        """
        state = exchange(request)
        response, truncated, payload_digest = prepared.response, prepared.truncated, prepared.digest
        body = response.body
        uri = urldefrag(request.url)[0]
        date = state.started or datetime.now(UTC)
        request_id, response_id = new_record_id(), new_record_id()

        common = [("WARC-Date", warc_date(date)), ("WARC-Target-URI", uri)]
        if response.ip_address is not None:
            common.append(("WARC-IP-Address", str(response.ip_address)))

        head = response_block(
            response.protocol,
            response.status,
            state.reason_phrase,
            response.headers.items(),
            len(body),
        )
        answer_fields = [
            ("WARC-Record-ID", response_id),
            *common,
            ("WARC-Concurrent-To", request_id),
        ]
        if known is not None:
            answer_fields += [
                ("WARC-Profile", REVISIT_PROFILE),
                ("WARC-Refers-To-Target-URI", known.uri),
                ("WARC-Refers-To-Date", warc_date(known.date)),
                ("WARC-Refers-To", known.record_id),
            ]
        if truncated is not None:
            answer_fields.append(("WARC-Truncated", truncated))
        if owner is not None:
            if owner[0] is not None:
                answer_fields.append((JOB_FIELD, str(owner[0])))
            answer_fields.append((ROLE_FIELD, owner[1]))
        rec_type = "revisit" if known is not None else "response"
        answer = self.factory.http(
            rec_type,
            uri,
            head,
            body,
            answer_fields,
            content_type=HTTP_RESPONSE,
            payload_digest=payload_digest,
        )

        question = self.factory.http(
            "request",
            uri,
            request_block(request.method, uri, request.headers.items(), request.body),
            request.body,
            [("WARC-Record-ID", request_id), *common],
            content_type=HTTP_REQUEST,
        )
        level = HEADER_LEVEL if known is not None else gzip_level(response, self.text_level)
        request_level = self.text_level if request.body else HEADER_LEVEL
        note = _note(
            response, rec_type, response_id, uri, date, payload_digest, len(body), truncated, known
        )
        if owner is not None:
            note.job_id, note.role = owner
        self.files.write([(question, request_level, None), (answer, level, note)])

        if known is None and body and truncated is None:
            self._written[payload_digest] = KnownPayload(uri=uri, date=date, record_id=response_id)
        state.record_id = response_id
        state.redirect_location = response.status in _REDIRECTS and bool(
            response.headers.get(b"Location")
        )
        return Written(response_id, known is not None, len(body), truncated, response)

    def metadata(self, meta: CaptureMetadata) -> str:
        """Write the job's metadata record (after its exchanges); returns its record id.

        As ``application/warc-fields``, which replay engines leave out of
        their indexes though it names the job URL (``archive.capture.jobmeta``).
        """
        record_id = new_record_id()
        body = jobmeta.encode(meta)
        fields: list[tuple[str, Any]] = [
            ("WARC-Record-ID", record_id),
            ("WARC-Date", warc_date()),
            ("WARC-Target-URI", meta.url),
            ("WARC-Concurrent-To", meta.final_record_id),
        ]
        record = self.factory.plain("metadata", meta.url, body, fields, jobmeta.CONTENT_TYPE)
        self.files.write([(record, HEADER_LEVEL, meta)])
        return record_id
