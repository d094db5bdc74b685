"""The contract between the crawler process and the system of record.

The crawler (Scrapy, in its own process) takes jobs from a ``JobSource``,
writes self-describing WARC files into a local spool, and hands every closed
file to a ``WarcSink``.  The archive side uploads the file, indexes it and
commits the rows.  Because the WARC file alone carries everything needed to
build the rows, a file left in the spool by a crashed worker can be committed
later by any other worker.

WARC conventions the crawler writes and the indexer relies on (WARC/1.1):

* the first record of each file is ``warcinfo`` (software, format,
  ``robots: obey|ignore``, the fetch limits in force);
* each HTTP exchange is a ``request`` record plus a ``response`` record (or a
  ``revisit`` record, profile
  ``http://netpreserve.org/warc/1.1/revisit/identical-payload-digest``), the
  answer naming its request in ``WARC-Concurrent-To`` (files written before
  also had the request name the answer); every redirect hop is its own
  exchange; records belong to the warcinfo that begins their file (files
  written before also named it in ``WARC-Warcinfo-ID``);
* ``WARC-Payload-Digest`` and ``WARC-Block-Digest`` are ``sha256:`` + base32;
* a cut body carries ``WARC-Truncated: length|time``;
* every response and revisit record fetched for a queued job names it in
  ``WARC-Citevault-Job`` (the job id) and says in ``WARC-Citevault-Role``
  whether it was fetched as the job's page (or a redirect hop to it) or as a
  requisite.  WARC/1.1 lets a writer add named fields of its own (as
  browsertrix-crawler does with ``WARC-Page-ID``); readers that do not know
  them ignore them.  They make each record self-describing: a crash may cut
  the file before the job's metadata record, or the records of one job may
  land in several files, and the commit still links the page to the job and
  keeps each requisite's flag;
* after a job's exchanges, one ``metadata`` record (``Content-Type:
  application/warc-fields``, ``WARC-Concurrent-To`` = the record id of the
  job's final response/revisit, ``WARC-Target-URI`` = the job URL) whose
  fields are a ``CaptureMetadata`` (``archive.capture.jobmeta``; files
  written before carried it as JSON, and are read as they are).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

# Spool file names: a file is written as ``<name>.warc.gz.open`` and loses
# ``.open`` only once whole and synced, so a closed name means a complete file.
CLOSED_SUFFIX = ".warc.gz"
OPEN_MARK = ".open"
OPEN_SUFFIX = CLOSED_SUFFIX + OPEN_MARK
METADATA_PROFILE = "citevault/capture-metadata/2"  # the body as WARC fields
JSON_METADATA_PROFILE = "citevault/capture-metadata/1"  # the body as JSON, in older files
JOB_FIELD = "WARC-Citevault-Job"
ROLE_FIELD = "WARC-Citevault-Role"
ROLE_PAGE = "page"
ROLE_REQUISITE = "requisite"
# Largest value the database's BIGINT holds: anything beyond is not an id.
MAX_ID = 2**63 - 1
MEDIA_TYPE_MAX = 255  # captures.media_type


def http_status(raw: object) -> tuple[int | None, str | None]:
    """A status code as the database may record it, or None and why not.

    The status line is whatever the server sent and stays in the WARC as
    received; only a code HTTP can have (100-599) is indexed as one.
    """
    if raw is None:
        return None, None
    if isinstance(raw, int) and not isinstance(raw, bool) and 100 <= raw <= 599:
        return raw, None
    text = str(raw)
    shown = text if len(text) <= 40 else text[:40] + "..."
    return None, f"invalid HTTP status {shown!r} (kept in the WARC record as received)"


def job_id_value(raw: object) -> int | None:
    """A job id read from a file, or None when it is not one the database can hold."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    return raw if isinstance(raw, int) and 0 < raw <= MAX_ID else None


REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


@dataclass(frozen=True, slots=True)
class JobSpec:
    """One URL to capture, as leased from the queue."""

    job_id: int
    url: str
    document_id: str | None = None
    citation_ids: tuple[int, ...] = ()
    force: bool = False


@dataclass(frozen=True, slots=True)
class KnownPayload:
    """A payload already in the archive, for writing a revisit record."""

    uri: str
    date: datetime  # WARC-Date of the original, exactly as written (microseconds too)
    record_id: str  # "<urn:uuid:...>" of the original response record


