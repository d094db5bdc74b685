"""One crawl's capture state: the WARC files, the jobs, and the contract's parties.

The spider decides what to fetch; this object decides what is written and
reported.  The recorder middleware hands it every exchange, the spider hands
it finished and failed jobs, and it talks to the ``JobSource`` (failures),
the ``DigestIndex`` (through the recorder) and the ``WarcSink`` (closed
files).  Calls into those parties that fail are logged and counted, never
allowed to stop the crawl halfway through a WARC file.
"""

from __future__ import annotations

import logging
import platform
import socket
from collections.abc import Callable, Sequence
from importlib.metadata import version as package_version
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import urldefrag

import scrapy
import twisted
from scrapy.utils.defer import maybe_deferred_to_future

from archive.capture.contract import (
    ROLE_PAGE,
    ROLE_REQUISITE,
    DigestIndex,
    IndexedWarc,
    JobSource,
    KnownPayload,
    WarcSink,
)
from archive.logs import ids
from crawler.jobs import Job, JobBook
from crawler.lookups import BatchedLookups
from crawler.stats import CrawlStats
from crawler.warc.files import WarcFiles
from crawler.warc.recorder import Owner, Prepared, Recorder, Written
from crawler.warc.records import RecordFactory

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from scrapy import Request
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

log = logging.getLogger(__name__)


def _ids(job: Job) -> dict[str, object]:
    """The ids a JSON log line of this job carries (``log_format = "json"``)."""
    return ids(job_id=job.job_id, document_id=job.document_id)


JOB_KEY = "cv_job"
ROLE = "cv_role"
PAGE = "page"


class NoDigests:
    """A digest index that knows nothing: every new payload is written in full."""

    blocking = False

    def lookup(self, payload_digest: str) -> KnownPayload | None:
        return None

    def lookup_many(self, digests: Sequence[str]) -> dict[str, KnownPayload]:
        return {}


def warcinfo_fields(settings: BaseSettings) -> dict[str, str]:
    """What every WARC file says about how it was made (``application/warc-fields``)."""
    version = settings.get("CITEVAULT_VERSION", "unknown")
    libraries = (
        f"Scrapy {scrapy.__version__}; warcio {package_version('warcio')}; "
        f"Twisted {twisted.__version__}; Python {platform.python_version()}"
    )
    return {
        "software": f"citevault/{version} ({libraries})",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "hostname": socket.gethostname(),
        "http-header-user-agent": str(settings.get("USER_AGENT")),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "max-response-bytes": str(settings.getint("CITEVAULT_MAX_RESPONSE_BYTES")),
        "max-decompressed-bytes": str(settings.getint("CITEVAULT_MAX_DECOMPRESSED_BYTES")),
        "download-timeout-seconds": str(settings.getfloat("DOWNLOAD_TIMEOUT")),
        "max-redirects": str(settings.getint("REDIRECT_MAX_TIMES")),
        "max-requests-per-job": str(settings.getint("CITEVAULT_JOB_MAX_REQUESTS")),
        "max-requisite-depth": str(settings.getint("CITEVAULT_JOB_MAX_DEPTH")),
        "max-bytes-per-job": str(settings.getint("CITEVAULT_JOB_MAX_BYTES")),
        "max-seconds-per-job": str(settings.getfloat("CITEVAULT_JOB_MAX_SECONDS")),
        "block-private-addresses": "on" if settings.getbool("CITEVAULT_BLOCK_PRIVATE") else "off",
        "tls-certificate-validation": (
            "off: records what the server presented, valid certificate or not"
        ),
        "payload-digest": "sha256 over the entity body as received (de-chunked, still encoded)",
    }


