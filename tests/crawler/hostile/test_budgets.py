"""Budgets per job: requests, requisite depth, bytes and wall time.

Each trap would keep a crawl busy for ever (stylesheets importing two new
ones each, frames within frames, 500 images, megabytes of images, images
that trickle a byte at a time).  With a budget the job ends with what it has,
its metadata record names the budget, the WARC stays valid and the next
page is captured.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.crawler.harness import CrawlResult
from tests.crawler.hostile.crawls import (
    answer,
    assert_normal_capture,
    assert_warcs_read_back,
    crawl_cases,
    hostile_id,
)
from tests.sites.hostile import HostileServer

MAX_REQUESTS = 40
MAX_DEPTH = 3
MAX_BYTES = 3 << 20
MAX_SECONDS = 3.0
CASES = {
    "/trap/import.html": "depth",
    "/trap/frames.html": "depth",
    "/many-images.html": "requests",
    "/big-images.html": "bytes",
    "/slow-images.html": "time",
    "/slow/body": "time",
}
PATHS = list(CASES)


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


@pytest.fixture(scope="module")
def crawl(server: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    return crawl_cases(
        server,
        tmp_path_factory.mktemp("budgets"),
        PATHS,
        {
            "max_requests_per_job": MAX_REQUESTS,
            "max_requisite_depth": MAX_DEPTH,
            "max_bytes_per_job": MAX_BYTES,
            "max_seconds_per_job": MAX_SECONDS,
            "download_timeout_seconds": 60,
        },
    )


def _fetched(crawl: CrawlResult, job_id: int) -> list[str]:
    """URLs of the job's page and requisites that have a response record."""
    meta = crawl.metadata(job_id)
    return [url for url in [*meta["chain"], *meta["requisites"]] if crawl.answers(url)]


@pytest.mark.parametrize("case", range(len(PATHS)))
def test_the_next_capture_works(crawl: CrawlResult, server: HostileServer, case: int) -> None:
    assert_normal_capture(crawl, server, case)


@pytest.mark.parametrize("path", PATHS)
def test_the_job_ends_and_says_which_budget(crawl: CrawlResult, path: str) -> None:
    meta = crawl.metadata(hostile_id(PATHS.index(path)))
    assert meta["budget_exhausted"] == CASES[path]


def test_a_slow_page_is_cut_at_the_jobs_deadline_before_its_own(crawl: CrawlResult) -> None:
    """download_timeout_seconds is 60 here: the job's 3 s budget is what cut the page."""
    record = answer(crawl, hostile_id(PATHS.index("/slow/body")))
    assert record.headers["WARC-Truncated"] == "time"
    assert 0 < len(record.payload) < 1_000_000


def test_the_budgets_are_stated_in_the_warcinfo(crawl: CrawlResult) -> None:
    info = crawl.records[0].payload.decode()
    assert f"max-requests-per-job: {MAX_REQUESTS}" in info
    assert f"max-requisite-depth: {MAX_DEPTH}" in info
    assert f"max-bytes-per-job: {MAX_BYTES}" in info
    assert f"max-seconds-per-job: {MAX_SECONDS}" in info


def test_an_import_chain_stops_at_the_depth_budget(
    crawl: CrawlResult, server: HostileServer
) -> None:
    sheets = [p for p in server.paths() if p.startswith("/trap/css/") and p.endswith(".css")]
    # depth 1 is the page's sheet, then 2 and 4 sheets: 1 + 2 + 4
    assert sorted(sheets) == sorted(f"/trap/css/{n}.css" for n in range(1, 8))
    frames = [p for p in server.paths() if p.startswith("/trap/frame/")]
    assert sorted(frames) == sorted(f"/trap/frame/{n}.html" for n in range(1, 8))


def test_many_requisites_stop_at_the_request_budget(
    crawl: CrawlResult, server: HostileServer
) -> None:
    job = hostile_id(PATHS.index("/many-images.html"))
    assert len(_fetched(crawl, job)) == MAX_REQUESTS  # the page and 39 images
    assert len([p for p in server.paths() if p.startswith("/img/")]) == MAX_REQUESTS - 1


def test_large_requisites_stop_at_the_byte_budget(
    crawl: CrawlResult, server: HostileServer
) -> None:
    job = hostile_id(PATHS.index("/big-images.html"))
    images = [crawl.answers(url)[0] for url in _fetched(crawl, job) if "/big/" in url]
    # identical images after the first are revisits: count what each response said it held
    stored = sum(int(record.http_header("Content-Length") or 0) for record in images)
    # the read that crosses the budget is kept (at most one socket read, 64 KiB here)
    assert MAX_BYTES - (1 << 20) < stored <= MAX_BYTES + (64 << 10)
    assert images[-1].headers["WARC-Truncated"] == "length"
    assert len(images) == 3  # the rest were never started
    assert len([p for p in server.paths() if p.startswith("/big/")]) == 3


def test_slow_requisites_stop_at_the_time_budget(crawl: CrawlResult, server: HostileServer) -> None:
    job = hostile_id(PATHS.index("/slow-images.html"))
    images = [crawl.answers(url)[0] for url in _fetched(crawl, job) if "/slow-image/" in url]
    assert images, "the first slow image is kept up to the deadline"
    assert all(record.headers["WARC-Truncated"] == "time" for record in images)
    assert len(images) < 10
    reported = dict(tuple(pair) for pair in crawl.stats["budgets"])
    assert reported[server.url("/slow-images.html")] == "time"
    assert crawl.stats["budget_exhausted"] == len(CASES)
    assert len(crawl.stats["budgets"]) == len(CASES)


def test_every_warc_record_reads_back(crawl: CrawlResult) -> None:
    assert_warcs_read_back(crawl)
