"""One crawl per group of hostile cases, each case followed by a normal page.

Jobs run one request at a time in the order given (FIFO, no throttling), so
job ``n + 1``, a plain page with one image, is fetched after the hostile job
``n`` has done its worst: that it is captured whole is what shows that one
hostile server does not spoil the crawl for the next citation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from archive.capture.contract import JobSpec
from tests.crawler.harness import CrawlResult, Record, run_crawl_process, sha256_b32
from tests.sites.hostile import NORMAL_HTML, NORMAL_IMAGE, HostileServer

SEQUENTIAL = {
    "CONCURRENT_REQUESTS": 1,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "AUTOTHROTTLE_ENABLED": False,
    "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
}


def hostile_id(case: int) -> int:
    return 2 * case + 1


def normal_id(case: int) -> int:
    return 2 * case + 2


def crawl_cases(
    server: HostileServer, workdir: Path, paths: list[str], fetch: dict[str, Any]
) -> CrawlResult:
    """Crawl each path of ``paths`` (job ``hostile_id(i)``), each followed by a normal page."""
    jobs: list[JobSpec | dict[str, Any]] = []
    for case, path in enumerate(paths):
        jobs.append(JobSpec(hostile_id(case), server.url(path)))
        jobs.append(JobSpec(normal_id(case), server.url(f"/ok.html?after={case}")))
    return run_crawl_process(workdir, jobs, fetch=fetch, overrides=SEQUENTIAL, timeout=180)


def answer(crawl: CrawlResult, job_id: int) -> Record:
    return crawl.by_id(crawl.metadata(job_id)["final_record_id"])


def assert_normal_capture(crawl: CrawlResult, server: HostileServer, case: int) -> None:
    """The page after the hostile case: captured, status 200, its image listed."""
    meta = crawl.metadata(normal_id(case))
    assert meta["budget_exhausted"] is None
    assert meta["requisites"] == [server.url(NORMAL_IMAGE)]
    record = answer(crawl, normal_id(case))
    assert record.http_status == 200
    assert "WARC-Truncated" not in record.headers
    if record.type == "response":
        assert record.payload == NORMAL_HTML
    else:  # the same bytes as an earlier normal page
        assert record.type == "revisit"
    assert crawl.answers(server.url(NORMAL_IMAGE)), "the image of the normal page"


def assert_warcs_read_back(crawl: CrawlResult) -> None:
    """Every file passed ``warcio check`` (the harness); here every record reads back whole.

    warcio's ArchiveIterator reads each file to its end, and every response
    payload hashes to its ``WARC-Payload-Digest``, cut ones included.
    """
    assert crawl.files
    for path in crawl.files:
        with path.open("rb") as handle:
            types = [record.rec_type for record in ArchiveIterator(handle)]
        assert types[0] == "warcinfo"
        assert types == [r.type for r in crawl.records if r.file == path]
    responses = crawl.of_type("response")
    assert responses
    for record in responses:
        assert record.headers["WARC-Payload-Digest"] == sha256_b32(record.payload)
        assert record.http_header("Content-Length") == str(len(record.payload))