class CaptureSession:
    """Writes what the crawl fetched and reports what became of each job."""

    def __init__(
        self,
        settings: BaseSettings,
        *,
        spool: Path,
        source: JobSource | None,
        digests: DigestIndex,
        sink: WarcSink | None,
        stats: CrawlStats,
    ) -> None:
        self.source = source
        self.sink = sink
        self.stats = stats
        self.robots = "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore"
        self.max_redirects = settings.getint("REDIRECT_MAX_TIMES")
        self.book = JobBook()
        self.fatal: OSError | None = None
        # Where the ids of jobs whose fetch started are appended, for whoever
        # returns this crawler's leases if it dies (archive.capture.reclaim).
        journal = settings.get("CITEVAULT_STARTED_JOURNAL")
        self._journal_path = Path(journal) if journal else None
        self._journal: IO[str] | None = None
        self._started: set[int] = set()
        self.stop_crawl: Callable[[], object] = lambda: None  # set by the spider
        factory = RecordFactory()
        self.files = WarcFiles(
            spool,
            rollover_bytes=settings.getint("CITEVAULT_WARC_ROLLOVER_BYTES"),
            rollover_seconds=settings.getfloat("CITEVAULT_WARC_ROLLOVER_SECONDS", 0.0),
            warcinfo=warcinfo_fields(settings),
            on_closed=self._file_closed,
            factory=factory,
        )
        self.digests = digests
        self.lookups = BatchedLookups(digests) if digests.blocking else None
        self.recorder = Recorder(
            self.files,
            factory,
            digests,
            settings.getint("CITEVAULT_MAX_RESPONSE_BYTES"),
            settings.getint("CITEVAULT_WARC_GZIP_LEVEL", 6),
        )

    def started(self, request: Request) -> None:
        """A job's page answer starts arriving: the job is in flight (see the journal)."""
        if self._journal_path is None or request.meta.get(ROLE) != PAGE:
            return
        job = self.book.get(request.meta.get(JOB_KEY))
        if job is None or job.job_id is None or job.job_id in self._started:
            return
        self._started.add(job.job_id)
        try:
            if self._journal is None:
                self._journal = self._journal_path.open("a", encoding="ascii")
            self._journal.write(f"{job.job_id}\n")
            self._journal.flush()  # in the page cache: survives kill -9
        except OSError as exc:
            log.warning("cannot note job %s as started: %s", job.job_id, exc)

    def write_failed(self, exc: OSError) -> None:
        """A WARC write failed (disk full, I/O error): nothing more can be archived."""
        if self.fatal is not None:
            return
        self.fatal = exc
        log.critical("cannot write WARC records, stopping the crawl: %s", exc)
        self.stop_crawl()

    def record(self, request: Request, response: Response) -> Response | Awaitable[Response]:
        """Write one exchange; returns the response as stored (cut to the cap).

        With a digest index that waits on a network round trip, the lookup
        is batched with others on the lookup thread (``crawler.lookups``) and
        the answer is an awaitable: the crawl goes on meanwhile.
        """
        owner = self._owner(request)
        if self.lookups is None:
            return self._recorded(request, self.recorder.exchange(request, response, owner))
        prepared = self.recorder.prepare(response, request)
        if not prepared.ask_index:
            known = self.recorder.known(prepared, None)
            return self._recorded(request, self.recorder.write(request, prepared, known, owner))
        return self._record_after_lookup(request, prepared, owner)

    def _owner(self, request: Request) -> Owner:
        """The job this exchange is fetched for, and whether as its page or a requisite."""
        job = self.book.get(request.meta.get(JOB_KEY))
        if job is None:
            return None
        return job.job_id, ROLE_PAGE if request.meta.get(ROLE) == PAGE else ROLE_REQUISITE

    async def _record_after_lookup(
        self, request: Request, prepared: Prepared, owner: Owner
    ) -> Response:
        assert self.lookups is not None
        asked = self.lookups.ask(prepared.digest)
        looked_up: KnownPayload | None = await maybe_deferred_to_future(asked)
        known = self.recorder.known(prepared, looked_up)
        return self._recorded(request, self.recorder.write(request, prepared, known, owner))

    def _recorded(self, request: Request, written: Written) -> Response:
        self.stats.exchanges += 1
        self.stats.bytes += written.payload_bytes
        self.stats.revisits += written.revisit
        self.stats.truncated += written.truncated is not None
        if request.meta.get(ROLE) == PAGE:
            job = self.book.get(request.meta.get(JOB_KEY))
            if job is not None:
                job.chain.append(urldefrag(request.url)[0])
                job.final_record_id = written.record_id
        return written.response

    def finish(self, job: Job) -> None:
        """The job's page and requisites are all answered: write its metadata."""
        if job.key not in self.book.active:
            return
        if job.final_record_id is None:
            self.fail(job, f"no response was recorded for {job.url}", retryable=True)
            return
        try:
            self.recorder.metadata(job.metadata(self.robots))
        except OSError as exc:
            self.write_failed(exc)
            self.fail(job, f"its metadata record could not be written: {exc}", retryable=True)
            return
        self.book.close(job)
        self.stats.pages += 1
        if job.budget is not None and job.budget.exhausted is not None:
            self.stats.budget_exhausted += 1
            self.stats.budgets.append((job.url, job.budget.exhausted))
            log.warning(
                "%s ended early: its %s budget ran out (%d requests, %d bytes received)",
                job.label,
                job.budget.exhausted,
                job.budget.requests,
                job.budget.received,
                extra=_ids(job),
            )
        for url, reason in job.requisite_failures.items():
            log.info("%s: requisite %s not captured: %s", job.label, url, reason, extra=_ids(job))

    def fail(self, job: Job, reason: str, *, retryable: bool) -> None:
        """The job produced no capture; tell the source (ad hoc jobs are only logged)."""
        if job.key not in self.book.active:
            return
        self.book.close(job)
        self.stats.failures += 1
        self.stats.failed.append((job.url, reason))
        log.warning(
            "%s failed (%s): %s",
            job.label,
            "retryable" if retryable else "final",
            reason,
            extra=_ids(job),
        )
        if job.job_id is None or self.source is None:
            return
        try:
            self.source.fail(job.job_id, reason, retryable=retryable)
        except Exception:
            log.exception(
                "could not report the failure of %s to the job source", job.label, extra=_ids(job)
            )

    def heartbeat(self) -> None:
        """Renew the leases; also close a WARC file that has grown old while little happened."""
        try:
            self.files.close_if_old()
        except OSError as exc:  # the file stays "*.open": incomplete, never handed on
            self.write_failed(exc)
        ids = self.book.active_job_ids()
        if not ids or self.source is None:
            return
        try:
            self.source.heartbeat(ids)
        except Exception:
            log.exception("could not extend the leases of jobs %s", ids)

    def close(self, reason: str) -> None:
        """End of crawl: jobs still open go back to the queue; the last file is closed."""
        for job in list(self.book.active.values()):
            self.fail(job, f"the crawl stopped ({reason}) before the job finished", retryable=True)
        if self._journal is not None:
            self._journal.close()
        if self._journal_path is not None:
            self._journal_path.unlink(missing_ok=True)  # no lease left to return
        try:
            self.files.close()
        except OSError as exc:  # the file stays "*.open": incomplete, never handed on
            self.fatal = self.fatal or exc
            log.critical("cannot close the WARC file: %s", exc)

    def _file_closed(self, path: Path, index: IndexedWarc) -> None:
        self.stats.warc_files.append(path)
        if self.sink is None:
            return
        try:
            self.sink.closed(path, index)
        except Exception:
            self.stats.sink_errors += 1
            log.exception("the WARC sink did not take %s; it stays in the spool", path)