@dataclass(slots=True)
class CaptureMetadata:
    """The facts of the per-job metadata record (``archive.capture.jobmeta`` writes and reads it).

    ``final_record_id`` is the response/revisit record holding the final
    answer (after redirects); ``chain`` lists every hop URL in order;
    ``requisites`` lists the requisite URLs found on the page (captured once
    per crawl, possibly in an earlier record or file).  ``budget_exhausted``
    names the job budget that ended the capture early (``requests``,
    ``depth``, ``bytes`` or ``time``; see ``fetch.max_*_per_job``), None when
    the page and everything it needs were fetched.
    """

    profile: str
    job_id: int | None
    url: str
    final_url: str
    final_record_id: str
    document_id: str | None = None
    citation_ids: list[int] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    requisites: list[str] = field(default_factory=list)
    robots: str = "ignore"
    budget_exhausted: str | None = None


@dataclass(slots=True)
class IndexedRecord:
    """One response or revisit record: one capture row."""

    record_id: str
    rec_type: str
    url: str
    date: datetime
    offset: int
    length: int
    http_status: int | None
    media_type: str | None
    payload_digest: str | None
    payload_length: int | None
    ip_address: str | None
    truncated: str | None
    location: str | None
    refers_to: str | None = None  # revisit: record id of the original
    refers_to_uri: str | None = None
    refers_to_date: datetime | None = None
    job_id: int | None = None  # WARC-Citevault-Job
    role: str | None = None  # WARC-Citevault-Role; None in files written before it existed
    error: str | None = None  # why a value from the network was not indexed as received

    def __post_init__(self) -> None:
        # One check for both ways an index is built (by the writer, by reading
        # a file back): values from the network that the database cannot hold
        # are indexed as invalid, never passed on to overflow a column.
        status, problem = http_status(self.http_status)
        self.http_status = status
        if problem is not None:
            self.error = problem
        if self.media_type is not None and len(self.media_type) > MEDIA_TYPE_MAX:
            self.media_type = None
            self.error = self.error or "Content-Type longer than 255 characters, not indexed"


@dataclass(slots=True)
class IndexedWarc:
    """What the database records of one WARC file.

    Built by reading the file back (``archive.capture.indexer.index_warc``, for
    files left in the spool by another process) or by the crawler as it writes,
    which spares re-reading and re-decompressing every file it just wrote.
    Both must produce the same facts for the same file.
    """

    path: Path
    records: list[IndexedRecord] = field(default_factory=list)
    metadata: list[CaptureMetadata] = field(default_factory=list)
    robots: str | None = None
    record_count: int = 0
    first_date: datetime | None = None
    # (sha256 hex, size) of the whole file when its writer hashed it as it wrote
    # it; reading a file back leaves it None, and the committer hashes the file
    file_digest: tuple[str, int] | None = None


class JobSource(Protocol):
    """Where the crawler gets work and reports failures that produced no response."""

    def lease(self, limit: int) -> list[JobSpec]:
        """Up to ``limit`` jobs, leased to this worker; empty when nothing is due."""
        ...

    def fail(self, job_id: int, reason: str, *, retryable: bool) -> None:
        """The job produced no HTTP response (DNS, refused, TLS, timeout, policy)."""
        ...

    def heartbeat(self, job_ids: list[int]) -> None:
        """Extend the leases of jobs still being worked on."""
        ...


class DigestIndex(Protocol):
    """Payloads already archived, so identical ones become revisit records.

    The crawler asks in one of two ways, chosen by ``blocking``.  An index
    that answers in process (SQLite) is asked with ``lookup``, inline, once
    per response: a thread hand-off would cost more than the answer.  An
    index whose every answer is a network round trip (a database server) is
    asked with ``lookup_many`` from one thread of the crawler's own, with all
    the digests that arrived while the previous query was in flight: the
    crawl goes on meanwhile, and the round trips do not add up.
    """

    @property
    def blocking(self) -> bool:
        """True when a lookup waits on a network round trip (ask with ``lookup_many``)."""
        ...

    def lookup(self, payload_digest: str) -> KnownPayload | None:
        """The earliest full response with this payload digest, if any."""
        ...

    def lookup_many(self, digests: Sequence[str]) -> dict[str, KnownPayload]:
        """``lookup`` for several digests in one query; digests unknown are left out."""
        ...


class WarcSink(Protocol):
    """Receives each WARC file once it is closed (rolled over or at crawl end)."""

    def closed(self, path: Path, index: IndexedWarc | None = None) -> None:
        """``index`` is what the writer recorded while writing; None means read the file."""
        ...
